//! «Мои заявления» (`/applications`: filter by status, search by number or
//! service; cards on a phone), one application (`/applications/:id`: the
//! status bar, the deadline and whose turn it is, the history, the request
//! for more answered in place, withdrawal, the result or the refusal), and
//! the public check of a result document (`/check/:hash`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::fields::FormField;
use crate::auth::pages::RequireSignIn;
use crate::services::api::{AnswerRequest, WithdrawApplication, get_application, get_check, get_my_applications};
use crate::services::dto::{AppDetail, MyApplications};
use crate::services::model::{STAGES, Status};
use crate::ui::{Alert, AlertKind, FormError, last_error};

/// «Мои заявления» on the personal home: what waits for the person, the
/// drafts (and those about to go), what the departments are working on.
#[component]
pub fn ApplicationsHomeCard() -> impl IntoView {
    use crate::ui::HomeCard;
    let counts = Resource::new(|| (), |_| crate::services::api::get_application_counts());
    view! {
        <Suspense fallback=|| view! { <HomeCard title="Мои заявления" href="/applications" id="card-applications" /> }>
            {move || Suspend::new(async move {
                let c = counts.await.ok();
                let (count, note, href) = match &c {
                    Some(c) if c.needs_answer > 0 => (
                        Some(c.needs_answer),
                        format!("Ждут вашего ответа ведомству: {}", c.needs_answer),
                        "/applications?status=needs_info",
                    ),
                    Some(c) if c.drafts_expiring > 0 => (
                        Some(c.drafts_expiring),
                        format!("Черновики удалятся через неделю: {}", c.drafts_expiring),
                        "/applications?status=draft",
                    ),
                    Some(c) if c.drafts > 0 || c.in_work > 0 => (
                        Some(c.in_work + c.drafts),
                        format!("В работе у ведомств: {}, черновиков: {}", c.in_work, c.drafts),
                        "/applications",
                    ),
                    Some(_) => (Some(0), "Заявлений пока нет: выберите услугу в каталоге".to_string(), "/services"),
                    None => (None, "Поданные заявления, черновики и их статусы".to_string(), "/applications"),
                };
                view! { <HomeCard title="Мои заявления" href=href count note id="card-applications" /> }
            })}
        </Suspense>
    }
}

#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    view! {
        <Title text="Мои заявления" />
        <RequireSignIn>
            <MineBody />
        </RequireSignIn>
    }
}

#[component]
fn MineBody() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(
        move || {
            query.with(|q| {
                let page = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
                (q.get("status").unwrap_or_default(), q.get("q").unwrap_or_default(), page)
            })
        },
        |(status, q, page)| get_my_applications(status, q, page),
    );
    let deleted = query.with_untracked(|q| q.get("deleted").is_some());
    view! {
        <div class="container section applications">
            <h1>"Мои заявления"</h1>
            {deleted.then(|| view! { <Alert kind=AlertKind::Success id="draft-deleted"><p>"Черновик удалён."</p></Alert> })}
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(m) => view! { <MineList m /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn MineList(m: MyApplications) -> impl IntoView {
    let current = m.status.map(|s| s.as_str()).unwrap_or("");
    let empty = m.items.is_empty() && m.page == 1;
    let filtered = m.status.is_some() || !m.q.is_empty();
    view! {
        <form method="get" action="/applications" class="filters" role="search">
            <div class="field">
                <label for="app-status" class="field-label">"Статус"</label>
                <select id="app-status" name="status" class="field-input">
                    <option value="" selected=current.is_empty()>"Все"</option>
                    {Status::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected={s.as_str() == current}>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="app-q" class="field-label">"Номер или услуга"</label>
                <input id="app-q" name="q" type="search" class="field-input" value=m.q.clone() placeholder="Например, 123-456-789" />
            </div>
            <button type="submit" class="btn btn-secondary">"Показать"</button>
        </form>
        {if empty {
            view! {
                <p id="applications-empty">{if filtered { "Ничего не найдено. Измените фильтр или поиск." } else { "Заявлений пока нет. Выберите услугу в каталоге." }}</p>
                <p><a class="btn btn-primary" href="/services">"Каталог услуг"</a></p>
            }.into_any()
        } else {
            view! {
                <ul class="app-list" id="applications">
                    {m.items.into_iter().map(|a| view! {
                        <li class="card app-card">
                            <p class="app-status" data-status=a.status.as_str()>{a.status.label()}</p>
                            <h2 class="app-title"><a href=a.href.clone()>{a.service_title.clone()}</a></h2>
                            <p class="muted">
                                {a.number.clone().map(|n| format!("№ {n} · ")).unwrap_or_default()}
                                {format!("изменено {}", a.updated_at)}
                            </p>
                            {a.due.clone().map(|d| view! { <p>{format!("Срок — до {d}")}{a.days_left.clone().map(|l| format!(" ({l})")).unwrap_or_default()}</p> })}
                            {(!a.turn.is_empty()).then(|| view! { <p class="app-turn">{a.turn.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ul>
                <nav class="pager" aria-label="Страницы списка">
                    {(m.page > 1).then(|| view! { <a href=page_href(current, &m.q, m.page - 1)>"← Предыдущие"</a> })}
                    <span>{format!("Страница {}", m.page)}</span>
                    {m.more.then(|| view! { <a href=page_href(current, &m.q, m.page + 1) id="next-page">"Следующие →"</a> })}
                </nav>
            }.into_any()
        }}
    }
}

fn page_href(status: &str, q: &str, page: usize) -> String {
    format!(
        "/applications?status={}&q={}&page={page}",
        crate::format::encode_component(status),
        crate::format::encode_component(q)
    )
}

/// The status bar: where the application is.
#[component]
pub fn StatusBar(status: Status) -> impl IntoView {
    let stage = status.stage();
    view! {
        <ol class="status-bar" aria-label="Ход рассмотрения">
            {STAGES.iter().enumerate().map(|(i, s)| {
                let label = if i == 4 && status.is_final() { status.label() } else { s };
                view! {
                    <li class:done={i < stage} class:current={i == stage} aria-current=(i == stage).then_some("step")>{label}</li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    view! {
        <Title text="Заявление" />
        <RequireSignIn>
            <DetailBody />
        </RequireSignIn>
    }
}

#[component]
fn DetailBody() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // The query too: an answer or a withdrawal comes back here with a note.
    let app = Resource::new(
        move || (params.with(|p| p.get("id").unwrap_or_default()), query.get()),
        |(id, _)| get_application(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="container">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match app.await {
                    Ok(d) => view! { <Detail d /> }.into_any(),
                    Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn History(d: AppDetail) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">"История"</h2>
            <div class="table-wrap">
                <table class="journal" id="history">
                    <thead><tr><th scope="col">"Когда (МСК)"</th><th scope="col">"Статус"</th><th scope="col">"Кто"</th><th scope="col">"Комментарий"</th></tr></thead>
                    <tbody>
                        {d.events.iter().map(|e| view! {
                            <tr>
                                <td data-label="Когда">{e.at.clone()}</td>
                                <td data-label="Статус">{e.status.label()}</td>
                                <td data-label="Кто">{e.by.clone()}</td>
                                <td data-label="Комментарий">{e.comment.clone().unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
pub fn Answers(d: AppDetail) -> impl IntoView {
    view! {
        <details class="card">
            <summary>"Данные заявления"</summary>
            {d.review.iter().map(|s| view! {
                <h3>{s.title.clone()}</h3>
                <dl class="review-list">{s.rows.iter().map(|r| view! { <dt>{r.label.clone()}</dt><dd>{r.value.clone()}</dd> }).collect_view()}</dl>
            }).collect_view()}
        </details>
    }
}

#[component]
fn Detail(d: AppDetail) -> impl IntoView {
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        if q.get("sent").is_some() {
            Some(format!(
                "Заявление отправлено. Номер: {}. Назовите его, если будете звонить в ведомство.",
                d.number.clone().unwrap_or_default()
            ))
        } else if q.get("answered").is_some() {
            Some("Ответ отправлен в ведомство.".into())
        } else if q.get("withdrawn").is_some() {
            Some("Заявление отозвано.".into())
        } else if q.get("withdrawal").is_some() {
            Some("Запрос на отзыв отправлен: ведомство примет решение.".into())
        } else {
            None
        }
    });
    let withdraw = ServerAction::<WithdrawApplication>::new();
    let withdraw_error = last_error(withdraw.value());
    let key = d.key.clone();
    view! {
        <Title text=d.service_title.clone() />
        <div class="container section application">
            <p class="breadcrumbs"><a href="/applications">"Мои заявления"</a></p>
            <h1>{d.service_title.clone()}</h1>
            {notice.map(|n| view! { <Alert kind=AlertKind::Success id="app-notice"><p>{n}</p></Alert> })}
            <p class="app-number">{d.number.clone().map(|n| format!("Заявление № {n}")).unwrap_or_default()}</p>
            <StatusBar status=d.status />
            <p class="app-status-line">"Статус: "<strong id="app-status">{d.status.label()}</strong></p>
            <dl class="facts">
                <dt>"Ведомство"</dt><dd>{d.department.clone()}</dd>
                {d.submitted_at.clone().map(|s| view! { <dt>"Подано"</dt><dd>{s}</dd> })}
                {d.due.clone().map(|due| view! { <dt>"Срок по закону"</dt><dd>{format!("до {due}")}{d.days_left.clone().map(|l| format!(", {l}")).unwrap_or_default()}</dd> })}
                {(!d.turn.is_empty()).then(|| view! { <dt>"Чья очередь"</dt><dd id="app-turn">{d.turn.clone()}</dd> })}
            </dl>
            <p class="next-step" id="app-next">{d.next.clone()}</p>
            {d.withdrawal_requested.then(|| view! { <Alert kind=AlertKind::Info id="withdrawal-open"><p>"Вы просили отозвать заявление. Ведомство рассматривает запрос."</p></Alert> })}
            {d.request.clone().map(|r| view! { <AnswerForm key=d.key.clone() r /> })}
            {d.refusal.clone().map(|(reason, comment)| view! {
                <section class="card refusal" aria-labelledby="refusal-title" id="refusal">
                    <h2 id="refusal-title">"Причина отказа"</h2>
                    <p><strong>{reason}</strong></p>
                    <p>{comment}</p>
                    <p><a href=format!("/services/{}", d.service_code)>"Подать новое заявление"</a></p>
                </section>
            })}
            {d.result_href.clone().map(|href| view! {
                <section class="card result" aria-labelledby="result-title">
                    <h2 id="result-title">"Результат"</h2>
                    <p><a class="btn btn-primary" id="result-download" href=href download="">"Скачать документ (PDF)"</a></p>
                    {d.check_href.clone().map(|c| view! { <p><a href=c id="result-check">"Проверить подлинность документа"</a></p> })}
                </section>
            })}
            {d.may_withdraw.then(|| view! {
                <FormError error=withdraw_error />
                <ActionForm action=withdraw attr:class="inline-form">
                    <input type="hidden" name="id" value=key.clone() />
                    <button type="submit" class="btn btn-secondary" id="withdraw">"Отозвать заявление"</button>
                </ActionForm>
            })}
            <History d=d.clone() />
            <Answers d=d.clone() />
        </div>
    }
}

#[component]
fn AnswerForm(key: String, r: crate::services::dto::RequestView) -> impl IntoView {
    let action = ServerAction::<AnswerRequest>::new();
    let error = last_error(action.value());
    let answers = RwSignal::new(crate::services::form::Answers::new());
    let docs_error = crate::ui::field_error(error, "documents");
    view! {
        <section class="card request" aria-labelledby="request-title" id="request">
            <h2 id="request-title">"Ведомству нужны дополнительные сведения"</h2>
            <p>{r.comment.clone()}</p>
            <p class="muted">{format!("Ответьте до {}.", r.answer_by)}</p>
            <FormError error />
            <ActionForm action attr:class="form" attr:novalidate=true attr:id="answer-form">
                <input type="hidden" name="id" value=key />
                {
                    let fields = r.fields.clone();
                    move || {
                        // The fields again with the last answer's messages and
                        // what was typed (echoed back without JavaScript).
                        let e = error.get();
                        fields.iter().cloned().map(|mut f| {
                            let k = format!("f_{}", f.def.id);
                            if let Some(e) = &e {
                                f.error = e.field_message(&k);
                                if let Some(v) = e.value(&k) {
                                    f.value = v;
                                }
                            }
                            view! { <FormField f answers /> }
                        }).collect_view()
                    }
                }
                {(!r.documents.is_empty()).then(|| view! {
                    <fieldset class="field" aria-describedby="documents-error">
                        <legend class="field-label">{format!("Приложите: {}", r.documents.join("; "))}</legend>
                        {if r.my_documents.is_empty() {
                            view! { <p class="muted">"В разделе «Документы» пока ничего нет."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="check-list">
                                    {r.my_documents.iter().enumerate().map(|(i, (id, label))| {
                                        let cid = format!("doc-{id}");
                                        view! { <li class="field-check"><input type="checkbox" id=cid.clone() name=format!("documents[{i}]") value=id.clone() /><label for=cid>{label.clone()}</label></li> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <p class="field-hint"><a href="/documents">"Загрузить документ в разделе «Документы»"</a>" — затем вернитесь сюда."</p>
                        <p class="field-error" id="documents-error" hidden=move || docs_error.with(Option::is_none)>{move || docs_error.get()}</p>
                    </fieldset>
                })}
                <div class="field">
                    <label for="answer-comment" class="field-label">"Комментарий для ведомства"</label>
                    <textarea id="answer-comment" name="comment" class="field-input" rows="3" maxlength="1000"></textarea>
                </div>
                <button type="submit" class="btn btn-primary" id="send-answer">"Отправить ответ"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn CheckDocumentPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(move || params.with(|p| p.get("hash").unwrap_or_default()), get_check);
    view! {
        <Title text="Проверка документа" />
        <div class="container narrow section">
            <h1>"Проверка подлинности документа"</h1>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(c) if c.genuine => view! {
                            <Alert kind=AlertKind::Success id="check-result">
                                <p><strong>"Документ подлинный."</strong>" Он выдан на Госпортале и не изменялся."</p>
                            </Alert>
                            <dl class="facts">
                                <dt>"Услуга"</dt><dd>{c.service_title}</dd>
                                <dt>"Заявление №"</dt><dd>{c.number}</dd>
                                <dt>"Ведомство"</dt><dd>{c.department}</dd>
                                <dt>"Заявитель"</dt><dd>{c.holder}</dd>
                                <dt>"Дата решения (МСК)"</dt><dd>{c.issued_at}</dd>
                                <dt>"Код проверки"</dt><dd class="hash">{c.hash}</dd>
                            </dl>
                        }.into_any(),
                        Ok(_) => view! {
                            <Alert kind=AlertKind::Error id="check-result">
                                <p><strong>"Документ не найден."</strong>" Портал такой документ не выдавал, или в нём изменены данные. Не принимайте его без проверки в ведомстве."</p>
                            </Alert>
                        }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
