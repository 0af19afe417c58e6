//! «История платежей» (`/payments/history`): every payment sent, with its
//! status («Неуспешно» too) and receipt, filtered by kind and period (a GET
//! form, so it works without JavaScript).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::pages::RequireSignIn;
use crate::charges::ChargeKind;
use crate::payments::api::get_history;
use crate::payments::dto::History;
use crate::payments::model::PayStatus;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map();
    let history = Resource::new(
        move || {
            query.with(|q| {
                (q.get("kind").unwrap_or_default(), q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default())
            })
        },
        |(kind, from, to)| get_history(kind, from, to),
    );
    view! {
        <Title text="История платежей" />
        <RequireSignIn>
            <div class="container section payments">
                <p class="breadcrumbs"><a href="/payments">"Задолженности и штрафы"</a></p>
                <h1>"История платежей"</h1>
                <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                    {move || Suspend::new(async move {
                        match history.await {
                            Ok(h) => view! { <HistoryList h /> }.into_any(),
                            Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </RequireSignIn>
    }
}

#[component]
fn HistoryList(h: History) -> impl IntoView {
    let kind = h.kind.clone();
    let filtered = !h.kind.is_empty() || !h.from.is_empty() || !h.to.is_empty();
    view! {
        <form method="get" action="/payments/history" class="filters" role="search" id="history-filter">
            <div class="field">
                <label for="h-kind" class="field-label">"Вид"</label>
                <select id="h-kind" name="kind" class="field-input">
                    <option value="" selected=kind.is_empty()>"Все"</option>
                    {ChargeKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected={k.as_str() == kind}>{k.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="h-from" class="field-label">"С"</label>
                <input id="h-from" name="from" type="date" class="field-input" value=h.from.clone() />
            </div>
            <div class="field">
                <label for="h-to" class="field-label">"По"</label>
                <input id="h-to" name="to" type="date" class="field-input" value=h.to.clone() />
            </div>
            <button type="submit" class="btn btn-secondary">"Показать"</button>
        </form>
        {if h.items.is_empty() {
            view! { <p id="history-empty">{if filtered { "За выбранный период платежей нет." } else { "Платежей пока нет." }}</p> }.into_any()
        } else {
            view! {
                <p>"Оплачено за период: "<strong id="history-total">{h.total.clone()}</strong></p>
                <ul class="app-list" id="history">
                    {h.items.into_iter().map(|p| {
                        let bad = matches!(p.status, PayStatus::Failed | PayStatus::Expired | PayStatus::Cancelled);
                        let label = if p.settled { "Оплачено, квитировано" } else { p.status.label() };
                        view! {
                            <li class="card app-card">
                                <p class="app-status" data-status=p.status.as_str() class:pay-bad=bad>{label}</p>
                                <h2 class="app-title"><a href=p.href.clone()>{p.title.clone()}</a></h2>
                                <p><strong>{p.amount.clone()}</strong>{format!(" · {} · {}", p.kind.label(), p.means)}</p>
                                <p class="muted">{p.at.clone()}</p>
                                {(p.status == PayStatus::Success).then(|| view! {
                                    <p><a href=format!("/api/payments/{}/receipt", p.key) download="">"Чек (PDF)"</a></p>
                                })}
                                {bad.then(|| view! { <p><a href=p.href.clone()>"Повторить"</a></p> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
