//! Госпортал: the personal account of a state-services portal.
//! This crate is shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`); it holds the shell, the one route table and one
//! folder per area.

pub mod account;
pub mod auth;
pub mod charges;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod dev;
pub mod documents;
pub mod error;
pub mod errors;
pub mod format;
pub mod help;
pub mod home;
pub mod identity;
pub mod layout;
pub mod mfc;
pub mod notify;
pub mod payments;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod security;
pub mod services;
pub mod site;
pub mod staff;
#[cfg(all(test, feature = "ssr"))]
pub(crate) mod testing;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
#[cfg(feature = "split")]
use leptos_router::{Lazy, LazyRoute, lazy_route};
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
                // `defer`: the script and the wasm are fetched at low priority
                // and run when the browser is idle, so they never hold back
                // the stylesheet and the first paint of the server's HTML.
                <HydrationScripts options defer=true />
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

/// One route per page, each a lazy route in a split build: with
/// `cargo leptos build --release --split --lib-features split` (`make
/// release`) each page's code is its own piece of the wasm, fetched when the
/// page is first shown (hydrated, or opened by a link), so a first visit to
/// `/` or `/login` does not download the profile, the security settings or
/// the staff console. Other builds (debug, tests, the server) keep every
/// page in one piece: `#[lazy]` code needs the split tool to load at all.
/// The server renders every page whole either way; the HTML is the same.
macro_rules! pages {
    ($($route:ident => $view:expr;)*) => {$(
        struct $route;

        impl $route {
            fn page() -> AnyView {
                $view.into_any()
            }
        }

        #[cfg(feature = "split")]
        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $route::page()
            }
        }
    )*};
}

/// What a `<Route>` shows for `pages!`' `$route`.
#[cfg(feature = "split")]
macro_rules! page {
    ($route:ident) => {
        Lazy::<$route>::new()
    };
}
#[cfg(not(feature = "split"))]
macro_rules! page {
    ($route:ident) => {
        $route::page
    };
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    ui::provide_toasts();
    let site = site::provide_site_info();

    // Every page is rendered whole on the server (SsrMode::Async): a person
    // with JavaScript off, or before the wasm arrives, gets a complete page
    // and working forms, never a loading placeholder. Every page's code is
    // its own piece of the wasm (`pages!` below).
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Meta name="description" content="Личный кабинет на портале государственных услуг" />
        <Title formatter=|text: String| if text.is_empty() { "Госпортал".to_string() } else { format!("{text} — Госпортал") } />
        <Router>
            <layout::Layout site>
                <Routes fallback=|| view! { <errors::NotFoundPage /> }>
                    <Route path=StaticSegment("") view={page!(HomePageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/help") view={page!(HelpPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/login") view={page!(LoginRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/register") view={page!(RegisterPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/register/confirm") view={page!(RegisterConfirmPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/recover") view={page!(RecoverPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/recover/confirm") view={page!(RecoverConfirmPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/password/expired") view={page!(PasswordExpiredPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/profile") view={page!(ProfilePageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/profile/confirm") view={page!(ContactConfirmPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/profile/verify") view={page!(VerifyPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/security") view={page!(SecurityPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/security/2fa") view={page!(TwoStepPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/security/2fa/backup") view={page!(BackupCodesPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/security/sessions") view={page!(SessionsPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/security/journal") view={page!(JournalPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/login/second") view={page!(SecondStepPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/not-me") view={page!(NotMePageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/security/passkeys") view={page!(PasskeysPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/legal/terms") view={page!(TermsPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/legal/privacy") view={page!(PrivacyPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff") view={page!(StaffHomeRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/operator") view={page!(OperatorHomeRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/mfc") view={page!(MfcHomeRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/mfc/visit") view={page!(MfcVisitRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/mfc/pin") view={page!(MfcPinRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/official") view={page!(OfficialHomeRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/support") view={page!(SupportHomeRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/admin") view={page!(AdminPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/documents") view={page!(DocumentsPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/documents/change") view={page!(ChangeRequestPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/official/documents") view={page!(DocumentQueueRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/official/documents/change/:id") view={page!(ChangeReviewRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/official/documents/:id") view={page!(DocumentReviewRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/services") view={page!(CatalogueRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/services/:code") view={page!(ServicePageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view={page!(NotificationsPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/notifications/:id") view={page!(NoticePageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/settings/notifications") view={page!(NotificationSettingsRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/services/:code/apply") view={page!(ApplyPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/applications") view={page!(MyApplicationsRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/applications/:id/edit") view={page!(DraftEditRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/applications/:id") view={page!(ApplicationRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/applications") view={page!(StaffQueueRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/staff/applications/:id") view={page!(StaffApplicationRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/check/:hash") view={page!(CheckDocumentRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/payments") view={page!(DebtsRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/payments/find") view={page!(FindUinRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/payments/history") view={page!(PaymentHistoryRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/payments/charge/:uin") view={page!(ChargeRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/payments/p/:key") view={page!(PaymentRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/sim/sbp/:op") view={page!(SbpBankRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/dev/outbox") view={page!(OutboxPageRoute)} ssr=SsrMode::Async />
                    <Route path=path!("/dev/ui") view={page!(UiKitPageRoute)} ssr=SsrMode::Async />
                </Routes>
            </layout::Layout>
        </Router>
    }
}

pages! {
    HomePageRoute => view! { <home::Home public=|| view! { <home::HomePage><services::pages::PopularServices /></home::HomePage> } personal=PersonalHomeCards /> };
    HelpPageRoute => view! { <help::HelpPage /> };
    LoginRoute => view! { <account::pages::LoginPage><security::passkeys::PasskeySignIn /></account::pages::LoginPage> };
    RegisterPageRoute => view! { <account::pages::RegisterPage /> };
    RegisterConfirmPageRoute => view! { <account::pages::RegisterConfirmPage /> };
    RecoverPageRoute => view! { <account::pages::RecoverPage /> };
    RecoverConfirmPageRoute => view! { <account::pages::RecoverConfirmPage /> };
    PasswordExpiredPageRoute => view! { <account::pages::PasswordExpiredPage /> };
    ProfilePageRoute => view! { <account::pages::ProfilePage /> };
    ContactConfirmPageRoute => view! { <account::pages::ContactConfirmPage /> };
    VerifyPageRoute => view! { <identity::pages::VerifyPage /> };
    SecurityPageRoute => view! { <account::pages::SecurityPage /> };
    TwoStepPageRoute => view! { <security::pages::TwoStepPage /> };
    BackupCodesPageRoute => view! { <security::pages::BackupCodesPage /> };
    SessionsPageRoute => view! { <security::pages::SessionsPage /> };
    JournalPageRoute => view! { <security::pages::JournalPage /> };
    SecondStepPageRoute => view! { <security::pages::SecondStepPage /> };
    NotMePageRoute => view! { <security::pages::NotMePage /> };
    PasskeysPageRoute => view! { <security::passkeys::PasskeysPage /> };
    TermsPageRoute => view! { <account::pages::TermsPage /> };
    PrivacyPageRoute => view! { <account::pages::PrivacyPage /> };
    StaffHomeRoute => view! { <staff::pages::StaffHome /> };
    // The operator's home before the МФЦ console had its own address.
    OperatorHomeRoute => view! { <mfc::pages::MfcHome /> };
    MfcHomeRoute => view! { <mfc::pages::MfcHome /> };
    MfcVisitRoute => view! { <mfc::pages::VisitPage /> };
    MfcPinRoute => view! { <mfc::pages::PinPadPage /> };
    OfficialHomeRoute => view! { <staff::pages::OfficialHome /> };
    SupportHomeRoute => view! { <staff::pages::SupportHome /> };
    AdminPageRoute => view! { <staff::pages::AdminPage /> };
    DocumentsPageRoute => view! { <documents::pages::DocumentsPage /> };
    ChangeRequestPageRoute => view! { <documents::pages::ChangeRequestPage /> };
    DocumentQueueRoute => view! { <documents::pages::DocumentQueuePage /> };
    DocumentReviewRoute => view! { <documents::pages::DocumentReviewPage /> };
    ChangeReviewRoute => view! { <documents::pages::ChangeReviewPage /> };
    CatalogueRoute => view! { <services::pages::CataloguePage /> };
    ServicePageRoute => view! { <services::pages::ServicePage /> };
    NotificationsPageRoute => view! { <notify::pages::NotificationsPage /> };
    NoticePageRoute => view! { <notify::pages::NoticePage /> };
    NotificationSettingsRoute => view! { <notify::pages::NotificationSettingsPage /> };
    ApplyPageRoute => view! { <services::pages::ApplyPage /> };
    MyApplicationsRoute => view! { <services::pages::MyApplicationsPage /> };
    DraftEditRoute => view! { <services::pages::DraftEditPage /> };
    ApplicationRoute => view! { <services::pages::ApplicationPage /> };
    StaffQueueRoute => view! { <services::pages::StaffQueuePage /> };
    StaffApplicationRoute => view! { <services::pages::StaffApplicationPage /> };
    CheckDocumentRoute => view! { <services::pages::CheckDocumentPage /> };
    DebtsRoute => view! { <payments::pages::DebtsPage /> };
    FindUinRoute => view! { <payments::pages::FindPage /> };
    PaymentHistoryRoute => view! { <payments::pages::HistoryPage /> };
    ChargeRoute => view! { <payments::pages::ChargePage /> };
    PaymentRoute => view! { <payments::pages::PaymentPage /> };
    SbpBankRoute => view! { <payments::pages::SbpBankPage /> };
    OutboxPageRoute => view! { <dev::OutboxPage /> };
    UiKitPageRoute => view! { <dev::UiKitPage /> };
}

/// «Личный кабинет» with the cards of every area (`ui::HomeCard`; an area
/// never imports another, so they meet here). A card of an area that does
/// not exist yet says «Скоро» and shows no count.
#[allow(non_snake_case)]
fn PersonalHomeCards() -> impl IntoView {
    view! {
        <home::PersonalHome>
            <services::pages::ApplicationsHomeCard />
            <payments::pages::PaymentsHomeCard />
            <ui::HomeCard title="Запись к врачу" soon=true note="Запись на приём, перенос и отмена" id="card-doctor" />
            <ui::HomeCard title="Обращения в поддержку" soon=true note="Вопросы в службу поддержки и ответы на них" id="card-support" />
            <DocumentsHomeCard />
        </home::PersonalHome>
    }
}

/// «Документы» on the personal home: how many, and how many to upload again.
#[component]
fn DocumentsHomeCard() -> impl IntoView {
    let docs = Resource::new(|| (), |_| documents::api::get_my_documents());
    view! {
        <Suspense fallback=|| view! { <ui::HomeCard title="Документы" href="/documents" id="card-documents" /> }>
            {move || Suspend::new(async move {
                let d = docs.await.ok();
                let count = d.as_ref().map(|d| u32::try_from(d.documents.len()).unwrap_or(u32::MAX));
                let again = d
                    .map(|d| d.documents.iter().filter(|x| x.status == documents::model::DocStatus::Rejected && !x.replaced).count())
                    .unwrap_or(0);
                let note = match (again, count) {
                    (0, Some(0)) => "Загрузите сканы паспорта, СНИЛС и других документов".to_string(),
                    (0, _) => "Загруженные документы и их проверка".to_string(),
                    (n, _) => format!("Нужно загрузить заново: {n}"),
                };
                view! { <ui::HomeCard title="Документы" href="/documents" count note id="card-documents" /> }
            })}
        </Suspense>
    }
}
