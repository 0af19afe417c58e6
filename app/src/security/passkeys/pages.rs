//! «Настройки безопасности» → «Биометрия» (`/security/passkeys`): add a
//! passkey, see the list, rename or delete one; and the «Войти по
//! биометрии» button of the sign-in page.
//!
//! Rename and delete are ordinary forms (they work with JavaScript off);
//! which passkey is being renamed or deleted is in the address
//! (`?rename=<id>`, `?delete=<id>`), so the links work without scripts too.
//! Adding a passkey and signing in with one need the browser's WebAuthn,
//! so without JavaScript those buttons submit a form whose answer explains
//! that biometrics needs JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::api::{
    DeletePasskey, PasskeyNeedsScript, RenamePasskey, list_passkeys, passkey_register_finish, passkey_register_start,
    passkey_sign_in_finish, passkey_sign_in_start,
};
use super::browser;
use super::model::{self, PasskeyView};
use crate::auth::pages::RequireSignIn;
use crate::error::AppError;
use crate::ui::{Alert, AlertKind, Button, ButtonVariant, TextField};

/// The page-level message of a failed form submit (JavaScript off).
fn form_message<V>(value: V) -> Signal<Option<String>>
where
    V: With<Value = Option<Result<(), AppError>>> + Send + Sync + 'static,
{
    let error = crate::ui::form::last_error(value);
    Signal::derive(move || error.get().map(|e| e.to_string()))
}

/// A passkey button: a real submit button in a form that, without
/// JavaScript, answers that biometrics needs it; with JavaScript the click
/// runs `on_press` instead. `error` is shown above the button either way.
#[component]
fn PasskeyButton(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] variant: ButtonVariant,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    on_press: Callback<()>,
) -> impl IntoView {
    let needs_script = ServerAction::<PasskeyNeedsScript>::new();
    let no_script = form_message(needs_script.value());
    let message = move || error.get().or_else(|| no_script.get());
    let class = match variant {
        ButtonVariant::Primary => "btn btn-primary",
        ButtonVariant::Secondary => "btn btn-secondary",
        ButtonVariant::Quiet => "btn btn-quiet",
        ButtonVariant::Danger => "btn btn-danger",
    };
    let error_id = format!("{id}-error");
    view! {
        <div class="passkey-action">
            <p class="field-error" role="alert" id=error_id.clone() hidden=move || message().is_none()>{message}</p>
            <ActionForm action=needs_script>
                <button
                    type="submit"
                    id=id
                    class=class
                    disabled=move || busy.get()
                    aria-busy=move || busy.get().then_some("true")
                    aria-describedby=move || message().is_some().then(|| error_id.clone())
                    on:click=move |ev| {
                        ev.prevent_default();
                        if !busy.get_untracked() {
                            on_press.run(());
                        }
                    }
                >
                    {label}
                </button>
            </ActionForm>
        </div>
    }
}

/// «Войти по биометрии» on the sign-in page: no login, no password.
#[component]
pub fn PasskeySignIn() -> impl IntoView {
    let next = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("next")).unwrap_or_default();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let next = StoredValue::new(next);
    let navigate = use_navigate();
    let press = Callback::new(move |_| {
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result: Result<String, String> = async {
                if !browser::supported() {
                    return Err(model::UNSUPPORTED.to_string());
                }
                let ch = passkey_sign_in_start().await.map_err(|e| e.to_string())?;
                let answer = browser::get(ch.options).await.map_err(|e| e.message())?;
                let next = Some(next.get_value()).filter(|n| !n.is_empty());
                // «Чужой компьютер» on the sign-in form counts for a passkey too.
                let public = public_ticked();
                passkey_sign_in_finish(ch.challenge, answer, next, public).await.map_err(|e| e.to_string())
            }
            .await;
            busy.set(false);
            match result {
                Ok(to) => navigate(&to, Default::default()),
                Err(message) => error.set(Some(message)),
            }
        });
    });
    view! {
        <section class="passkey-sign-in" aria-labelledby="passkey-sign-in-title">
            <h2 id="passkey-sign-in-title" class="visually-hidden">"Вход по биометрии"</h2>
            <p class="muted">"Или войдите без пароля — по отпечатку пальца, лицу или PIN-коду устройства, если добавили ключ доступа в настройках безопасности."</p>
            <PasskeyButton id="passkey-sign-in" label="Войти по биометрии" variant=ButtonVariant::Secondary busy error on_press=press />
        </section>
    }
}

/// Whether «Чужой компьютер» is ticked on this page.
#[cfg(feature = "hydrate")]
fn public_ticked() -> bool {
    use wasm_bindgen::JsCast;
    document()
        .get_element_by_id("public")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

#[cfg(not(feature = "hydrate"))]
fn public_ticked() -> bool {
    false
}

/// The second step at sign-in by passkey (after the password).
#[component]
pub fn PasskeySecondStep(flow: String) -> impl IntoView {
    use crate::security::api::{second_step_passkey_finish, second_step_passkey_start};
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let flow = StoredValue::new(flow);
    let navigate = use_navigate();
    let press = Callback::new(move |_| {
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result: Result<String, String> = async {
                if !browser::supported() {
                    return Err(model::UNSUPPORTED.to_string());
                }
                let ch = second_step_passkey_start(flow.get_value()).await.map_err(|e| e.to_string())?;
                let answer = browser::get(ch.options).await.map_err(|e| e.message())?;
                second_step_passkey_finish(flow.get_value(), ch.challenge, answer).await.map_err(|e| e.to_string())
            }
            .await;
            busy.set(false);
            match result {
                Ok(to) => navigate(&to, Default::default()),
                Err(message) => error.set(Some(message)),
            }
        });
    });
    view! { <PasskeyButton id="passkey-second-step" label="Подтвердить биометрией" busy error on_press=press /> }
}

/// «Подтвердить биометрией» for a change that needs a fresh proof.
#[component]
pub fn PasskeyReauth(next: &'static str) -> impl IntoView {
    use super::api::{passkey_verify_finish, passkey_verify_start};
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let press = Callback::new(move |_| {
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result: Result<(), String> = async {
                if !browser::supported() {
                    return Err(model::UNSUPPORTED.to_string());
                }
                let ch = passkey_verify_start().await.map_err(|e| e.to_string())?;
                let answer = browser::get(ch.options).await.map_err(|e| e.message())?;
                passkey_verify_finish(ch.challenge, answer).await.map_err(|e| e.to_string())
            }
            .await;
            busy.set(false);
            match result {
                Ok(()) => navigate(&format!("{next}?proof=passkey"), Default::default()),
                Err(message) => error.set(Some(message)),
            }
        });
    });
    view! {
        <PasskeyButton id="passkey-reauth" label="Подтвердить биометрией" variant=ButtonVariant::Secondary busy error on_press=press />
    }
}

#[component]
pub fn PasskeysPage() -> impl IntoView {
    view! {
        <Title text="Биометрия" />
        <RequireSignIn>
            <PasskeysBody />
        </RequireSignIn>
    }
}

#[component]
fn PasskeysBody() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).filter(|v| !v.is_empty()));
    // Every change ends in a new address: the list follows it.
    let passkeys = Resource::new(move || query.get(), |_| list_passkeys());
    let proof = Resource::new(move || query.get(), |_| crate::security::api::get_two_step());
    let notice = move || {
        if param("added").is_some() {
            Some(
                "Ключ доступа добавлен. Теперь можно входить по биометрии. Назовите ключ, чтобы узнавать его в списке.",
            )
        } else if param("renamed").is_some() {
            Some("Название ключа сохранено.")
        } else if param("deleted").is_some() {
            Some("Ключ доступа удалён. Входить с ним больше нельзя.")
        } else {
            None
        }
    };
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let add = Callback::new(move |_| {
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result: Result<String, String> = async {
                if !browser::supported() {
                    return Err(model::UNSUPPORTED.to_string());
                }
                let ch = passkey_register_start().await.map_err(|e| e.to_string())?;
                let answer = browser::create(ch.options).await.map_err(|e| e.message())?;
                passkey_register_finish(ch.challenge, answer).await.map_err(|e| e.to_string())
            }
            .await;
            busy.set(false);
            match result {
                Ok(id) => navigate(&format!("/security/passkeys?added=1&rename={id}"), Default::default()),
                Err(message) => error.set(Some(message)),
            }
        });
    });
    view! {
        <div class="container narrow section">
            <p><a href="/security">"← Безопасность"</a></p>
            <h1>"Биометрия"</h1>
            <p class="lead">
                "Ключ доступа (passkey) позволяет входить без логина и пароля — по отпечатку пальца, лицу или PIN-коду устройства. "
                "Сам отпечаток или снимок лица остаётся на устройстве и на портал не передаётся."
            </p>
            {move || notice().map(|text| view! { <Alert kind=AlertKind::Success id="passkeys-notice"><p>{text}</p></Alert> })}
            // Adding or deleting a passkey needs the password given in the last minutes.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    proof.await.ok().filter(|s| !s.proof_fresh).map(|s| view! {
                        <crate::security::pages::Reauth minutes=s.proof_minutes passkeys=s.has_passkeys next="/security/passkeys" />
                    })
                })}
            </Suspense>
            <PasskeyButton id="passkey-add" label="Добавить ключ доступа" busy error on_press=add />
            <h2 id="passkeys-title">"Ваши ключи доступа"</h2>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match passkeys.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted" id="passkeys-empty">"Ключей доступа пока нет."</p>
                        }.into_any(),
                        Ok(list) => {
                            let rename = param("rename");
                            let delete = param("delete");
                            view! {
                                <ul class="passkey-list" aria-labelledby="passkeys-title">
                                    {list.into_iter().map(|p| {
                                        let mode = if rename.as_deref() == Some(p.id.as_str()) {
                                            Mode::Rename
                                        } else if delete.as_deref() == Some(p.id.as_str()) {
                                            Mode::Delete
                                        } else {
                                            Mode::Show
                                        };
                                        view! { <PasskeyItem p mode /> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Show,
    Rename,
    Delete,
}

#[component]
fn PasskeyItem(p: PasskeyView, mode: Mode) -> impl IntoView {
    let last_used = p.last_used.clone().unwrap_or_else(|| "ещё не использовался".to_string());
    let body = match mode {
        Mode::Rename => view! { <RenameForm p=p.clone() /> }.into_any(),
        Mode::Delete => view! { <DeleteConfirm p=p.clone() /> }.into_any(),
        Mode::Show => view! {
            <div class="row">
                <a href=format!("/security/passkeys?rename={}", p.id) aria-label=format!("Переименовать ключ «{}»", p.name)>
                    "Переименовать"
                </a>
                <a href=format!("/security/passkeys?delete={}", p.id) aria-label=format!("Удалить ключ «{}»", p.name)>
                    "Удалить"
                </a>
            </div>
        }
        .into_any(),
    };
    view! {
        <li class="card passkey-item">
            <h3 class="card-title passkey-name">{p.name.clone()}</h3>
            <dl class="data-list">
                <dt>"Добавлен"</dt><dd>{p.created.clone()}</dd>
                <dt>"Последний вход"</dt><dd>{last_used}</dd>
            </dl>
            {body}
        </li>
    }
}

#[component]
fn RenameForm(p: PasskeyView) -> impl IntoView {
    let rename = ServerAction::<RenamePasskey>::new();
    let error = crate::ui::form::last_error(rename.value());
    let typed = crate::ui::form::echoed(error, "name");
    let value = RwSignal::new(if typed.is_empty() { p.name.clone() } else { typed });
    let server_error = crate::ui::form::field_error(error, "name");
    // Live: only «too long» while typing; an empty name is refused on «Сохранить».
    let field_error = Signal::derive(move || {
        let too_long = value.with(|v| v.trim().chars().count() > model::NAME_MAX);
        too_long.then(|| model::validate_name(&value.get()).err()).flatten().or_else(|| server_error.get())
    });
    #[cfg(feature = "hydrate")]
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Some(input) =
            document().get_element_by_id("passkey-name").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = input.focus();
        }
    });
    view! {
        <ActionForm action=rename attr:novalidate=true attr:class="form form-inline">
            <input type="hidden" name="id" value=p.id.clone() />
            <TextField
                id="passkey-name"
                name="name"
                label="Название ключа"
                hint="Например, «Телефон» или «Рабочий ноутбук», не длиннее 60 символов"
                value
                autocomplete="off"
                required=true
                error=field_error
            />
            <div class="form-actions">
                <Button busy=rename.pending()>"Сохранить"</Button>
                <a href="/security/passkeys">"Отмена"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn DeleteConfirm(p: PasskeyView) -> impl IntoView {
    let delete = ServerAction::<DeletePasskey>::new();
    let error = form_message(delete.value());
    view! {
        <Alert kind=AlertKind::Warning id="passkey-delete-confirm">
            <p>{format!("Удалить ключ доступа «{}»? Входить с ним будет нельзя. Если ключ сохранён на устройстве, удалите его и в настройках устройства.", p.name)}</p>
            {move || error.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
            <ActionForm action=delete attr:class="form-actions">
                <input type="hidden" name="id" value=p.id.clone() />
                <Button variant=ButtonVariant::Danger busy=delete.pending()>"Удалить"</Button>
                <a href="/security/passkeys">"Отмена"</a>
            </ActionForm>
        </Alert>
    }
}
