use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonVariant {
    #[default]
    Primary,
    Secondary,
    /// Looks like a link, acts like a button (an action, not a navigation).
    Quiet,
    Danger,
}

impl ButtonVariant {
    fn class(self) -> &'static str {
        match self {
            ButtonVariant::Primary => "btn btn-primary",
            ButtonVariant::Secondary => "btn btn-secondary",
            ButtonVariant::Quiet => "btn btn-quiet",
            ButtonVariant::Danger => "btn btn-danger",
        }
    }
}

/// A real `<button>`. `busy` disables it and says so to screen readers.
#[component]
pub fn Button(
    children: Children,
    #[prop(optional)] variant: ButtonVariant,
    /// `submit` (default, inside forms) or `button`.
    #[prop(optional, into)]
    kind: Option<&'static str>,
    #[prop(optional, into)] busy: Signal<bool>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] name: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional, into)] id: Option<&'static str>,
    #[prop(optional)] on_click: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <button
            type=kind.unwrap_or("submit")
            class=variant.class()
            id=id
            name=name
            value=value
            disabled=move || busy.get() || disabled.get()
            aria-busy=move || busy.get().then_some("true")
            on:click=move |_| {
                if let Some(cb) = on_click {
                    cb.run(());
                }
            }
        >
            {children()}
        </button>
    }
}

/// A real `<a>` that looks like a button: for navigation.
#[component]
pub fn ButtonLink(children: Children, href: &'static str, #[prop(optional)] variant: ButtonVariant) -> impl IntoView {
    view! { <a href=href class=variant.class()>{children()}</a> }
}
