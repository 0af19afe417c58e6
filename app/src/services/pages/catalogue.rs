//! «Список услуг» `/services` (spec 003 «Получение государственных услуг»):
//! the categories as links (`?category=`), the search (a GET form `?q=`
//! that the server answers with JavaScript off; with it on, the results
//! follow the typing after a short pause and the typed text stays), the
//! number found read out by screen readers. `PopularServices` is the same
//! search on the public home page, starting from the popular services.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::services::catalog::{Found, ServiceCard, search_services};
use crate::ui::typed_value;

/// How long the typing must pause before the search runs.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map();
    let category = Memo::new(move |_| query.with(|q| q.get("category").filter(|c| !c.is_empty())));
    view! {
        <Title text="Список услуг" />
        <div class="container section catalogue">
            <h1>"Список услуг"</h1>
            <p class="lead">"Найдите услугу по названию или своими словами — например, «справка о судимости», «загранпаспорт» или «детский сад»."</p>
            <ServiceSearch action="/services" popular=false category />
        </div>
    }
}

/// The search section of the public home page: the popular services, and
/// any service by search.
#[component]
pub fn PopularServices() -> impl IntoView {
    view! {
        <section class="container section" id="services" aria-labelledby="services-title">
            <h2 id="services-title">"Популярные услуги"</h2>
            <ServiceSearch action="/#services" popular=true category=Memo::new(|_| None::<String>) />
            <p class="all-services"><a href="/services">"Все услуги"</a></p>
        </section>
    }
}

/// The search form, the categories (on `/services`) and the results.
#[component]
fn ServiceSearch(action: &'static str, popular: bool, category: Memo<Option<String>>) -> impl IntoView {
    let initial = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let typed = RwSignal::new(initial.clone());
    // What was searched: the typed text once the typing paused.
    let searched = RwSignal::new(initial);
    Effect::new(move |_| {
        let now = typed.get();
        if searched.get_untracked() != now {
            set_timeout(
                move || {
                    if typed.try_get_untracked().as_ref() == Some(&now) {
                        searched.try_set(now);
                    }
                },
                PAUSE,
            );
        }
    });
    let found = Resource::new(
        move || (searched.get(), category.get()),
        // The answer carries the words it is for, so the count never
        // speaks of another search.
        move |(q, c)| async move { (q.clone(), search_services(q, c.unwrap_or_default(), popular).await) },
    );
    view! {
        <form method="get" action=action role="search" class="search" on:submit=move |ev| {
            ev.prevent_default();
            searched.set(typed.get_untracked());
        }>
            <label for="service-search" class="field-label">"Поиск услуги"</label>
            {move || category.get().map(|c| view! { <input type="hidden" name="category" value=c /> })}
            <div class="search-row">
                <input
                    id="service-search"
                    name="q"
                    type="search"
                    class="field-input"
                    autocomplete="off"
                    maxlength="100"
                    aria-describedby="service-search-count"
                    placeholder="Например, паспорт или справка"
                    prop:value=typed_value(typed)
                    value=typed.get_untracked()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
                <button type="submit" class="btn btn-primary">"Найти"</button>
            </div>
            <p id="service-search-count" class="search-count" aria-live="polite">
                <Transition fallback=|| "Поиск…">
                    {move || Suspend::new(async move {
                        let (q, f) = found.await;
                        f.map(|f| count_text(&f, &q, popular)).unwrap_or_else(|e| e.to_string())
                    })}
                </Transition>
            </p>
        </form>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match found.await.1 {
                    Ok(f) => view! { <Results f show_categories=!popular /> }.into_any(),
                    Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn count_text(f: &Found, q: &str, popular: bool) -> String {
    let n = f.services.len();
    if q.trim().is_empty() {
        return if popular {
            format!("Популярных услуг: {n}")
        } else {
            format!("Всего услуг: {n}")
        };
    }
    match n {
        0 => "Ничего не найдено. Попробуйте другое слово или загляните в раздел «Помощь».".to_string(),
        n => format!("Найдено услуг: {n}"),
    }
}

#[component]
fn Results(f: Found, show_categories: bool) -> impl IntoView {
    let Found { services, categories, category } = f;
    let all_href = "/services";
    view! {
        {show_categories.then(|| view! {
            <nav class="categories" aria-label="Категории услуг">
                <ul>
                    <li><a href=all_href aria-current=category.is_none().then_some("page")>"Все категории"</a></li>
                    {categories.into_iter().map(|c| {
                        let current = category.as_deref() == Some(c.name.as_str());
                        let href = format!("/services?category={}", crate::format::encode_component(&c.name));
                        view! {
                            <li>
                                <a href=href aria-current=current.then_some("page")>{c.name}" "<span class="muted">{format!("({})", c.count)}</span></a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        })}
        <ul class="service-grid" id="service-list">
            {services.into_iter().map(|s| view! { <ServiceItem s /> }).collect_view()}
        </ul>
    }
}

#[component]
fn ServiceItem(s: ServiceCard) -> impl IntoView {
    let href = format!("/services/{}", s.code);
    view! {
        <li class="service">
            <p class="service-category">{s.category}</p>
            <h3 class="service-title"><a href=href>{s.title}</a></h3>
            <p class="service-summary">{s.summary}</p>
        </li>
    }
}
