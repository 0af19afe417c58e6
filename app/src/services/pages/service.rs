//! `/services/<code>`: one service as a person decides whether to apply
//! (spec 003 «Получение государственных услуг»): what it gives, who may
//! apply and with which account level, the documents, the legal term, the
//! state duty, the department, and «Получить услугу». An unknown code is
//! the 404 page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::services::catalog::{ServiceView, get_service, price_label};

#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(move || params.with(|p| p.get("code").unwrap_or_default()), get_service);
    view! {
        <Transition fallback=|| view! { <div class="container section"><p>"Загрузка…"</p></div> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(s) => view! { <ServiceBody s /> }.into_any(),
                    Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ServiceBody(s: ServiceView) -> impl IntoView {
    let apply = format!("/services/{}/apply", s.code);
    let category_href = format!("/services?category={}", crate::format::encode_component(&s.category));
    let price = price_label(s.price_kopecks);
    let price_note = if s.price_kopecks.is_some() {
        "Стоимость (госпошлина или плата)"
    } else {
        "Стоимость"
    };
    view! {
        <Title text=s.title.clone() />
        <article class="container section service-page" aria-labelledby="service-title">
            <p class="breadcrumbs"><a href=category_href>{s.category.clone()}</a></p>
            <h1 id="service-title">{s.title.clone()}</h1>
            <p class="lead">{s.summary.clone()}</p>
            <div class="service-layout">
                <div class="service-main">
                    <section aria-labelledby="gives-title">
                        <h2 id="gives-title">"Что вы получите"</h2>
                        <p>{s.gives.clone()}</p>
                    </section>
                    <section aria-labelledby="who-title">
                        <h2 id="who-title">"Кто может подать заявление"</h2>
                        <p>{s.who.clone()}</p>
                    </section>
                    <section aria-labelledby="docs-title">
                        <h2 id="docs-title">"Какие документы понадобятся"</h2>
                        {if s.documents.is_empty() {
                            view! { <p>"Документы не нужны: сведения портал возьмёт из вашего профиля."</p> }.into_any()
                        } else {
                            view! { <ul class="service-docs">{s.documents.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                </div>
                <aside class="card service-facts" aria-labelledby="facts-title">
                    <h2 id="facts-title" class="visually-hidden">"Коротко об услуге"</h2>
                    <dl class="data-list service-data">
                        <dt>"Уровень учётной записи"</dt>
                        <dd id="service-level">
                            {match s.level.next() {
                                Some(_) => format!("{} или выше", s.level.label()),
                                None => s.level.label().to_string(),
                            }}
                            <span class="muted service-level-opens">{format!("{}.", s.level.opens())}</span>
                        </dd>
                        <dt>"Срок оказания"</dt>
                        <dd id="service-term">{s.term.clone()}</dd>
                        <dt>{price_note}</dt>
                        <dd id="service-price">{price}</dd>
                        <dt>"Ведомство"</dt>
                        <dd id="service-department">{s.department.clone()}</dd>
                    </dl>
                    <a class="btn btn-primary service-apply" href=apply>"Получить услугу"</a>
                </aside>
            </div>
        </article>
    }
}
