//! The account's pages and the pieces they share: the signed-in person as
//! context, the guard for signed-in pages, form error plumbing, the
//! password field with its checklist, and the code form.

mod code;
mod legal;
mod login;
mod password;
mod profile;
mod recover;
mod register;
mod security;
mod session;

pub use code::{CodeField, CodeHelp};
pub use legal::{PrivacyPage, TermsPage};
pub use login::LoginPage;
pub use password::PasswordField;
pub use profile::{ContactConfirmPage, ProfilePage};
pub use recover::{RecoverConfirmPage, RecoverPage};
pub use register::{RegisterConfirmPage, RegisterPage};
pub use security::{PasswordExpiredPage, SecurityPage};
pub use session::{AccountMenu, MeResource, RequireSignIn, SessionTimer, provide_me, use_me};

use leptos::prelude::*;

use crate::error::AppError;

/// The error of the last submit of a form, if any.
pub(crate) fn last_error<T, V>(value: V) -> Signal<Option<AppError>>
where
    T: Send + Sync + 'static,
    V: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The message for one field from the last submit.
pub(crate) fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(field))))
}

/// A value typed before a submit that came back (JavaScript off), else empty.
pub(crate) fn echoed(error: Signal<Option<AppError>>, field: &str) -> String {
    error.with_untracked(|e| e.as_ref().and_then(|e| e.value(field))).unwrap_or_default()
}

/// The page-level message of a failed submit: shown above the form when the
/// error is not tied to a field (locked, slow-down, network, server).
#[component]
pub(crate) fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    use crate::ui::{Alert, AlertKind};
    move || {
        error.get().map(|e| {
            let has_fields = matches!(&e, AppError::Invalid { fields, .. } if !fields.is_empty());
            let text = if has_fields {
                "Проверьте поля, отмеченные ниже".to_string()
            } else {
                e.to_string()
            };
            let locked = matches!(e, AppError::Locked { .. });
            view! {
                <Alert kind=AlertKind::Error id="form-error">
                    <p>{text}</p>
                    {locked.then(|| view! { <p><a href="/recover">"Восстановить пароль и снять блокировку"</a></p> })}
                </Alert>
            }
        })
    }
}

/// `/profile?x=1` → `%2Fprofile%3Fx%3D1` for a `next` parameter.
pub(crate) fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
