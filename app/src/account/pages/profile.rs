//! «Личные данные» (spec 000 §4.1): everything on record; the phone, the
//! e-mail (each confirmed by a code sent to the new contact) and the postal
//! address can be changed here. Name, birth date, passport and the
//! registration address change only through a request with documents.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{FormError, echoed, field_error, last_error};
use crate::account::api::{ChangeContact, ConfirmContact, ReportAccess, SaveAddress, get_access_log, get_profile};
use crate::account::dto::{AccessView, LevelStep, Profile};
use crate::auth::Level;
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
    // Beside the profile, not inside its Suspense: a resource made while
    // another resolves would not match between the server and hydration.
    let access = Resource::new(move || query.get(), |_| get_access_log());
    let notice = move || {
        query.with(|q| match q.get("saved").as_deref() {
            Some("phone") => Some("Номер телефона подтверждён и сохранён."),
            Some("email") => Some("Электронная почта подтверждена и сохранена."),
            Some("address") => Some("Почтовый адрес сохранён."),
            _ if q.get("reported").is_some() => {
                Some("Спасибо. Мы передали сообщение администраторам портала: они проверят, по какому поручению сотрудник открывал ваши данные.")
            }
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
            <AccessLog rows=access />
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
                <dt>"Уровень учётной записи"</dt><dd>{p.level.label()}</dd>
            </dl>
            <p class="field-hint">
                "ФИО, дата рождения, паспортные данные и адрес регистрации меняются только по запросу с загрузкой сканов официальных документов."
            </p>
        </section>
        <LevelCard level=p.level history=p.level_history.clone() />
        <ContactForm kind="phone" current=p.phone.clone() confirmed=p.phone_confirmed proof_fresh=p.proof_fresh />
        <ContactForm kind="email" current=p.email.clone() confirmed=p.email_confirmed proof_fresh=p.proof_fresh />
        <AddressForm current=p.postal_address.clone() />
    }
}

/// «Уровень учётной записи»: where the account is, what that opens, the
/// next step with its button, and how the account got here.
#[component]
fn LevelCard(level: Level, history: Vec<LevelStep>) -> impl IntoView {
    let steps = Level::ALL;
    view! {
        <section class="card profile-section" id="level" aria-labelledby="level-title">
            <h2 id="level-title">"Уровень учётной записи"</h2>
            <ol class="level-steps">
                {steps.into_iter().map(|l| {
                    let state = if l < level { "done" } else if l == level { "current" } else { "next" };
                    view! {
                        <li class=format!("level-step level-{state}") aria-current=(l == level).then_some("step")>
                            <span class="level-name">{l.label()}</span>
                            <span class="level-opens">{l.opens()}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p id="level-current">{format!("Ваш уровень — «{}».", level.label())}</p>
            {match level.next() {
                Some(next) => view! {
                    <div class="level-next">
                        <h3>{format!("Следующий шаг: «{}»", next.label())}</h3>
                        <p>{next.how_to_reach()}</p>
                        <a class="btn btn-primary" href=next.reach_href() id="level-next">
                            {if next == Level::Standard { "Подтвердить личность" } else { "Как подтвердить в МФЦ" }}
                        </a>
                    </div>
                }.into_any(),
                None => view! { <p>"Вам доступны все услуги портала."</p> }.into_any(),
            }}
            {(!history.is_empty()).then(|| view! {
                <details class="level-history">
                    <summary>"Как менялся уровень"</summary>
                    <ul>
                        {history.into_iter().map(|h| view! {
                            <li>{format!("{} — «{}»: {}", h.at, h.to, h.route)}</li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
}

/// «Кто обращался к моим данным»: each look at or change of the person's
/// data by a staff member (role, office or department, what, why), with
/// «Сообщить о нарушении» on a row they did not expect.
#[component]
fn AccessLog(rows: Resource<Result<Vec<AccessView>, crate::error::AppError>>) -> impl IntoView {
    view! {
        <section class="card profile-section" id="access" aria-labelledby="access-title">
            <h2 id="access-title">"Кто обращался к моим данным"</h2>
            <p class="field-hint">
                "Сотрудники МФЦ и ведомств открывают ваши данные только по вашему делу: заявлению, документу, приёму в МФЦ. Каждое обращение записывается здесь."
            </p>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(list) if list.is_empty() => view! { <p id="access-empty">"Пока никто из сотрудников не обращался к вашим данным."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="access-list" id="access-list">
                                {list.into_iter().map(|r| view! { <AccessItem r /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <Alert kind=AlertKind::Error><p>{error.to_string()}</p></Alert> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AccessItem(r: AccessView) -> impl IntoView {
    let report = ServerAction::<ReportAccess>::new();
    let error = last_error(report.value());
    let who = match &r.unit {
        Some(unit) => format!("{}, {}", r.role, unit),
        None => r.role.clone(),
    };
    let note_id = format!("note-{}", r.key);
    view! {
        <li class="access-item">
            <p class="access-when">{r.at.clone()}</p>
            <p class="access-who">{who}</p>
            <p>{format!("{} — {}", r.what, r.why)}</p>
            {if r.reported {
                view! { <p class="badge badge-warn">"Вы сообщили о нарушении"</p> }.into_any()
            } else {
                view! {
                    <details class="access-report">
                        <summary>"Сообщить о неожиданном обращении"</summary>
                        <FormError error />
                        <ActionForm action=report attr:class="form">
                            <input type="hidden" name="row" value=r.key.clone() />
                            <div class="field">
                                <label for=note_id.clone()>"Что не так (необязательно)"</label>
                                <textarea id=note_id name="note" maxlength="1000" rows="3"></textarea>
                            </div>
                            <Button busy=report.pending()>"Сообщить о нарушении"</Button>
                        </ActionForm>
                    </details>
                }.into_any()
            }}
        </li>
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
