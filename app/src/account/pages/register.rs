//! «Регистрация» (spec 003 «Регистрация с помощью электронной почты или
//! номера телефона»): the form, then the code. Hints appear as you type,
//! from the same rules the server applies.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::password::{PasswordChecklist, PasswordField, Personal, repeat_error};
use super::{FormError, echoed, field_error, last_error};
use crate::account::api::{ConfirmRegistration, Register};
use crate::account::model::{normalize_email, normalize_phone, validate_birth_date, validate_name};
use crate::auth::pages::{CodeField, CodeHelp};
use crate::ui::{Button, Stepper, TextField};

/// A field's message: the browser's own check once the field was left,
/// else what the server said.
fn hint(
    touched: RwSignal<bool>,
    value: RwSignal<String>,
    server: Signal<Option<String>>,
    check: fn(&str) -> Option<String>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        let local = if touched.get() { value.with(|v| check(v)) } else { None };
        local.or_else(|| server.get())
    })
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = ServerAction::<Register>::new();
    let error = last_error(register.value());
    let v = |f: &str| RwSignal::new(echoed(error, f));
    let (surname, name, patronymic, birth_date, phone, email) =
        (v("surname"), v("name"), v("patronymic"), v("birth_date"), v("phone"), v("email"));
    let password = RwSignal::new(String::new());
    let password2 = RwSignal::new(String::new());
    let touched: [RwSignal<bool>; 6] = std::array::from_fn(|_| RwSignal::new(false));
    let personal = Signal::derive(move || Personal {
        surname: surname.get(),
        name: name.get(),
        patronymic: patronymic.get(),
        birth_date: birth_date.get(),
        login: if phone.with(String::is_empty) { email.get() } else { phone.get() },
    });
    let surname_err =
        hint(touched[0], surname, field_error(error, "surname"), |s| validate_name("Фамилия", s, true).err());
    let name_err = hint(touched[1], name, field_error(error, "name"), |s| validate_name("Имя", s, true).err());
    let patronymic_err =
        hint(touched[2], patronymic, field_error(error, "patronymic"), |s| validate_name("Отчество", s, false).err());
    let birth_err = hint(touched[3], birth_date, field_error(error, "birth_date"), |s| {
        validate_birth_date(s, chrono::Utc::now().date_naive()).err().map(str::to_string)
    });
    let phone_err = hint(touched[4], phone, field_error(error, "phone"), |s| {
        if s.trim().is_empty() { None } else { normalize_phone(s).err().map(str::to_string) }
    });
    let email_err = hint(touched[5], email, field_error(error, "email"), |s| {
        if s.trim().is_empty() { None } else { normalize_email(s).err().map(str::to_string) }
    });
    let password2_err = repeat_error(password, password2, field_error(error, "password2"));
    let consent_err = field_error(error, "consent");
    let touch = move |i: usize| move |_| touched[i].set(true);

    view! {
        <Title text="Регистрация" />
        <div class="container narrow section">
            <Stepper steps=vec!["Данные", "Подтверждение"] current=0usize />
            <h1>"Регистрация"</h1>
            <p class="lead">
                "Будет создана упрощённая учётная запись. Укажите мобильный телефон или электронную почту — на них придёт код подтверждения."
            </p>
            <FormError error />
            <ActionForm action=register attr:novalidate=true attr:class="form">
                <div on:focusout=touch(0)>
                    <TextField id="surname" name="surname" label="Фамилия" value=surname autocomplete="family-name" required=true maxlength=60u32 error=surname_err />
                </div>
                <div on:focusout=touch(1)>
                    <TextField id="name" name="name" label="Имя" value=name autocomplete="given-name" required=true maxlength=60u32 error=name_err />
                </div>
                <div on:focusout=touch(2)>
                    <TextField id="patronymic" name="patronymic" label="Отчество (если есть)" value=patronymic autocomplete="additional-name" maxlength=60u32 error=patronymic_err />
                </div>
                <div on:focusout=touch(3)>
                    <TextField id="birth_date" name="birth_date" label="Дата рождения" hint="ДД.ММ.ГГГГ, например 25.04.1985" value=birth_date autocomplete="bday" inputmode="numeric" required=true maxlength=10u32 error=birth_err />
                </div>
                <div on:focusout=touch(4)>
                    <TextField id="phone" name="phone" label="Мобильный телефон" input_type="tel" hint="Например, +7 916 123-45-67" value=phone autocomplete="tel" inputmode="tel" maxlength=20u32 error=phone_err />
                </div>
                <div on:focusout=touch(5)>
                    <TextField id="email" name="email" label="Электронная почта" input_type="email" hint="Можно указать вместо телефона или вместе с ним" value=email autocomplete="email" inputmode="email" maxlength=254u32 error=email_err />
                </div>
                <PasswordField id="password" name="password" label="Пароль" value=password new_password=true described="password-rules" error=field_error(error, "password") />
                <PasswordChecklist id="password-rules" value=password personal />
                <PasswordField id="password2" name="password2" label="Повторите пароль" value=password2 new_password=true error=password2_err />
                <div class="field field-check" class:field-invalid=move || consent_err.with(Option::is_some)>
                    <input
                        type="checkbox"
                        id="consent"
                        name="consent"
                        value="on"
                        aria-describedby="consent-error"
                        aria-invalid=move || consent_err.with(Option::is_some).then_some("true")
                    />
                    <label for="consent">
                        "Я принимаю "
                        <a href="/legal/terms" target="_blank">"пользовательское соглашение"</a>
                        " и "
                        <a href="/legal/privacy" target="_blank">"политику конфиденциальности"</a>
                        " и даю согласие на обработку персональных данных"
                    </label>
                    <p class="field-error" id="consent-error" hidden=move || consent_err.with(Option::is_none)>{move || consent_err.get()}</p>
                </div>
                <div class="form-actions">
                    <Button busy=register.pending()>"Зарегистрироваться"</Button>
                </div>
            </ActionForm>
            <p class="form-aside">"Уже есть учётная запись? " <a href="/login">"Войти"</a></p>
        </div>
    }
}

#[component]
pub fn RegisterConfirmPage() -> impl IntoView {
    let flow = use_query_map().with_untracked(|q| q.get("flow").unwrap_or_default());
    let flow_value = flow.clone();
    let confirm = ServerAction::<ConfirmRegistration>::new();
    let error = last_error(confirm.value());
    view! {
        <Title text="Подтверждение регистрации" />
        <div class="container narrow section">
            <Stepper steps=vec!["Данные", "Подтверждение"] current=1usize />
            <h1>"Подтверждение"</h1>
            <FormError error=Signal::derive(move || error.get().filter(|e| e.field_message("code").is_none())) />
            <ActionForm action=confirm attr:novalidate=true attr:class="form">
                <input type="hidden" name="flow" value=flow_value />
                <CodeField error />
                <div class="form-actions">
                    <Button busy=confirm.pending()>"Подтвердить"</Button>
                </div>
            </ActionForm>
            <CodeHelp flow restart_href="/register" />
        </div>
    }
}
