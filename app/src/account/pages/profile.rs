//! «Личные данные» (spec 000 §4.1): everything on record; the phone, the
//! e-mail (each confirmed by a code sent to the new contact) and the postal
//! address can be changed here. Name, birth date, passport and the
//! registration address change only through a request with documents.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{FormError, echoed, field_error, last_error};
use crate::account::api::{ChangeContact, ConfirmContact, SaveAddress, get_profile};
use crate::account::dto::Profile;
use crate::auth::pages::RequireSignIn;
use crate::auth::pages::{CodeField, CodeHelp};
use crate::ui::{Alert, AlertKind, Button, PasswordField, TextField};

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <Title text="Личные данные" />
        <RequireSignIn>
            <ProfileBody />
        </RequireSignIn>
    }
}

#[component]
fn ProfileBody() -> impl IntoView {
    let query = use_query_map();
    // Saving redirects here with a new query: the notice and the data follow it.
    let profile = Resource::new(move || query.get(), |_| get_profile());
    let notice = move || {
        query.with(|q| match q.get("saved").as_deref() {
            Some("phone") => Some("Номер телефона подтверждён и сохранён."),
            Some("email") => Some("Электронная почта подтверждена и сохранена."),
            Some("address") => Some("Почтовый адрес сохранён."),
            _ if q.get("welcome").is_some() => Some("Учётная запись создана. Уровень учётной записи — упрощённая."),
            _ if q.get("password_renewed").is_some() => Some("Новый пароль сохранён."),
            _ => None,
        })
    };
    view! {
        <div class="container section">
            <h1>"Личные данные"</h1>
            {move || notice().map(|text| view! { <Alert kind=AlertKind::Success id="profile-notice"><p>{text}</p></Alert> })}
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! { <ProfileView p /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn or_dash(v: Option<String>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or_else(|| "Не указано".to_string())
}

#[component]
fn ProfileView(p: Profile) -> impl IntoView {
    let full_name = format!("{} {} {}", p.surname, p.name, p.patronymic).trim().to_string();
    view! {
        <section class="card profile-section" aria-labelledby="personal-title">
            <h2 id="personal-title">"Основные сведения"</h2>
            <dl class="data-list">
                <dt>"ФИО"</dt><dd>{full_name}</dd>
                <dt>"Дата рождения"</dt><dd>{p.birth_date.clone()}</dd>
                <dt>"Паспорт"</dt><dd>{or_dash(p.passport.clone())}</dd>
                <dt>"Адрес регистрации"</dt><dd>{or_dash(p.registration_address.clone())}</dd>
                <dt>"СНИЛС"</dt><dd>{or_dash(p.snils.clone())}</dd>
                <dt>"ИНН"</dt><dd>{or_dash(p.inn.clone())}</dd>
                <dt>"Уровень учётной записи"</dt><dd>{p.level.clone()}</dd>
            </dl>
            <p class="field-hint">
                "ФИО, дата рождения, паспортные данные и адрес регистрации меняются только по запросу с загрузкой сканов официальных документов."
            </p>
            <p class="actions">
                <a href="/documents/change">"Изменить ФИО / паспортные данные"</a>
                <a href="/documents#history">"Мои документы и история изменений"</a>
            </p>
        </section>
        <ContactForm kind="phone" current=p.phone.clone() confirmed=p.phone_confirmed proof_fresh=p.proof_fresh />
        <ContactForm kind="email" current=p.email.clone() confirmed=p.email_confirmed proof_fresh=p.proof_fresh />
        <AddressForm current=p.postal_address.clone() />
    }
}

#[component]
fn ContactForm(kind: &'static str, current: Option<String>, confirmed: bool, proof_fresh: bool) -> impl IntoView {
    let change = ServerAction::<ChangeContact>::new();
    let error = last_error(change.value());
    let password = RwSignal::new(String::new());
    // The password is asked unless it was proven lately in this session (or
    // the server said the proof has just run out).
    let ask_password = move || !proof_fresh || field_error(error, "password").get().is_some();
    let password_id = if kind == "phone" { "phone-password" } else { "email-password" };
    let typed = echoed(error, kind);
    let value = RwSignal::new(if typed.is_empty() && !confirmed { current.clone().unwrap_or_default() } else { typed });
    let (title, label, input_type, autocomplete, hint) = if kind == "phone" {
        ("Мобильный телефон", "Новый номер телефона", "tel", "tel", "Код придёт в SMS на новый номер")
    } else {
        ("Электронная почта", "Новый адрес электронной почты", "email", "email", "Код придёт на новый адрес")
    };
    let (field_id, title_id) =
        if kind == "phone" { ("new-phone", "phone-title") } else { ("new-email", "email-title") };
    let status = match (&current, confirmed) {
        (Some(_), true) => "подтверждён",
        (Some(_), false) => "не подтверждён",
        (None, _) => "",
    };
    let button = if current.is_some() && !confirmed { "Подтвердить" } else { "Изменить" };
    view! {
        <section class="card profile-section" aria-labelledby=title_id>
            <h2 id=title_id>{title}</h2>
            <p class="contact-current">
                {or_dash(current.clone())}
                {(!status.is_empty()).then(|| view! { <span class=format!("badge {}", if confirmed { "badge-ok" } else { "badge-warn" })>{status}</span> })}
            </p>
            <FormError error=Signal::derive(move || error.get().filter(|e| e.field_message(kind).is_none() && e.field_message("password").is_none())) />
            <ActionForm action=change attr:novalidate=true attr:class="form form-inline">
                <input type="hidden" name="kind" value=kind />
                <TextField id=field_id name="value" label hint value input_type autocomplete inputmode=input_type maxlength=254u32 error=field_error(error, kind) />
                {move || ask_password().then(|| view! {
                    <PasswordField id=password_id name="password" label="Пароль от личного кабинета" value=password error=field_error(error, "password") />
                })}
                <Button busy=change.pending()>{button}</Button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AddressForm(current: Option<String>) -> impl IntoView {
    let save = ServerAction::<SaveAddress>::new();
    let error = last_error(save.value());
    let typed = echoed(error, "postal_address");
    let value = RwSignal::new(if typed.is_empty() { current.unwrap_or_default() } else { typed });
    view! {
        <section class="card profile-section" aria-labelledby="address-title">
            <h2 id="address-title">"Почтовый адрес"</h2>
            <ActionForm action=save attr:novalidate=true attr:class="form">
                <TextField id="postal_address" name="postal_address" label="Адрес для писем" hint="Индекс, город, улица, дом, квартира" value autocomplete="street-address" maxlength=300u32 error=field_error(error, "postal_address") />
                <Button busy=save.pending()>"Сохранить"</Button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ContactConfirmPage() -> impl IntoView {
    let flow = StoredValue::new(use_query_map().with_untracked(|q| q.get("flow").unwrap_or_default()));
    let confirm = ServerAction::<ConfirmContact>::new();
    let error = last_error(confirm.value());
    view! {
        <Title text="Подтверждение контакта" />
        <RequireSignIn>
            <div class="container narrow section">
                <h1>"Подтверждение контакта"</h1>
                <FormError error=Signal::derive(move || error.get().filter(|e| e.field_message("code").is_none())) />
                <ActionForm action=confirm attr:novalidate=true attr:class="form">
                    <input type="hidden" name="flow" value=flow.get_value() />
                    <CodeField error />
                    <div class="form-actions">
                        <Button busy=confirm.pending()>"Подтвердить"</Button>
                        <a href="/profile">"Отмена"</a>
                    </div>
                </ActionForm>
                <CodeHelp flow=flow.get_value() restart_href="/profile" />
            </div>
        </RequireSignIn>
    }
}
