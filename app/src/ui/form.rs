//! Form plumbing every page shares: the error of a form's last submit, the
//! message for one of its fields, a value echoed back after a submit made
//! without JavaScript, and the page-level message above the form.

use leptos::prelude::*;

use crate::error::AppError;

/// The error of the last submit of a form, if any.
pub fn last_error<T, V>(value: V) -> Signal<Option<AppError>>
where
    T: Send + Sync + 'static,
    V: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The message for one field from the last submit.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(field))))
}

/// A value typed before a submit that came back (JavaScript off), else empty.
pub fn echoed(error: Signal<Option<AppError>>, field: &str) -> String {
    error.with_untracked(|e| e.as_ref().and_then(|e| e.value(field))).unwrap_or_default()
}

/// The page-level message of a failed submit: shown above the form when the
/// error is not tied to a field (locked, slow-down, network, server).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    use crate::ui::{Alert, AlertKind};
    move || {
        error.get().map(|e| {
            // «Подтвердите, что это вы» names no field of the form itself.
            let has_fields =
                matches!(&e, AppError::Invalid { fields, .. } if fields.iter().any(|f| f.field != "reauth"));
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
