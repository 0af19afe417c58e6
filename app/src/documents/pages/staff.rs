//! The official's part of «Документы»: the queue
//! (`/staff/official/documents`: documents and change requests waiting,
//! oldest first, with the time left of the 24-hour target; no personal
//! data), a document (`…/documents/<id>`: accept, or reject naming the
//! defects) and a change request (`…/documents/change/<id>`: approve, or
//! reject with a reason). Opening one records the look through its task.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::mine::DiffTable;
use crate::auth::Role;
use crate::auth::pages::RequireStaff;
use crate::documents::api::{DecideChange, DecideDocument, get_change_review, get_queue, get_review};
use crate::documents::dto::{ChangeReview, Citizen, Queue, QueueItem, Review};
use crate::documents::model::{Defect, REMARK_MAX};
use crate::ui::{Alert, AlertKind, Button, ButtonVariant, FormError, echoed, field_error, last_error};

const QUEUE: &str = "/staff/official/documents";

#[component]
pub fn DocumentQueuePage() -> impl IntoView {
    view! {
        <Title text="Проверка документов" />
        <RequireStaff role=Role::Official>
            <QueueBody />
        </RequireStaff>
    }
}

#[component]
fn QueueBody() -> impl IntoView {
    let query = use_query_map();
    let queue = Resource::new(move || query.get(), |_| get_queue());
    let notice = move || {
        query.with(|q| {
            let n = |k: &str| q.get(k).map(|id| crate::documents::model::number(&id));
            if let Some(n) = n("accepted") {
                Some(format!("Документ {n} принят. Гражданин получил уведомление."))
            } else if let Some(n) = n("rejected") {
                Some(format!("Документ {n} отклонён. Гражданин получил уведомление с недочётами."))
            } else if let Some(n) = n("approved") {
                Some(format!("Запрос {n} одобрен: данные в профиле гражданина изменены."))
            } else {
                n("declined").map(|n| format!("Запрос {n} отклонён. Гражданин получил уведомление с причиной."))
            }
        })
    };
    view! {
        <div class="container section staff">
            <p class="breadcrumbs"><a href="/staff">"Кабинет сотрудника"</a>" / "<a href="/staff/official">{Role::Official.label()}</a></p>
            <h1>"Проверка документов"</h1>
            <p class="lead">"Документы и запросы граждан, ожидающие проверки, — сначала самые старые. Срок проверки — 24 часа."</p>
            {move || notice().map(|text| view! { <Alert kind=AlertKind::Success id="queue-notice"><p>{text}</p></Alert> })}
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(q) => view! { <QueueTables q /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn QueueTables(q: Queue) -> impl IntoView {
    view! {
        <section class="profile-section" aria-labelledby="queue-docs-title">
            <h2 id="queue-docs-title">"Документы"</h2>
            <QueueTable items=q.documents base=QUEUE.to_string() id="document-queue" empty="Документов на проверке нет." />
        </section>
        <section class="profile-section" aria-labelledby="queue-changes-title">
            <h2 id="queue-changes-title">"Запросы на изменение ФИО / паспортных данных"</h2>
            <QueueTable items=q.changes base=format!("{QUEUE}/change") id="change-queue" empty="Запросов на проверке нет." />
        </section>
    }
}

#[component]
fn QueueTable(items: Vec<QueueItem>, base: String, id: &'static str, empty: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted" id=id>{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="journal queue" id=id>
                <thead>
                    <tr>
                        <th scope="col">"Номер"</th>
                        <th scope="col">"Что"</th>
                        <th scope="col">"Поступил (МСК)"</th>
                        <th scope="col">"Срок"</th>
                        <th scope="col">"Статус"</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|i| view! {
                        <tr class:queue-overdue=i.overdue>
                            <td data-label="Номер"><a href=format!("{base}/{}", i.id)>{i.number}</a></td>
                            <td data-label="Что">{i.what}</td>
                            <td data-label="Поступил">{i.since}</td>
                            <td data-label="Срок">
                                {i.overdue.then(|| view! { <span class="badge badge-error">"Просрочено"</span>" " })}
                                {i.left}
                            </td>
                            <td data-label="Статус">{i.status}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn param_id() -> String {
    use_params_map().with_untracked(|p| p.get("id").unwrap_or_default())
}

#[component]
fn CitizenList(c: Citizen) -> impl IntoView {
    view! {
        <dt>"Гражданин"</dt><dd>{c.full_name}</dd>
        <dt>"Дата рождения"</dt><dd>{c.birth_date}</dd>
    }
}

#[component]
pub fn DocumentReviewPage() -> impl IntoView {
    view! {
        <Title text="Проверка документа" />
        <RequireStaff role=Role::Official>
            <ReviewBody />
        </RequireStaff>
    }
}

#[component]
fn ReviewBody() -> impl IntoView {
    let id = param_id();
    let review = Resource::new(move || id.clone(), get_review);
    view! {
        <div class="container section staff">
            <p class="breadcrumbs"><a href="/staff">"Кабинет сотрудника"</a>" / "<a href=QUEUE>"Проверка документов"</a></p>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match review.await {
                        Ok(r) => view! { <ReviewView r /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ReviewView(r: Review) -> impl IntoView {
    let decide = ServerAction::<DecideDocument>::new();
    let error = last_error(decide.value());
    let remark_error = field_error(error, "remark");
    let remark = echoed(error, "remark");
    let (accept_id, reject_id) = (r.id.clone(), r.id.clone());
    view! {
        <h1>{format!("{}, {}", r.kind.label(), r.number)}</h1>
        <section class="card profile-section" aria-labelledby="doc-facts">
            <h2 id="doc-facts" class="visually-hidden">"Документ"</h2>
            <dl class="data-list">
                <CitizenList c=r.citizen.clone() />
                <dt>"Файл"</dt><dd>{format!("{} · {}", r.name, r.file)}</dd>
                <dt>"Загружен"</dt><dd>{r.uploaded_at.clone()}</dd>
                <dt>"Срок проверки"</dt><dd class:field-error=r.overdue>{r.left.clone()}</dd>
            </dl>
            <p><a class="btn btn-secondary" href=r.href.clone() rel="external" download="">"Скачать файл"</a></p>
            {(!r.earlier_defects.is_empty()).then(|| view! {
                <div class="alert alert-info" role="status">
                    <p class="alert-title">"Загружен взамен отклонённого. Прежние недочёты:"</p>
                    <ul>{r.earlier_defects.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
        </section>
        <FormError error />
        <section class="card profile-section decision" aria-labelledby="accept-title">
            <h2 id="accept-title">"Документ в порядке"</h2>
            <ActionForm action=decide attr:id="accept-form">
                <input type="hidden" name="id" value=accept_id />
                <input type="hidden" name="decision" value="accept" />
                <Button>"Принять"</Button>
            </ActionForm>
        </section>
        <section class="card profile-section decision" aria-labelledby="reject-title">
            <h2 id="reject-title">"Есть недочёты"</h2>
            <ActionForm action=decide attr:novalidate=true attr:class="form" attr:id="reject-form">
                <input type="hidden" name="id" value=reject_id />
                <input type="hidden" name="decision" value="reject" />
                <fieldset class="field" aria-describedby="remark-error">
                    <legend class="field-label">"Недочёты"</legend>
                    {Defect::ALL.into_iter().enumerate().map(|(i, d)| {
                        let id = format!("defect-{}", d.as_str());
                        view! {
                            <div class="field-check">
                                <input type="checkbox" id=id.clone() name=format!("defects[{i}]") value=d.as_str() />
                                <label for=id>{d.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <Remark name="remark" label="Другое замечание" value=remark error=remark_error hint="Гражданин увидит его рядом с документом" />
                <Button variant=ButtonVariant::Danger busy=decide.pending()>"Отклонить"</Button>
            </ActionForm>
        </section>
    }
}

/// A labelled text area with its hint and error.
#[component]
fn Remark(
    name: &'static str,
    label: &'static str,
    value: String,
    error: Signal<Option<String>>,
    hint: &'static str,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described = {
        let (h, e) = (hint_id.clone(), error_id.clone());
        move || if error.with(Option::is_some) { format!("{h} {e}") } else { h.clone() }
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=name class="field-label">{label}</label>
            <p class="field-hint" id=hint_id>{hint}</p>
            <textarea id=name name=name class="field-input" rows="3" maxlength=REMARK_MAX.to_string()
                aria-invalid=move || error.with(Option::is_some).then_some("true") aria-describedby=described>{value}</textarea>
            <p class="field-error" id=error_id hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        </div>
    }
}

#[component]
pub fn ChangeReviewPage() -> impl IntoView {
    view! {
        <Title text="Запрос на изменение данных" />
        <RequireStaff role=Role::Official>
            <ChangeReviewBody />
        </RequireStaff>
    }
}

#[component]
fn ChangeReviewBody() -> impl IntoView {
    let id = param_id();
    let review = Resource::new(move || id.clone(), get_change_review);
    view! {
        <div class="container section staff">
            <p class="breadcrumbs"><a href="/staff">"Кабинет сотрудника"</a>" / "<a href=QUEUE>"Проверка документов"</a></p>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match review.await {
                        Ok(c) => view! { <ChangeReviewView c /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ChangeReviewView(c: ChangeReview) -> impl IntoView {
    let decide = ServerAction::<DecideChange>::new();
    let error = last_error(decide.value());
    let reason_error = field_error(error, "reason");
    let reason = echoed(error, "reason");
    let (approve_id, decline_id) = (c.id.clone(), c.id.clone());
    view! {
        <h1>{format!("Изменение ФИО / паспортных данных, {}", c.number)}</h1>
        <section class="card profile-section" aria-labelledby="change-facts">
            <h2 id="change-facts" class="visually-hidden">"Запрос"</h2>
            <dl class="data-list">
                <CitizenList c=c.citizen.clone() />
                <dt>"Поступил"</dt><dd>{c.created_at.clone()}</dd>
                <dt>"Срок проверки"</dt><dd class:field-error=c.overdue>{c.left.clone()}</dd>
            </dl>
            <h3>"Что изменится"</h3>
            <DiffTable rows=c.rows.clone() id="change-rows" />
            <h3>"Приложенные сканы"</h3>
            <ul class="link-list" id="change-scans">
                {c.scans.iter().map(|s| view! { <li><a href=s.href.clone() rel="external" download="">{s.label.clone()}</a></li> }).collect_view()}
            </ul>
        </section>
        <FormError error />
        <section class="card profile-section decision" aria-labelledby="approve-title">
            <h2 id="approve-title">"Сканы подтверждают изменения"</h2>
            <ActionForm action=decide attr:id="approve-form">
                <input type="hidden" name="id" value=approve_id />
                <input type="hidden" name="decision" value="approve" />
                <Button>"Одобрить"</Button>
            </ActionForm>
        </section>
        <section class="card profile-section decision" aria-labelledby="decline-title">
            <h2 id="decline-title">"Изменения не подтверждены"</h2>
            <ActionForm action=decide attr:novalidate=true attr:class="form" attr:id="decline-form">
                <input type="hidden" name="id" value=decline_id />
                <input type="hidden" name="decision" value="reject" />
                <Remark name="reason" label="Причина отказа" value=reason error=reason_error hint="Гражданин увидит её в разделе «Документы»" />
                <Button variant=ButtonVariant::Danger busy=decide.pending()>"Отклонить"</Button>
            </ActionForm>
        </section>
    }
}
