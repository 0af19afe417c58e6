use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertKind {
    #[default]
    Info,
    Success,
    Warning,
    Error,
}

/// A message box. Errors are announced at once (`role="alert"`), the rest
/// politely (`role="status"`).
#[component]
pub fn Alert(
    children: Children,
    #[prop(optional)] kind: AlertKind,
    #[prop(optional, into)] title: Option<String>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let (class, role) = match kind {
        AlertKind::Info => ("alert alert-info", "status"),
        AlertKind::Success => ("alert alert-success", "status"),
        AlertKind::Warning => ("alert alert-warning", "status"),
        AlertKind::Error => ("alert alert-error", "alert"),
    };
    view! {
        <div class=class role=role id=id>
            {title.map(|t| view! { <p class="alert-title">{t}</p> })}
            <div class="alert-body">{children()}</div>
        </div>
    }
}
