//! `/staff/mfc/visit?task=…`: the citizen of a visit; after a registration
//! the activation code (the one-time password) and the sheet to print;
//! «Подтвердить личность» and «Завершить приём».

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::Role;
use crate::auth::pages::{RequireStaff, StaffNav};
use crate::mfc::api::{EndVisit, SetDocuments, StartCode, get_visit};
use crate::mfc::dto::Visit;
use crate::ui::form::{FormError, echoed, field_error, last_error};
use crate::ui::{Alert, AlertKind, Button, ButtonVariant, TextField};

#[component]
pub fn VisitPage() -> impl IntoView {
    view! {
        <Title text="Приём гражданина" />
        <RequireStaff role=Role::Operator>
            <VisitBody />
        </RequireStaff>
    }
}

#[component]
fn VisitBody() -> impl IntoView {
    let query = use_query_map();
    let task = move || query.with(|q| q.get("task").unwrap_or_default());
    let visit = Resource::new(move || query.get(), move |_| get_visit(task()));
    let notice = move || {
        query.with(|q| {
            if q.get("registered").is_some() {
                Some("Учётная запись создана с уровнем «Подтверждённая». Назовите гражданину код активации и распечатайте лист.")
            } else if q.get("confirmed").is_some() {
                Some("Личность подтверждена. Уровень учётной записи — «Подтверждённая»; гражданину отправлено уведомление.")
            } else if q.get("contact").is_some() {
                Some("Контакт подтверждён: теперь по нему можно входить и восстанавливать пароль.")
            } else if q.get("documents").is_some() {
                Some("СНИЛС и паспорт внесены. Теперь можно подтвердить личность.")
            } else {
                None
            }
        })
    };
    let sheet_gone = move || query.with(|q| q.get("sheet_gone").is_some());
    view! {
        <div class="container section staff">
            <p class="breadcrumbs"><a href="/staff">"Кабинет сотрудника"</a>" / "<a href="/staff/mfc">"Оператор МФЦ"</a></p>
            <h1>"Приём гражданина"</h1>
            {move || notice().map(|text| view! { <Alert kind=AlertKind::Success id="visit-notice"><p>{text}</p></Alert> })}
            {move || sheet_gone().then(|| view! {
                <Alert kind=AlertKind::Error id="sheet-gone"><p>"Лист больше недоступен: его можно распечатать только в течение 30 минут после регистрации и только на этом приёме. Гражданин может восстановить пароль на портале."</p></Alert>
            })}
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match visit.await {
                        Ok(v) => view! { <VisitView v /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
            <StaffNav />
        </div>
    }
}

#[component]
fn VisitView(v: Visit) -> impl IntoView {
    let confirm = ServerAction::<StartCode>::new();
    let contact = ServerAction::<StartCode>::new();
    let end = ServerAction::<EndVisit>::new();
    let error = Signal::derive({
        let (a, b, c) = (last_error(confirm.value()), last_error(end.value()), last_error(contact.value()));
        move || a.get().or_else(|| b.get()).or_else(|| c.get())
    });
    let c = v.card.clone();
    let or_dash = |s: Option<String>| s.filter(|s| !s.is_empty()).unwrap_or_else(|| "Не указано".to_string());
    let phone = match (&c.phone, c.phone_confirmed) {
        (Some(p), true) => format!("{p} (подтверждён)"),
        (Some(p), false) => format!("{p} (не подтверждён)"),
        (None, _) => "Не указан".to_string(),
    };
    let sheet_href = format!("/staff/mfc/sheet?task={}", v.task);
    let (task1, task2, task3, task4) = (v.task.clone(), v.task.clone(), v.task.clone(), v.task.clone());
    view! {
        <p class="lead" id="visit-subject">{v.subject.clone()}</p>
        <FormError error />
        <section class="card profile-section" aria-labelledby="citizen-title">
            <h2 id="citizen-title">{c.full_name.clone()}</h2>
            <dl class="data-list" id="citizen-card">
                <dt>"Дата рождения"</dt><dd>{c.birth_date.clone()}</dd>
                <dt>"СНИЛС"</dt><dd>{or_dash(c.snils.clone())}</dd>
                <dt>"Паспорт"</dt><dd>{or_dash(c.passport.clone())}</dd>
                <dt>"Телефон или почта"</dt><dd id="citizen-contact">{phone}</dd>
                <dt>"Уровень учётной записи"</dt><dd id="citizen-level">{c.level.clone()}</dd>
            </dl>
        </section>
        {v.issued.clone().map(|i| view! {
            <section class="card profile-section issued" aria-labelledby="issued-title">
                <h2 id="issued-title">"Код активации"</h2>
                <p>"Временный пароль для первого входа. Его нужно сменить при первом входе; действует до " {i.password_until.clone()} " (МСК)."</p>
                <p class="activation-code" id="activation-code">{i.password.clone()}</p>
                <p>"Логин: " <strong id="issued-login">{i.login.clone()}</strong></p>
                <p><a class="btn btn-primary" href=sheet_href.clone() download="gosportal-vhod.pdf" id="sheet-link" rel="external">"Распечатать лист (PDF)"</a></p>
                <p class="field-hint">{format!("Лист можно получить до {} (МСК). Не записывайте пароль в другие места.", i.sheet_until)}</p>
            </section>
        })}
        <section class="card profile-section" aria-labelledby="actions-title">
            <h2 id="actions-title">"Действия"</h2>
            {(c.phone.is_some() && !c.phone_confirmed).then(|| view! {
                <p>"Контакт не подтверждён: по нему нельзя войти и восстановить пароль. Гражданин получит код и введёт его сам на панели."</p>
                <ActionForm action=contact>
                    <input type="hidden" name="task" value=task3.clone() />
                    <input type="hidden" name="what" value="contact" />
                    <Button busy=contact.pending()>"Подтвердить контакт кодом"</Button>
                </ActionForm>
            })}
            {if c.confirmed {
                view! { <p id="already-confirmed">"Личность гражданина подтверждена."</p> }.into_any()
            } else if !c.has_documents {
                view! { <Documents task=task4.clone() /> }.into_any()
            } else {
                view! {
                    <p>"Сверьте данные с паспортом. На телефон гражданина придёт код: он введёт его сам на панели — вы код не увидите."</p>
                    <ActionForm action=confirm>
                        <input type="hidden" name="task" value=task1.clone() />
                        <input type="hidden" name="what" value="identity" />
                        <Button busy=confirm.pending()>"Подтвердить личность"</Button>
                    </ActionForm>
                }.into_any()
            }}
            <ActionForm action=end attr:class="form-aside">
                <input type="hidden" name="task" value=task2 />
                <Button variant=ButtonVariant::Secondary busy=end.pending()>"Завершить приём"</Button>
            </ActionForm>
        </section>
    }
}

/// «Внести СНИЛС и паспорт»: an account registered online has neither;
/// the operator types them from the originals before confirming.
#[component]
fn Documents(task: String) -> impl IntoView {
    let save = ServerAction::<SetDocuments>::new();
    let error = last_error(save.value());
    let v = move |f: &'static str| RwSignal::new(echoed(error, f));
    let e = move |f: &'static str| field_error(error, f);
    view! {
        <h3>"Внести СНИЛС и паспорт"</h3>
        <p>"Чтобы подтвердить личность, внесите данные с оригиналов документов."</p>
        <ActionForm action=save attr:novalidate=true attr:class="form">
            <input type="hidden" name="task" value=task />
            <TextField id="snils" name="snils" label="СНИЛС" hint="11 цифр" value=v("snils") required=true inputmode="numeric" maxlength=14u32 autocomplete="off" error=e("snils") />
            <TextField id="passport_series" name="passport_series" label="Серия паспорта" hint="4 цифры" value=v("passport_series") required=true inputmode="numeric" maxlength=5u32 autocomplete="off" error=e("passport_series") />
            <TextField id="passport_number" name="passport_number" label="Номер паспорта" hint="6 цифр" value=v("passport_number") required=true inputmode="numeric" maxlength=6u32 autocomplete="off" error=e("passport_number") />
            <TextField id="passport_issued_on" name="passport_issued_on" label="Дата выдачи" hint="ДД.ММ.ГГГГ" value=v("passport_issued_on") required=true inputmode="numeric" maxlength=10u32 autocomplete="off" error=e("passport_issued_on") />
            <TextField id="passport_issued_by" name="passport_issued_by" label="Кем выдан" value=v("passport_issued_by") required=true maxlength=200u32 autocomplete="off" error=e("passport_issued_by") />
            <TextField id="passport_division" name="passport_division" label="Код подразделения" hint="Например, 770-005" value=v("passport_division") required=true inputmode="numeric" maxlength=7u32 autocomplete="off" error=e("passport_division") />
            <Button busy=save.pending()>"Внести"</Button>
        </ActionForm>
    }
}
