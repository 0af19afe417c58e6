//! The signed-in citizen's own home, «Личный кабинет» (issue 12): a
//! greeting by name and patronymic, what needs their action, what is new
//! (unread notices, the newest few) and the cards of the account's parts.
//! The cards come from the areas through `lib.rs` (an area never imports
//! another), each a `ui::HomeCard`; this frame adds the «Уведомления» card.
//! `Home` picks this page or the public one by who is signed in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::pages::use_me;
use crate::notify::api::get_home;
use crate::notify::dto::HomeSummary;
use crate::notify::pages::NoticeList;
use crate::ui::HomeCard;

/// `/`: the personal home for a signed-in citizen, the public page for
/// anyone else (staff included: their home is `/staff`).
#[component]
pub fn Home(#[prop(into)] public: ViewFn, #[prop(into)] personal: ViewFn) -> impl IntoView {
    let me = use_me();
    view! {
        <Suspense fallback=|| view! { <p class="container section">"Загрузка…"</p> }>
            {move || {
                let (public, personal) = (public.clone(), personal.clone());
                Suspend::new(async move {
                    match me.await {
                        Ok(Some(m)) if !m.is_staff() && !m.must_change_password => personal.run(),
                        _ => public.run(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The frame of «Личный кабинет»; `children` are the areas' `HomeCard`s.
/// They are made here, before anything is awaited, so their own requests
/// are made in the same order on the server and in the browser.
#[component]
pub fn PersonalHome(children: Children) -> impl IntoView {
    let summary = Resource::new(|| (), |_| get_home());
    let cards = children();
    view! {
        <Title text="Личный кабинет" />
        <div class="container section personal-home">
            <Suspense fallback=|| view! { <h1>"Личный кабинет"</h1><p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match summary.await {
                        Ok(h) => view! { <Summary h /> }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
            <section class="profile-section" aria-labelledby="cards-title">
                <h2 id="cards-title">"Разделы"</h2>
                <ul class="home-cards" id="home-cards">
                    {cards}
                    <Suspense fallback=|| view! { <HomeCard title="Уведомления" href="/notifications" id="card-notifications" /> }>
                        {move || Suspend::new(async move {
                            let unread = summary.await.map(|h| h.unread).unwrap_or(0);
                            let note = match unread {
                                0 => "Новых нет".to_string(),
                                n => format!("Непрочитанных: {n}"),
                            };
                            view! { <HomeCard title="Уведомления" href="/notifications" count=Some(unread) note id="card-notifications" /> }
                        })}
                    </Suspense>
                </ul>
                <p><a href="/settings/notifications">"Настройка уведомлений"</a></p>
            </section>
            // «Услуги» in the header leads here (`/#services`).
            <section class="card profile-section" aria-labelledby="services-title" id="services">
                <h2 id="services-title">"Услуги"</h2>
                <p>"Паспорта, справки и выписки, регистрация, запись в детский сад и другие услуги — в каталоге, с поиском."</p>
                <p><a class="btn btn-primary" href="/services">"Каталог услуг"</a></p>
            </section>
        </div>
    }
}

#[component]
fn Summary(h: HomeSummary) -> impl IntoView {
    let HomeSummary { greeting, unread, latest, actions } = h;
    view! {
        <h1>"Личный кабинет"</h1>
        <p class="lead greeting" id="greeting">{format!("Здравствуйте, {greeting}!")}</p>
        <div class="home-columns">
            <section class="card profile-section" aria-labelledby="action-title" id="needs-action">
                <h2 id="action-title">"Требует вашего внимания"</h2>
                {if actions.is_empty() {
                    view! { <p class="muted">"Сейчас от вас ничего не требуется."</p> }.into_any()
                } else {
                    view! {
                        <ul class="home-actions">
                            {actions.into_iter().map(|a| view! {
                                <li><p>{a.text}</p><a href=a.href>{a.link}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="card profile-section" aria-labelledby="new-title" id="whats-new">
                <h2 id="new-title">"Что нового"</h2>
                {if latest.is_empty() {
                    view! { <p class="muted">"Непрочитанных уведомлений нет."</p> }.into_any()
                } else {
                    view! {
                        <p>{format!("Непрочитанных уведомлений: {unread}")}</p>
                        <NoticeList items=latest id="home-notices" />
                    }.into_any()
                }}
                <p><a href="/notifications">"Все уведомления"</a></p>
            </section>
        </div>
    }
}
