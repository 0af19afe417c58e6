//! «Войти» (spec 000 §1.1): phone, e-mail, СНИЛС or ИНН and a password;
//! «Чужой компьютер» (§3.3); links to «Забыли пароль?» and «Регистрация».
//! Other ways in (a passkey) come from their areas as `children`, placed by
//! the route table.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{FormError, echoed, field_error, last_error};
use crate::account::api::{SignIn, get_public_idle_minutes};
use crate::ui::PasswordField;
use crate::ui::{Alert, AlertKind, Button, TextField};

#[component]
pub fn LoginPage(
    /// Other ways to sign in, under the form.
    children: Children,
) -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with_untracked(|q| q.get(k));
    let next = param("next").unwrap_or_default();
    let sign_in = ServerAction::<SignIn>::new();
    let error = last_error(sign_in.value());
    // The QR code of an МФЦ sheet opens this page with the login filled in.
    let login = RwSignal::new(
        Some(echoed(error, "login")).filter(|l| !l.is_empty()).or_else(|| param("login")).unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let idle = OnceResource::new(get_public_idle_minutes());
    let notice = if param("timeout").is_some() {
        Some((AlertKind::Info, "Сеанс завершён из-за бездействия. Войдите снова."))
    } else if param("signed_out").is_some() {
        Some((AlertKind::Info, "Вы вышли из личного кабинета."))
    } else if param("recovered").is_some() {
        Some((AlertKind::Success, "Пароль изменён, все сеансы завершены. Войдите с новым паролем."))
    } else if param("next").is_some() {
        Some((AlertKind::Info, "Войдите в личный кабинет, чтобы продолжить."))
    } else {
        None
    };
    view! {
        <Title text="Вход" />
        <div class="container narrow section">
            <h1>"Вход в личный кабинет"</h1>
            {notice.map(|(kind, text)| view! { <Alert kind id="login-notice"><p>{text}</p></Alert> })}
            <FormError error />
            <ActionForm action=sign_in attr:novalidate=true attr:class="form">
                <input type="hidden" name="next" value=next />
                <TextField
                    id="login"
                    name="login"
                    label="Телефон, почта, СНИЛС или ИНН"
                    hint="Например, +7 916 123-45-67, ivanov@mail.ru или 112-233-445 95"
                    value=login
                    autocomplete="username"
                    required=true
                    maxlength=254u32
                    error=field_error(error, "login")
                />
                <PasswordField id="password" name="password" label="Пароль" value=password error=field_error(error, "password") />
                <div class="field field-check">
                    <input type="checkbox" id="public" name="public" value="on" aria-describedby="public-hint" />
                    <label for="public">"Чужой компьютер"</label>
                    <p class="field-hint" id="public-hint">
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let minutes = idle.await.unwrap_or(15);
                                format!("Вход не запоминается: сеанс завершится через {minutes} мин бездействия или при закрытии браузера.")
                            })}
                        </Suspense>
                    </p>
                </div>
                <div class="form-actions">
                    <Button busy=sign_in.pending()>"Войти"</Button>
                    <a href="/recover">"Забыли пароль?"</a>
                </div>
            </ActionForm>
            {children()}
            <p class="form-aside">"Нет учётной записи? " <a href="/register">"Регистрация"</a></p>
        </div>
    }
}
