//! `/documents/change` «Изменить ФИО / паспортные данные» (spec 000 §4.1:
//! «только после подачи соответствующего запроса с загрузкой сканов
//! официальных документов»): step 1 uploads the scans, step 2 the new
//! values with the scans ticked. Nothing in the profile changes until an
//! official approves; while a request is open the page shows it instead.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::mine::{DiffTable, answered};
use super::upload::UploadForm;
use crate::auth::pages::RequireSignIn;
use crate::documents::api::{RequestChange, get_change_page};
use crate::documents::dto::{ChangePage, ChangeView, ScanOption};
use crate::documents::model::DocKind;
use crate::ui::{Alert, AlertKind, Button, FormError, TextField, echoed, field_error, last_error};

#[component]
pub fn ChangeRequestPage() -> impl IntoView {
    view! {
        <Title text="Изменить ФИО / паспортные данные" />
        <RequireSignIn>
            <ChangeBody />
        </RequireSignIn>
    }
}

#[component]
fn ChangeBody() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_change_page());
    view! {
        <div class="container section documents">
            <p class="breadcrumbs"><a href="/documents">"Документы"</a></p>
            <h1>"Изменить ФИО / паспортные данные"</h1>
            <p class="lead">
                "Укажите новые данные и приложите сканы документов, на основании которых они изменились: паспорта, свидетельства о браке или о перемене имени. Специалист проверит запрос в течение рабочего дня. До решения в профиле остаются прежние данные."
            </p>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => match p.open.clone() {
                            Some(c) => view! { <OpenRequest c /> }.into_any(),
                            None => view! { <Steps p /> }.into_any(),
                        },
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn OpenRequest(c: ChangeView) -> impl IntoView {
    view! {
        <Alert kind=AlertKind::Info id="change-open">
            <p>{format!("Запрос {} от {} — {}. Новый запрос можно будет отправить после решения по этому.", c.number, c.created_at, c.status.label().to_lowercase())}</p>
        </Alert>
        <DiffTable rows=c.rows />
        <p><a href="/documents">"Вернуться к документам"</a></p>
    }
}

#[component]
fn Steps(p: ChangePage) -> impl IntoView {
    let a = answered();
    // Uploaded here (hydrated) or just come back with `uploaded=` (no JS):
    // the new scan is ticked.
    let fresh = RwSignal::new(use_query_map().with_untracked(|q| q.get("uploaded")).into_iter().collect::<Vec<_>>());
    let uploads = RwSignal::new(0u32);
    let scans = Resource::new(move || uploads.get(), |_| get_change_page());
    let on_done = Callback::new(move |id: String| {
        fresh.update(|f| f.push(id));
        uploads.update(|n| *n += 1);
    });
    view! {
        <section class="card profile-section" aria-labelledby="step-scans">
            <h2 id="step-scans">"1. Загрузите сканы документов"</h2>
            <UploadForm prefix="scan".to_string() back="/documents/change" kind=a.kind.unwrap_or(DocKind::Passport) failure=a.failure on_done button="Загрузить скан" />
        </section>
        <ChangeFormView p scans fresh />
    }
}

#[component]
fn ChangeFormView(
    p: ChangePage,
    scans: Resource<Result<ChangePage, crate::error::AppError>>,
    fresh: RwSignal<Vec<String>>,
) -> impl IntoView {
    let action = ServerAction::<RequestChange>::new();
    let error = last_error(action.value());
    let typed = |f: &str, current: &str| {
        let e = echoed(error, f);
        RwSignal::new(if e.is_empty() { current.to_string() } else { e })
    };
    let surname = typed("surname", &p.surname);
    let name = typed("name", &p.name);
    let patronymic = typed("patronymic", &p.patronymic);
    let birth = typed("birth_date", &p.birth_date);
    let series = typed("passport_series", "");
    let number = typed("passport_number", "");
    let issued_on = typed("passport_issued_on", "");
    let issued_by = typed("passport_issued_by", "");
    let division = typed("passport_division", "");
    let scans_error = field_error(error, "scans");
    let passport_now = p.passport.clone().unwrap_or_else(|| "не указан".to_string());
    view! {
        <section class="card profile-section" aria-labelledby="step-data">
            <h2 id="step-data">"2. Новые данные"</h2>
            <FormError error />
            <ActionForm action attr:novalidate=true attr:class="form" attr:id="change-form">
                <TextField id="surname" name="surname" label="Фамилия" value=surname required=true maxlength=60u32 autocomplete="family-name" error=field_error(error, "surname") />
                <TextField id="name" name="name" label="Имя" value=name required=true maxlength=60u32 autocomplete="given-name" error=field_error(error, "name") />
                <TextField id="patronymic" name="patronymic" label="Отчество" value=patronymic maxlength=60u32 autocomplete="additional-name" hint="Если есть" error=field_error(error, "patronymic") />
                <TextField id="birth_date" name="birth_date" label="Дата рождения" value=birth required=true maxlength=10u32 inputmode="numeric" placeholder="ДД.ММ.ГГГГ" error=field_error(error, "birth_date") />
                <fieldset class="field passport-fields">
                    <legend class="field-label">"Паспорт"</legend>
                    <p class="field-hint">{format!("Сейчас: {passport_now}. Заполните, только если паспорт сменился.")}</p>
                    <div class="row">
                        <TextField id="passport_series" name="passport_series" label="Серия" value=series maxlength=5u32 inputmode="numeric" placeholder="45 12" error=field_error(error, "passport_series") />
                        <TextField id="passport_number" name="passport_number" label="Номер" value=number maxlength=7u32 inputmode="numeric" placeholder="654321" error=field_error(error, "passport_number") />
                    </div>
                    <TextField id="passport_issued_on" name="passport_issued_on" label="Дата выдачи" value=issued_on maxlength=10u32 inputmode="numeric" placeholder="ДД.ММ.ГГГГ" error=field_error(error, "passport_issued_on") />
                    <TextField id="passport_issued_by" name="passport_issued_by" label="Кем выдан" value=issued_by maxlength=200u32 error=field_error(error, "passport_issued_by") />
                    <TextField id="passport_division" name="passport_division" label="Код подразделения" value=division maxlength=7u32 inputmode="numeric" placeholder="770-005" error=field_error(error, "passport_division") />
                </fieldset>
                <fieldset class="field scan-checks" aria-describedby="scans-error">
                    <legend class="field-label">"Приложенные сканы"</legend>
                    <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                        {move || Suspend::new(async move {
                            let options = scans.await.map(|p| p.scans).unwrap_or_default();
                            view! { <ScanChecks options fresh /> }
                        })}
                    </Suspense>
                    <p class="field-error" id="scans-error" hidden=move || scans_error.with(Option::is_none)>{move || scans_error.get()}</p>
                </fieldset>
                <Button busy=action.pending()>"Отправить на проверку"</Button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ScanChecks(options: Vec<ScanOption>, fresh: RwSignal<Vec<String>>) -> impl IntoView {
    if options.is_empty() {
        return view! { <p class="muted" id="no-scans">"Загруженных документов пока нет: загрузите скан на шаге 1."</p> }.into_any();
    }
    view! {
        <ul class="check-list" id="scan-list">
            {options.into_iter().enumerate().map(|(i, o)| {
                let id = format!("scan-{}", o.id);
                let checked = fresh.with_untracked(|f| f.contains(&o.id));
                view! {
                    <li class="field-check">
                        <input type="checkbox" id=id.clone() name=format!("scans[{i}]") value=o.id.clone() checked=checked />
                        <label for=id>{o.label}</label>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
