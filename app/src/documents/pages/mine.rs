//! `/documents` «Документы» (spec 003 «Документы», «Оформление документов»):
//! upload a scan, the list of one's documents with their status, the
//! defects an official named beside a rejected one with «Загрузить
//! заново», the change request of ФИО / passport and the history of
//! personal data.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::upload::{UploadFailure, UploadForm};
use crate::auth::pages::RequireSignIn;
use crate::documents::api::get_my_documents;
use crate::documents::dto::{ChangeView, Diff, DocumentView, HistoryEntry, MyDocuments};
use crate::documents::model::{ChangeStatus, DocKind, DocStatus, UploadProblem};
use crate::ui::{Alert, AlertKind};

#[component]
pub fn DocumentsPage() -> impl IntoView {
    view! {
        <Title text="Документы" />
        <RequireSignIn>
            <DocumentsBody />
        </RequireSignIn>
    }
}

/// What the address says about the last form sent without JavaScript.
pub struct Answered {
    pub uploaded: bool,
    pub failure: Option<UploadFailure>,
    pub kind: Option<DocKind>,
    pub replaces: Option<String>,
}

pub fn answered() -> Answered {
    use_query_map().with_untracked(|q| {
        let failure = match (q.get("upload_error"), q.get("upload_failed")) {
            (Some(code), _) => UploadProblem::parse(&code).map(UploadFailure::of),
            (None, Some(id)) => Some(UploadFailure {
                field: None,
                message: if id.is_empty() {
                    "Не удалось загрузить файл. Повторите попытку".to_string()
                } else {
                    crate::error::AppError::Internal { request_id: id }.to_string()
                },
            }),
            _ => None,
        };
        Answered {
            uploaded: q.get("uploaded").is_some(),
            failure,
            kind: q.get("kind").and_then(|k| DocKind::parse(&k)),
            replaces: q.get("replaces").filter(|r| !r.is_empty()),
        }
    })
}

#[component]
fn DocumentsBody() -> impl IntoView {
    let query = use_query_map();
    // An upload (hydrated) bumps this; a form sent without JavaScript comes
    // back with a new address. Either way the list is read again.
    let uploads = RwSignal::new(0u32);
    let docs = Resource::new(move || (query.get(), uploads.get()), |_| get_my_documents());
    let a = answered();
    let requested = query.with_untracked(|q| q.get("requested").is_some());
    let just_uploaded = RwSignal::new(a.uploaded);
    let on_start = Callback::new(move |()| just_uploaded.set(false));
    let on_done = Callback::new(move |_id: String| {
        just_uploaded.set(true);
        uploads.update(|n| *n += 1);
    });
    let main_failure = a.failure.clone().filter(|_| a.replaces.is_none());
    let failed_replace = a.replaces.clone().zip(a.failure.clone());
    view! {
        <div class="container section documents">
            <h1>"Документы"</h1>
            <p class="lead">
                "Загрузите сканы или фотографии документов в формате PDF, JPG или PNG, не больше 5 МБ. Формат и целостность файла проверяются сразу, а содержание документа проверяет специалист в течение 24 часов; о результате придёт уведомление."
            </p>
            {move || just_uploaded.get().then(|| view! {
                <Alert kind=AlertKind::Success id="documents-notice"><p>"Файл загружен и отправлен на проверку. Срок проверки — 24 часа."</p></Alert>
            })}
            {requested.then(|| view! {
                <Alert kind=AlertKind::Success id="documents-notice"><p>"Запрос на изменение данных отправлен. Данные в профиле изменятся после проверки специалистом."</p></Alert>
            })}
            <section class="card profile-section" aria-labelledby="upload-title">
                <h2 id="upload-title">"Загрузить документ"</h2>
                <UploadForm prefix="upload".to_string() back="/documents" kind=a.kind.unwrap_or(DocKind::Passport) failure=main_failure on_done on_start />
            </section>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || {
                    let failed_replace = failed_replace.clone();
                    Suspend::new(async move {
                        match docs.await {
                            Ok(d) => view! { <Lists d failed_replace on_done on_start /> }.into_any(),
                            Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Lists(
    d: MyDocuments,
    failed_replace: Option<(String, UploadFailure)>,
    on_done: Callback<String>,
    on_start: Callback<()>,
) -> impl IntoView {
    let MyDocuments { documents, change, history } = d;
    view! {
        <section class="profile-section" aria-labelledby="my-documents-title">
            <h2 id="my-documents-title">"Мои документы"</h2>
            {if documents.is_empty() {
                view! { <p class="muted">"Вы ещё не загружали документы."</p> }.into_any()
            } else {
                view! {
                    <ul class="doc-list" id="my-documents">
                        {documents.into_iter().map(|doc| {
                            let failure = failed_replace.as_ref().filter(|(r, _)| *r == doc.id).map(|(_, f)| f.clone());
                            view! { <DocumentItem doc failure on_done on_start /> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <ChangeCard change />
        <History history />
    }
}

fn badge(status: DocStatus) -> &'static str {
    match status {
        DocStatus::Accepted => "badge badge-ok",
        DocStatus::Rejected => "badge badge-error",
        DocStatus::Uploaded | DocStatus::InReview => "badge",
    }
}

#[component]
fn DocumentItem(
    doc: DocumentView,
    failure: Option<UploadFailure>,
    on_done: Callback<String>,
    on_start: Callback<()>,
) -> impl IntoView {
    let rejected = doc.status == DocStatus::Rejected;
    let again = rejected && !doc.replaced;
    let id = doc.id.clone();
    let open_again = failure.is_some();
    view! {
        <li class="card doc-item" data-id=doc.id.clone() data-number=doc.number.clone() data-kind=doc.kind.as_str()>
            <div class="doc-head">
                <h3 class="doc-title">{doc.kind.label()}</h3>
                <span class=badge(doc.status)>{doc.status.label()}</span>
            </div>
            <p class="doc-meta">{format!("{} · {} · {} · загружен {}", doc.number, doc.name, doc.file, doc.uploaded_at)}</p>
            {rejected.then(|| view! {
                <div class="alert alert-warning doc-defects" role="status">
                    <p class="alert-title">"Недочёты, найденные специалистом:"</p>
                    <ul>{doc.defects.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                    {doc.remark.clone().map(|r| view! { <p>{format!("Замечание: {r}")}</p> })}
                </div>
            })}
            {doc.decided.clone().map(|d| view! { <p class="doc-meta">{format!("Проверен: {d}")}</p> })}
            {(rejected && doc.replaced).then(|| view! { <p class="doc-meta">"Загружен новый файл взамен этого."</p> })}
            <p class="doc-actions">
                <a href=doc.href.clone() rel="external" download="">"Скачать"</a>
            </p>
            {again.then(|| view! {
                <details class="doc-again" open=open_again>
                    <summary>"Загрузить заново"</summary>
                    <UploadForm prefix=format!("again-{id}") back="/documents" kind=doc.kind replaces=id.clone()
                        failure=failure.clone() on_done on_start button="Загрузить исправленный файл" />
                </details>
            })}
        </li>
    }
}

/// Rows of «было → стало».
#[component]
pub fn DiffTable(rows: Vec<Diff>, #[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="journal diff-table" id=id>
                <thead><tr><th scope="col">"Что"</th><th scope="col">"Было"</th><th scope="col">"Стало"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td data-label="Что">{r.label}</td>
                            <td data-label="Было">{r.old}</td>
                            <td data-label="Стало">{r.new}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ChangeCard(change: Option<ChangeView>) -> impl IntoView {
    let open = change.as_ref().is_some_and(|c| c.status.is_open());
    view! {
        <section class="card profile-section" aria-labelledby="change-title" id="change">
            <h2 id="change-title">"Изменить ФИО / паспортные данные"</h2>
            <p>"ФИО, дата рождения и паспортные данные меняются только по запросу со сканами документов. Специалист проверит запрос в течение рабочего дня; до этого в профиле остаются прежние данные."</p>
            {change.map(|c| {
                let status = c.status;
                view! {
                    <div class="change-status" id="change-status">
                        <p>
                            <strong>{format!("Запрос {} от {}: ", c.number, c.created_at)}</strong>
                            <span class=if status == ChangeStatus::Approved { "badge badge-ok" } else if status == ChangeStatus::Rejected { "badge badge-error" } else { "badge" }>{status.label()}</span>
                        </p>
                        <DiffTable rows=c.rows />
                        {c.reason.map(|r| view! { <p class="field-error">{format!("Причина отказа: {r}")}</p> })}
                    </div>
                }
            })}
            {(!open).then(|| view! { <p><a class="btn btn-secondary" href="/documents/change">"Изменить ФИО / паспортные данные"</a></p> })}
        </section>
    }
}

#[component]
fn History(history: Vec<HistoryEntry>) -> impl IntoView {
    view! {
        <section class="profile-section" aria-labelledby="history-title" id="history">
            <h2 id="history-title">"История изменения личных данных"</h2>
            {if history.is_empty() {
                view! { <p class="muted">"Личные данные ещё не менялись."</p> }.into_any()
            } else {
                view! {
                    <ul class="doc-list" id="personal-history">
                        {history.into_iter().map(|h| view! {
                            <li class="card">
                                <p><strong>{h.at}</strong>{format!(" — {}", h.why)}</p>
                                <DiffTable rows=h.rows />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
