//! «Активные сеансы» (spec 003: «регулярно проверяйте активные сеансы и
//! устройства») and «Журнал входов».

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::pages::RequireSignIn;
use crate::security::api::{EndOtherSessions, EndSession, get_journal, list_sessions};
use crate::security::dto::{JournalPage as Journal, SessionView};
use crate::ui::form::{FormError, last_error};
use crate::ui::{Alert, AlertKind, Button, ButtonVariant};

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! {
        <Title text="Активные сеансы" />
        <RequireSignIn>
            <SessionsBody />
        </RequireSignIn>
    }
}

#[component]
fn SessionsBody() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(move || query.get(), |_| list_sessions());
    let end = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let error = Signal::derive({
        let a = last_error(end.value());
        let b = last_error(end_others.value());
        move || a.get().or_else(|| b.get())
    });
    let notice = move || {
        query.with(|q| match q.get("ended").as_deref() {
            Some("all") => Some("Все другие сеансы завершены."),
            Some(_) => Some("Сеанс завершён."),
            None => None,
        })
    };
    view! {
        <div class="container section">
            <p class="breadcrumbs"><a href="/security">"Безопасность"</a></p>
            <h1>"Активные сеансы"</h1>
            <p class="lead">"Устройства, на которых сейчас открыт ваш личный кабинет. Если какой-то сеанс вам незнаком, завершите его и смените пароль."</p>
            {move || notice().map(|text| view! { <Alert kind=AlertKind::Success id="sessions-notice"><p>{text}</p></Alert> })}
            <FormError error />
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(rows) => {
                            let others = rows.iter().filter(|r| !r.current).count();
                            view! {
                                <ul class="session-list" id="sessions">
                                    {rows.into_iter().map(|r| view! { <SessionItem r end /> }).collect_view()}
                                </ul>
                                {(others > 0).then(|| view! {
                                    <ActionForm action=end_others>
                                        <Button variant=ButtonVariant::Danger busy=end_others.pending()>"Завершить все другие сеансы"</Button>
                                    </ActionForm>
                                })}
                            }.into_any()
                        }
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn SessionItem(r: SessionView, end: ServerAction<EndSession>) -> impl IntoView {
    let title = format!("{}{}", r.device, if r.public { " (чужой компьютер)" } else { "" });
    view! {
        <li class="card session" class:session-current=r.current>
            <h2 class="session-title">
                {title}
                {r.current.then(|| view! { <span class="badge">"Этот сеанс"</span> })}
            </h2>
            <dl class="data-list">
                <dt>"IP-адрес"</dt><dd>{r.ip.clone()}</dd>
                <dt>"Вход"</dt><dd>{r.started.clone()}</dd>
                <dt>"Последняя активность"</dt><dd>{r.last_seen.clone()}</dd>
            </dl>
            {(!r.current).then(|| {
                let label = format!("Завершить сеанс: {}", r.device);
                view! {
                    <ActionForm action=end>
                        <input type="hidden" name="id" value=r.id.clone() />
                        <button type="submit" class="btn btn-secondary" aria-label=label>"Завершить"</button>
                    </ActionForm>
                }
            })}
        </li>
    }
}

#[component]
pub fn JournalPage() -> impl IntoView {
    view! {
        <Title text="Журнал входов" />
        <RequireSignIn>
            <JournalBody />
        </RequireSignIn>
    }
}

#[component]
fn JournalBody() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1));
    let journal = Resource::new(page, get_journal);
    view! {
        <div class="container section">
            <p class="breadcrumbs"><a href="/security">"Безопасность"</a></p>
            <h1>"Журнал входов"</h1>
            <p class="lead">"Все попытки входа в ваш кабинет, сначала новые. Записи хранятся не менее года."</p>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match journal.await {
                        Ok(j) => view! { <JournalView j /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn JournalView(j: Journal) -> impl IntoView {
    if j.entries.is_empty() {
        return view! { <p>"Записей пока нет."</p> }.into_any();
    }
    let prev = (j.page > 1).then(|| format!("/security/journal?page={}", j.page - 1));
    let next = (j.page < j.pages).then(|| format!("/security/journal?page={}", j.page + 1));
    view! {
        <div class="table-wrap">
            <table class="journal" id="journal">
                <caption class="visually-hidden">"Журнал входов"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Время (МСК)"</th>
                        <th scope="col">"Результат"</th>
                        <th scope="col">"Способ"</th>
                        <th scope="col">"IP-адрес"</th>
                        <th scope="col">"Устройство"</th>
                    </tr>
                </thead>
                <tbody>
                    {j.entries.into_iter().map(|e| view! {
                        <tr class:journal-fail=!e.ok>
                            <td data-label="Время">{e.at}</td>
                            <td data-label="Результат">{e.result}</td>
                            <td data-label="Способ">{e.method}</td>
                            <td data-label="IP-адрес">{e.ip}</td>
                            <td data-label="Устройство">{e.device}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Страницы журнала">
            {prev.map(|href| view! { <a href=href rel="prev">"← Новее"</a> })}
            <span>{format!("Страница {} из {} (всего записей: {})", j.page, j.pages, j.total)}</span>
            {next.map(|href| view! { <a href=href rel="next">"Старше →"</a> })}
        </nav>
    }
    .into_any()
}
