//! Госпортал: the personal account of a state-services portal.
//! This crate is shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`); it holds the shell, the one route table and one
//! folder per area.

pub mod account;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod dev;
pub mod error;
pub mod errors;
pub mod format;
pub mod help;
pub mod home;
pub mod layout;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod security;
pub mod site;
pub mod staff;
#[cfg(all(test, feature = "ssr"))]
pub(crate) mod testing;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, StaticSegment, path};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="ru">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0d4cd3" />
                <link rel="stylesheet" id="portal" href=stylesheet_href() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Where the stylesheet is: `/pkg/portal.<hash>.css` when cargo-leptos
/// named the files by their content (`hash-files`, which writes `hash.txt`
/// beside the server binary), else `/pkg/portal.css`. Read once. The shell
/// links it itself (not `leptos_meta`'s `Stylesheet` in `App`), so the
/// browser never sees a second, unhashed link and the error pages share it.
pub fn stylesheet_href() -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
            .and_then(|file| std::fs::read_to_string(file).ok())
            .unwrap_or_default();
        let hash = hashes.lines().find_map(|l| l.trim().strip_prefix("css:")).map(str::trim);
        match hash {
            Some(hash) if !hash.is_empty() => format!("/pkg/portal.{hash}.css"),
            _ => "/pkg/portal.css".to_string(),
        }
    })
}

/// The Content-Security-Policy of a page: scripts only from us and the one
/// inline hydration script that carries this response's nonce; wasm allowed
/// to compile; no framing, no plugins, forms post only to us.
#[cfg(feature = "ssr")]
fn set_security_policy() {
    use leptos::nonce::use_nonce;
    if let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
        && let Ok(value) = http::HeaderValue::from_str(&platform_csp(&nonce.to_string()))
    {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The CSP for HTML pages; `nonce` is this response's script nonce.
pub fn platform_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    ui::provide_toasts();
    let site = site::provide_site_info();
    // Marks the page as live once the wasm app has taken it over; the
    // browser tests wait for it before they interact.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    // Every page is rendered whole on the server (SsrMode::Async): a person
    // with JavaScript off, or before the wasm arrives, gets a complete page
    // and working forms, never a loading placeholder.
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Meta name="description" content="Личный кабинет на портале государственных услуг" />
        <Title formatter=|text: String| if text.is_empty() { "Госпортал".to_string() } else { format!("{text} — Госпортал") } />
        <Router>
            <layout::Layout site>
                <Routes fallback=|| view! { <errors::NotFoundPage /> }>
                    <Route path=StaticSegment("") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/help") view=help::HelpPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/login")
                        view=|| view! { <account::pages::LoginPage><security::passkeys::PasskeySignIn /></account::pages::LoginPage> }
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/register") view=account::pages::RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/register/confirm") view=account::pages::RegisterConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/recover") view=account::pages::RecoverPage ssr=SsrMode::Async />
                    <Route path=path!("/recover/confirm") view=account::pages::RecoverConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/password/expired") view=account::pages::PasswordExpiredPage ssr=SsrMode::Async />
                    <Route path=path!("/profile") view=account::pages::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/profile/confirm") view=account::pages::ContactConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/security") view=account::pages::SecurityPage ssr=SsrMode::Async />
                    <Route path=path!("/security/2fa") view=security::pages::TwoStepPage ssr=SsrMode::Async />
                    <Route path=path!("/security/2fa/backup") view=security::pages::BackupCodesPage ssr=SsrMode::Async />
                    <Route path=path!("/security/sessions") view=security::pages::SessionsPage ssr=SsrMode::Async />
                    <Route path=path!("/security/journal") view=security::pages::JournalPage ssr=SsrMode::Async />
                    <Route path=path!("/login/second") view=security::pages::SecondStepPage ssr=SsrMode::Async />
                    <Route path=path!("/not-me") view=security::pages::NotMePage ssr=SsrMode::Async />
                    <Route path=path!("/security/passkeys") view=security::passkeys::PasskeysPage ssr=SsrMode::Async />
                    <Route path=path!("/legal/terms") view=account::pages::TermsPage ssr=SsrMode::Async />
                    <Route path=path!("/legal/privacy") view=account::pages::PrivacyPage ssr=SsrMode::Async />
                    <Route path=path!("/staff") view=staff::pages::StaffHome ssr=SsrMode::Async />
                    <Route path=path!("/staff/operator") view=staff::pages::OperatorHome ssr=SsrMode::Async />
                    <Route path=path!("/staff/official") view=staff::pages::OfficialHome ssr=SsrMode::Async />
                    <Route path=path!("/staff/support") view=staff::pages::SupportHome ssr=SsrMode::Async />
                    <Route path=path!("/staff/admin") view=staff::pages::AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/dev/outbox") view=dev::OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/dev/ui") view=dev::UiKitPage ssr=SsrMode::Async />
                </Routes>
            </layout::Layout>
        </Router>
    }
}
