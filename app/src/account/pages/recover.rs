//! «Забыли пароль?» (spec 003 «Что делать, если забыл пароль»): the login,
//! then the code and a new password twice. The first answer is the same
//! whether or not the login exists.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::password::{PasswordChecklist, PasswordField, Personal, repeat_error};
use super::{FormError, echoed, field_error, last_error};
use crate::account::api::{Recover, RecoverFinish};
use crate::auth::pages::{CodeField, CodeHelp};
use crate::ui::{Button, Stepper, TextField};

#[component]
pub fn RecoverPage() -> impl IntoView {
    let recover = ServerAction::<Recover>::new();
    let error = last_error(recover.value());
    let login = RwSignal::new(echoed(error, "login"));
    view! {
        <Title text="Восстановление пароля" />
        <div class="container narrow section">
            <Stepper steps=vec!["Логин", "Код и новый пароль"] current=0usize />
            <h1>"Восстановление пароля"</h1>
            <p class="lead">
                "Укажите телефон, почту, СНИЛС или ИНН, с которыми вы входите. Мы отправим код на телефон или почту из учётной записи. Восстановление пароля также снимает блокировку входа."
            </p>
            <FormError error />
            <ActionForm action=recover attr:novalidate=true attr:class="form">
                <TextField id="login" name="login" label="Телефон, почта, СНИЛС или ИНН" value=login autocomplete="username" required=true maxlength=254u32 error=field_error(error, "login") />
                <div class="form-actions">
                    <Button busy=recover.pending()>"Получить код"</Button>
                    <a href="/login">"Вернуться ко входу"</a>
                </div>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn RecoverConfirmPage() -> impl IntoView {
    let flow = use_query_map().with_untracked(|q| q.get("flow").unwrap_or_default());
    let flow_value = flow.clone();
    let finish = ServerAction::<RecoverFinish>::new();
    let error = last_error(finish.value());
    let password = RwSignal::new(String::new());
    let password2 = RwSignal::new(String::new());
    let password2_err = repeat_error(password, password2, field_error(error, "password2"));
    view! {
        <Title text="Новый пароль" />
        <div class="container narrow section">
            <Stepper steps=vec!["Логин", "Код и новый пароль"] current=1usize />
            <h1>"Код и новый пароль"</h1>
            <FormError error=Signal::derive(move || error.get().filter(|e| e.field_message("code").is_none())) />
            <ActionForm action=finish attr:novalidate=true attr:class="form">
                <input type="hidden" name="flow" value=flow_value />
                <CodeField error />
                <PasswordField id="password" name="password" label="Новый пароль" value=password new_password=true described="password-rules" error=field_error(error, "password") />
                <PasswordChecklist id="password-rules" value=password personal=Signal::derive(Personal::default) />
                <PasswordField id="password2" name="password2" label="Повторите пароль" value=password2 new_password=true error=password2_err />
                <div class="form-actions">
                    <Button busy=finish.pending()>"Сохранить пароль"</Button>
                </div>
            </ActionForm>
            <CodeHelp flow restart_href="/recover" />
        </div>
    }
}
