use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::{ButtonLink, ButtonVariant, Card};

/// The public home page; `children` is the search over the services.
#[component]
pub fn HomePage(children: Children) -> impl IntoView {
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

        // The search over the services (the catalogue's `PopularServices`,
        // given by the route table: an area does not import another).
        {children()}

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
