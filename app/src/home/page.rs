use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::model::search_services;
use crate::ui::{ButtonLink, ButtonVariant, Card, typed_value};

#[component]
pub fn HomePage() -> impl IntoView {
    let initial = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let query = RwSignal::new(initial);
    let found = Memo::new(move |_| query.with(|q| search_services(q)));

    view! {
        <Title text="" />
        <section class="hero">
            <div class="container hero-inner">
                <h1>"Личный кабинет на портале государственных услуг"</h1>
                <p class="hero-lead">
                    "Оформляйте заявления, получайте справки, оплачивайте штрафы и налоги и следите за статусом запросов без посещения государственных органов."
                </p>
                <div class="hero-actions">
                    <ButtonLink href="/login">"Войти"</ButtonLink>
                    <ButtonLink href="/register" variant=ButtonVariant::Secondary>"Регистрация"</ButtonLink>
                </div>
            </div>
        </section>

        <section class="container section" id="services" aria-labelledby="services-title">
            <h2 id="services-title">"Популярные услуги"</h2>
            <form method="get" action="/#services" role="search" class="search" on:submit=move |ev| ev.prevent_default()>
                <label for="service-search" class="field-label">"Поиск услуги"</label>
                <div class="search-row">
                    <input
                        id="service-search"
                        name="q"
                        type="search"
                        class="field-input"
                        autocomplete="off"
                        aria-describedby="service-search-count"
                        placeholder="Например, паспорт или штраф"
                        prop:value=typed_value(query)
                        value=query.get_untracked()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                    <button type="submit" class="btn btn-primary">"Найти"</button>
                </div>
                <p id="service-search-count" class="search-count" aria-live="polite">
                    {move || match found.with(Vec::len) {
                        0 => "Ничего не найдено. Попробуйте другое слово или загляните в раздел «Помощь».".to_string(),
                        n => format!("Найдено услуг: {n}"),
                    }}
                </p>
            </form>
            <ul class="service-grid">
                <For each=move || found.get() key=|s| s.title let:service>
                    <li class="service">
                        <p class="service-category">{service.category}</p>
                        <h3 class="service-title">{service.title}</h3>
                        <p class="service-summary">{service.summary}</p>
                    </li>
                </For>
            </ul>
        </section>

        <section class="container section" aria-labelledby="features-title">
            <h2 id="features-title">"Возможности личного кабинета"</h2>
            <div class="card-grid">
                <Card title="Мои заявления">
                    <p>"Поданные заявления, их статусы и результаты в одном списке."</p>
                </Card>
                <Card title="Штрафы и налоги">
                    <p>"Начисления и задолженности с оплатой картой или через СБП."</p>
                </Card>
                <Card title="Запись к врачу">
                    <p>"Запись на приём, перенос и отмена без звонков в регистратуру."</p>
                </Card>
                <Card title="Документы и данные" href="/documents">
                    <p>"Паспорт, СНИЛС, ИНН, полис ОМС и контакты — всегда под рукой."</p>
                </Card>
                <Card title="Уведомления">
                    <p>"Изменения статусов, новые начисления и напоминания о приёме."</p>
                </Card>
                <Card title="Настройки безопасности">
                    <p>"Двухэтапная проверка, вход по биометрии и список активных сеансов."</p>
                </Card>
            </div>
        </section>
    }
}
