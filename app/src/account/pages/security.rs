//! «Безопасность»: change the password (other sessions end). And the page
//! a person with an expired password (older than 90 days) sees before
//! anything else.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::password::{PasswordChecklist, PasswordField, Personal, repeat_error};
use super::{FormError, field_error, last_error};
use crate::account::api::{ChangePassword, RenewPassword};
use crate::auth::pages::RequireSignIn;
use crate::ui::{Alert, AlertKind, Button};

#[component]
pub fn SecurityPage() -> impl IntoView {
    let query = use_query_map();
    let changed = move || query.with(|q| q.get("changed").is_some());
    let change = ServerAction::<ChangePassword>::new();
    let error = last_error(change.value());
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password2 = RwSignal::new(String::new());
    view! {
        <Title text="Безопасность" />
        <RequireSignIn>
            <div class="container narrow section">
                <h1>"Безопасность"</h1>
                <crate::auth::pages::SettingsNav />
                {move || changed().then(|| view! {
                    <Alert kind=AlertKind::Success id="security-notice"><p>"Пароль изменён. Другие сеансы завершены."</p></Alert>
                })}
                <h2>"Изменить пароль"</h2>
                <FormError error />
                <ActionForm action=change attr:novalidate=true attr:class="form">
                    <PasswordField id="current" name="current" label="Текущий пароль" value=current error=field_error(error, "current") />
                    <PasswordField id="password" name="password" label="Новый пароль" value=password new_password=true described="password-rules" error=field_error(error, "password") />
                    <PasswordChecklist id="password-rules" value=password personal=Signal::derive(Personal::default) />
                    <PasswordField id="password2" name="password2" label="Повторите новый пароль" value=password2 new_password=true error=repeat_error(password, password2, field_error(error, "password2")) />
                    <div class="form-actions">
                        <Button busy=change.pending()>"Изменить пароль"</Button>
                    </div>
                </ActionForm>
            </div>
        </RequireSignIn>
    }
}

#[component]
pub fn PasswordExpiredPage() -> impl IntoView {
    let renew = ServerAction::<RenewPassword>::new();
    let error = last_error(renew.value());
    let password = RwSignal::new(String::new());
    let password2 = RwSignal::new(String::new());
    view! {
        <Title text="Смена пароля" />
        <RequireSignIn allow_expired_password=true>
            <div class="container narrow section">
                <h1>"Пора сменить пароль"</h1>
                <Alert kind=AlertKind::Warning id="expired-notice">
                    <p>"Этот пароль нужно сменить: срок его действия истёк или он был выдан временно. Придумайте новый пароль, чтобы продолжить."</p>
                </Alert>
                <FormError error />
                <ActionForm action=renew attr:novalidate=true attr:class="form">
                    <PasswordField id="password" name="password" label="Новый пароль" value=password new_password=true described="password-rules" error=field_error(error, "password") />
                    <PasswordChecklist id="password-rules" value=password personal=Signal::derive(Personal::default) />
                    <PasswordField id="password2" name="password2" label="Повторите новый пароль" value=password2 new_password=true error=repeat_error(password, password2, field_error(error, "password2")) />
                    <div class="form-actions">
                        <Button busy=renew.pending()>"Сохранить пароль"</Button>
                    </div>
                </ActionForm>
            </div>
        </RequireSignIn>
    }
}
