//! The frame around every page: skip link, header with navigation and
//! «Войти» (or the bell with the unread count and the account menu), the offline notice, the footer with support contacts, toasts.

mod offline;

use leptos::prelude::*;

use crate::site::{SiteInfo, SiteResource};
use crate::ui::ToastHost;
pub use offline::OfflineNotice;

#[component]
pub fn Layout(site: SiteResource, children: Children) -> impl IntoView {
    crate::auth::pages::provide_me();
    view! {
        <a class="skip-link" href="#main">"Перейти к содержанию"</a>
        <Header />
        <OfflineNotice />
        <main id="main" class="main" tabindex="-1">
            {children()}
        </main>
        <Footer site />
        <ToastHost />
        <crate::auth::pages::SessionTimer />
    }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="header">
            <div class="container header-inner">
                <a href="/" class="brand" aria-label="Госпортал — на главную">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"Госпортал"</span>
                </a>
                <nav class="nav" aria-label="Основная навигация">
                    <a href="/#services" class="nav-link">"Услуги"</a>
                    <a href="/help" class="nav-link">"Помощь"</a>
                    <crate::notify::pages::Bell />
                    <crate::auth::pages::AccountMenu />
                </nav>
            </div>
        </header>
    }
}

#[component]
fn Footer(site: SiteResource) -> impl IntoView {
    view! {
        <footer class="footer">
            <div class="container footer-inner">
                <Suspense fallback=|| ()>
                    {move || site.get().map(|info| match info {
                        Ok(info) => view! { <FooterContacts info /> }.into_any(),
                        Err(_) => view! { <p>"Служба поддержки: раздел «Помощь»"</p> }.into_any(),
                    })}
                </Suspense>
                <p class="footer-note">"© Госпортал — личный кабинет на портале государственных услуг"</p>
            </div>
        </footer>
    }
}

#[component]
fn FooterContacts(info: SiteInfo) -> impl IntoView {
    let phone_href = info.phone_href();
    let mail_href = format!("mailto:{}", info.support_email);
    view! {
        <div class="footer-contacts">
            <h2 class="footer-title">"Служба поддержки"</h2>
            <p>
                <a href=phone_href>{info.support_phone.clone()}</a>
                " — бесплатно по России, круглосуточно"
            </p>
            <p><a href=mail_href>{info.support_email.clone()}</a></p>
            <p><a href="/help">"Помощь и ответы на вопросы"</a></p>
            {info.dev.then(|| view! {
                <p class="footer-dev">
                    "Режим разработки: "
                    <a href="/dev/outbox">"исходящие сообщения"</a>
                    " · "
                    <a href="/dev/ui">"элементы интерфейса"</a>
                </p>
            })}
        </div>
    }
}
