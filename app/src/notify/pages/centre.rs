//! `/notifications`: the notices newest first, unread ones marked, each
//! leading to what it is about; «Отметить все прочитанными»; and
//! «Отправленные сообщения». `/notifications/<id>` opens one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::auth::pages::{RequireSignIn, use_me};
use crate::notify::api::{ReadAll, get_centre, open_notice};
use crate::notify::dto::{Centre, DeliveryState, DeliveryView, NotificationView, kind_label};
use crate::ui::{Alert, AlertKind, Button, ButtonVariant};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <Title text="Уведомления" />
        <RequireSignIn>
            <CentreBody />
        </RequireSignIn>
    }
}

#[component]
fn CentreBody() -> impl IntoView {
    let query = use_query_map();
    let read_all = ServerAction::<ReadAll>::new();
    let centre = Resource::new(move || (query.get(), read_all.version().get()), |_| get_centre());
    // The bell counts again once everything is read.
    let me = use_me();
    Effect::new(move |_| {
        if read_all.version().get() > 0 {
            me.refetch();
        }
    });
    let all_read = move || query.with(|q| q.get("read").as_deref() == Some("all"));
    view! {
        <div class="container section notifications">
            <h1>"Уведомления"</h1>
            <p class="page-links"><a href="/settings/notifications">"Настройки уведомлений"</a></p>
            {move || all_read().then(|| view! {
                <Alert kind=AlertKind::Success id="notifications-notice"><p>"Все уведомления отмечены прочитанными."</p></Alert>
            })}
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match centre.await {
                        Ok(c) => view! { <CentreView c read_all /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// «3 непрочитанных уведомления».
fn unread_text(n: u32) -> String {
    let (last, last2) = (n % 10, n % 100);
    let word = if last == 1 && last2 != 11 {
        "непрочитанное уведомление"
    } else if (2..=4).contains(&last) && !(12..=14).contains(&last2) {
        "непрочитанных уведомления"
    } else {
        "непрочитанных уведомлений"
    };
    match n {
        0 => "Непрочитанных уведомлений нет.".to_string(),
        n => format!("У вас {n} {word}."),
    }
}

#[component]
fn CentreView(c: Centre, read_all: ServerAction<ReadAll>) -> impl IntoView {
    let Centre { items, unread, deliveries } = c;
    view! {
        <section class="profile-section" aria-labelledby="notices-title">
            <div class="notices-head">
                <h2 id="notices-title">"Все уведомления"</h2>
                <p id="unread-count">{unread_text(unread)}</p>
                {(unread > 0).then(|| view! {
                    <ActionForm action=read_all attr:class="notices-read-all">
                        <Button variant=ButtonVariant::Secondary busy=read_all.pending()>"Отметить все прочитанными"</Button>
                    </ActionForm>
                })}
            </div>
            {if items.is_empty() {
                view! { <p class="muted" id="no-notices">"Уведомлений пока нет. Здесь появятся изменения статусов заявлений, результаты проверки документов и напоминания о сроках."</p> }.into_any()
            } else {
                view! { <NoticeList items id="notice-list" /> }.into_any()
            }}
        </section>
        <Deliveries deliveries />
    }
}

/// Notices as a list: each a link to `/notifications/<id>` (which marks
/// it read and goes on to what it is about). The personal home uses it too.
#[component]
pub fn NoticeList(items: Vec<NotificationView>, id: &'static str) -> impl IntoView {
    view! {
        <ul class="notice-list" id=id>
            {items.into_iter().map(|n| {
                let href = format!("/notifications/{}", n.id);
                let read = n.read;
                view! {
                    <li class="notice" class:notice-unread=!read data-read=read.to_string() data-id=n.id.clone()>
                        <p class="notice-meta">
                            {(!read).then(|| view! { <span class="badge">"Новое"</span>" " })}
                            {format!("{} · {}", kind_label(n.kind), n.at)}
                        </p>
                        <h3 class="notice-title">
                            <a href=href>{n.subject.clone()}{(!read).then(|| view! { <span class="visually-hidden">" (не прочитано)"</span> })}</a>
                        </h3>
                        <p class="notice-text">{n.text}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

fn state_class(s: DeliveryState) -> &'static str {
    match s {
        DeliveryState::Delivered => "badge badge-ok",
        DeliveryState::Waiting => "badge",
        DeliveryState::Failed => "badge badge-error",
    }
}

#[component]
fn Deliveries(deliveries: Vec<DeliveryView>) -> impl IntoView {
    view! {
        <section class="profile-section" aria-labelledby="sent-title" id="sent">
            <h2 id="sent-title">"Отправленные сообщения"</h2>
            <p class="muted">
                "Что портал отправил вам по SMS, электронной почте и в мобильное приложение, и доставлено ли это. Коды и ссылки из сообщений безопасности здесь не показываются. Пуш‑уведомления ждут отправки, пока не появится мобильное приложение."
            </p>
            {if deliveries.is_empty() {
                view! { <p class="muted" id="no-deliveries">"Сообщений пока не было."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="journal" id="deliveries">
                            <thead>
                                <tr>
                                    <th scope="col">"Когда"</th>
                                    <th scope="col">"Канал"</th>
                                    <th scope="col">"Кому"</th>
                                    <th scope="col">"Сообщение"</th>
                                    <th scope="col">"Состояние"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {deliveries.into_iter().map(|d| view! {
                                    <tr data-channel=d.channel.clone()>
                                        <td data-label="Когда">{d.at}</td>
                                        <td data-label="Канал">{d.channel.clone()}</td>
                                        <td data-label="Кому">{d.to}</td>
                                        <td data-label="Сообщение">{d.what}</td>
                                        <td data-label="Состояние"><span class=state_class(d.state)>{d.state.label()}</span></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// `/notifications/<id>`: opens the notice (now read) and goes on to its
/// link; a notice without one is shown here. Another person's is 404.
#[component]
pub fn NoticePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let opened = Resource::new(move || id.clone(), open_notice);
    view! {
        <Title text="Уведомление" />
        <RequireSignIn>
            <Suspense fallback=|| view! { <p class="container section">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match opened.await {
                        Ok(o) => match o.notice.link.clone() {
                            Some(path) => view! { <Redirect path /> }.into_any(),
                            None => view! { <OneNotice n=o.notice /> }.into_any(),
                        },
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn OneNotice(n: NotificationView) -> impl IntoView {
    view! {
        <div class="container section notifications">
            <p class="breadcrumbs"><a href="/notifications">"Уведомления"</a></p>
            <article class="card notice-one">
                <p class="notice-meta">{format!("{} · {}", kind_label(n.kind), n.at)}</p>
                <h1>{n.subject}</h1>
                <p>{n.text}</p>
            </article>
        </div>
    }
}
