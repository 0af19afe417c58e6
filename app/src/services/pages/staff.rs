//! The official's console: `/staff/applications` (the department's queue,
//! oldest deadline first, filter by status) and `/staff/applications/:id`
//! (the form, history; «Взять в работу», «Запросить сведения»,
//! «Исполнено», «Отказать», a withdrawal request decided). Opening one
//! records the look for the citizen.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::mine::{Answers, History, StatusBar};
use crate::auth::Role;
use crate::auth::pages::RequireStaff;
use crate::services::api::{AskMore, ClaimApplication, DecideApplication, get_staff_application, get_staff_queue};
use crate::services::dto::{StaffApp, StaffQueue};
use crate::services::model::Status;
use crate::ui::{Alert, AlertKind, FormError, field_error, last_error};

#[component]
pub fn StaffQueuePage() -> impl IntoView {
    view! {
        <Title text="Заявления граждан" />
        <RequireStaff role=Role::Official>
            <QueueBody />
        </RequireStaff>
    }
}

#[component]
fn QueueBody() -> impl IntoView {
    let query = use_query_map();
    let queue = Resource::new(move || query.with(|q| q.get("status").unwrap_or_default()), get_staff_queue);
    view! {
        <div class="container section staff">
            <p class="breadcrumbs"><a href="/staff">"Кабинет сотрудника"</a>" / "<a href="/staff/official">{Role::Official.label()}</a></p>
            <h1>"Заявления граждан"</h1>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(q) => view! { <QueueTable q /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn QueueTable(q: StaffQueue) -> impl IntoView {
    let current = q.status.map(|s| s.as_str()).unwrap_or("");
    view! {
        <p class="lead">{format!("{}: сначала заявления с ближайшим сроком.", q.department)}</p>
        <form method="get" action="/staff/applications" class="filters">
            <div class="field">
                <label for="queue-status" class="field-label">"Статус"</label>
                <select id="queue-status" name="status" class="field-input">
                    <option value="" selected=current.is_empty()>"Все в работе"</option>
                    {[Status::Sent, Status::InProgress, Status::NeedsInfo, Status::Done, Status::Refused, Status::Cancelled].into_iter().map(|s| view! {
                        <option value=s.as_str() selected={s.as_str() == current}>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="btn btn-secondary">"Показать"</button>
        </form>
        {if q.items.is_empty() {
            view! { <p id="queue-empty">"Заявлений нет."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap"><table class="journal" id="application-queue">
                    <thead><tr><th scope="col">"Номер"</th><th scope="col">"Услуга"</th><th scope="col">"Статус"</th><th scope="col">"Срок"</th><th scope="col">"Специалист"</th></tr></thead>
                    <tbody>
                        {q.items.into_iter().map(|i| view! {
                            <tr>
                                <td data-label="Номер"><a href=format!("/staff/applications/{}", i.key)>{i.number.clone()}</a></td>
                                <td data-label="Услуга">{i.service_title.clone()}</td>
                                <td data-label="Статус">{i.status.label()}</td>
                                <td data-label="Срок">{format!("{} ({})", i.due, i.days_left)}</td>
                                <td data-label="Специалист">{if i.mine { "вы".to_string() } else { i.assignee.clone().unwrap_or_else(|| "—".into()) }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}

#[component]
pub fn StaffApplicationPage() -> impl IntoView {
    view! {
        <Title text="Заявление" />
        <RequireStaff role=Role::Official>
            <StaffAppBody />
        </RequireStaff>
    }
}

#[component]
fn StaffAppBody() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // The query too: a decision comes back to this page with `?decided=…`,
    // and the page shows the application as it is now.
    let app = Resource::new(
        move || (params.with(|p| p.get("id").unwrap_or_default()), query.get()),
        |(id, _)| get_staff_application(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="container">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match app.await {
                    Ok(a) => view! { <StaffApplication a /> }.into_any(),
                    Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffApplication(a: StaffApp) -> impl IntoView {
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        if q.get("claimed").is_some() {
            Some("Заявление взято в работу.")
        } else if q.get("asked").is_some() {
            Some("Запрос отправлен заявителю.")
        } else if q.get("decided").is_some() {
            Some("Решение принято. Заявитель получил уведомление.")
        } else {
            None
        }
    });
    let d = a.detail.clone();
    let claim = ServerAction::<ClaimApplication>::new();
    let claim_error = last_error(claim.value());
    let (key, key2) = (d.key.clone(), d.key.clone());
    view! {
        <Title text=format!("Заявление № {}", d.number.clone().unwrap_or_default()) />
        <div class="container section staff">
            <p class="breadcrumbs"><a href="/staff/applications">"Заявления граждан"</a></p>
            <h1>{format!("Заявление № {}", d.number.clone().unwrap_or_default())}</h1>
            {notice.map(|n| view! { <Alert kind=AlertKind::Success id="staff-notice"><p>{n}</p></Alert> })}
            <p>{d.service_title.clone()}</p>
            <StatusBar status=d.status />
            <dl class="facts">
                <dt>"Заявитель"</dt><dd>{a.applicant.clone()}</dd>
                <dt>"Статус"</dt><dd id="staff-status">{d.status.label()}</dd>
                {d.due.clone().map(|due| view! { <dt>"Срок"</dt><dd>{format!("до {due}")}{d.days_left.clone().map(|l| format!(", {l}")).unwrap_or_default()}</dd> })}
                {d.assignee.clone().map(|w| view! { <dt>"Специалист"</dt><dd>{w}</dd> })}
            </dl>
            {a.may_claim.then(|| view! {
                <FormError error=claim_error />
                <ActionForm action=claim attr:class="inline-form">
                    <input type="hidden" name="id" value=key.clone() />
                    <button type="submit" class="btn btn-primary" id="claim">"Взять в работу"</button>
                </ActionForm>
            })}
            {(d.withdrawal_requested && (a.may_decide || d.status == Status::NeedsInfo)).then(|| view! { <WithdrawalDecision key=key2.clone() /> })}
            {a.may_decide.then(|| view! { <Decide a=a.clone() /> })}
            <Answers d=d.clone() />
            <History d=d.clone() />
        </div>
    }
}

#[component]
fn WithdrawalDecision(key: String) -> impl IntoView {
    let action = ServerAction::<DecideApplication>::new();
    let error = last_error(action.value());
    view! {
        <section class="card" aria-labelledby="withdrawal-title">
            <h2 id="withdrawal-title">"Заявитель просит отозвать заявление"</h2>
            <FormError error />
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="id" value=key />
                <button type="submit" name="decision" value="accept_withdrawal" class="btn btn-primary">"Принять отзыв"</button>
                <button type="submit" name="decision" value="refuse_withdrawal" class="btn btn-secondary">"Отклонить отзыв"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Decide(a: StaffApp) -> impl IntoView {
    let key = a.detail.key.clone();
    let ask = ServerAction::<AskMore>::new();
    let ask_error = last_error(ask.value());
    let approve = ServerAction::<DecideApplication>::new();
    let approve_error = last_error(approve.value());
    let refuse = ServerAction::<DecideApplication>::new();
    let refuse_error = last_error(refuse.value());
    let ask_comment = field_error(ask_error, "comment");
    let ask_fields = field_error(ask_error, "fields");
    let refuse_reason = field_error(refuse_error, "reason");
    let refuse_comment = field_error(refuse_error, "comment");
    let (key1, key2, key3) = (key.clone(), key.clone(), key);
    view! {
        <section class="card" aria-labelledby="ask-title">
            <h2 id="ask-title">"Запросить дополнительные сведения"</h2>
            <FormError error=ask_error />
            <ActionForm action=ask attr:class="form" attr:novalidate=true attr:id="ask-form">
                <input type="hidden" name="id" value=key1 />
                <fieldset class="field" aria-describedby="ask-fields-error">
                    <legend class="field-label">"Какие поля исправить"</legend>
                    <ul class="check-list">
                        {a.fields.iter().enumerate().map(|(i, (id, label))| {
                            let cid = format!("ask-{id}");
                            view! { <li class="field-check"><input type="checkbox" id=cid.clone() name=format!("fields[{i}]") value=id.clone() /><label for=cid>{label.clone()}</label></li> }
                        }).collect_view()}
                    </ul>
                    <p class="field-error" id="ask-fields-error" hidden=move || ask_fields.with(Option::is_none)>{move || ask_fields.get()}</p>
                </fieldset>
                <div class="field">
                    <label for="ask-documents" class="field-label">"Какие документы приложить (по одному в строке)"</label>
                    <textarea id="ask-documents" name="documents" class="field-input" rows="2" maxlength="2000"></textarea>
                </div>
                <div class="field" class:field-invalid=move || ask_comment.with(Option::is_some)>
                    <label for="ask-comment" class="field-label">"Комментарий для заявителя"</label>
                    <textarea id="ask-comment" name="comment" class="field-input" rows="3" maxlength="1000" aria-describedby="ask-comment-error"></textarea>
                    <p class="field-error" id="ask-comment-error" hidden=move || ask_comment.with(Option::is_none)>{move || ask_comment.get()}</p>
                </div>
                <button type="submit" class="btn btn-secondary" id="ask-submit">"Запросить сведения"</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="approve-title">
            <h2 id="approve-title">"Исполнить"</h2>
            <FormError error=approve_error />
            <ActionForm action=approve attr:class="form" attr:id="approve-form">
                <input type="hidden" name="id" value=key2 />
                <input type="hidden" name="decision" value="approve" />
                <div class="field">
                    <label for="approve-comment" class="field-label">"Текст решения для документа"</label>
                    <textarea id="approve-comment" name="comment" class="field-input" rows="3" maxlength="800"></textarea>
                </div>
                <button type="submit" class="btn btn-primary" id="approve-submit">"Исполнено: выдать результат"</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="refuse-title">
            <h2 id="refuse-title">"Отказать"</h2>
            <FormError error=refuse_error />
            <ActionForm action=refuse attr:class="form" attr:novalidate=true attr:id="refuse-form">
                <input type="hidden" name="id" value=key3 />
                <input type="hidden" name="decision" value="refuse" />
                <div class="field" class:field-invalid=move || refuse_reason.with(Option::is_some)>
                    <label for="refuse-reason" class="field-label">"Причина"</label>
                    <select id="refuse-reason" name="reason" class="field-input" aria-describedby="refuse-reason-error">
                        <option value="">"Выберите причину"</option>
                        {a.reasons.iter().map(|(c, l)| view! { <option value=c.clone()>{l.clone()}</option> }).collect_view()}
                    </select>
                    <p class="field-error" id="refuse-reason-error" hidden=move || refuse_reason.with(Option::is_none)>{move || refuse_reason.get()}</p>
                </div>
                <div class="field" class:field-invalid=move || refuse_comment.with(Option::is_some)>
                    <label for="refuse-comment" class="field-label">"Пояснение для заявителя"</label>
                    <textarea id="refuse-comment" name="comment" class="field-input" rows="3" maxlength="1000" aria-describedby="refuse-comment-error"></textarea>
                    <p class="field-error" id="refuse-comment-error" hidden=move || refuse_comment.with(Option::is_none)>{move || refuse_comment.get()}</p>
                </div>
                <button type="submit" class="btn btn-secondary" id="refuse-submit">"Отказать"</button>
            </ActionForm>
        </section>
    }
}
