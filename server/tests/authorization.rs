//! Who may call each server function: the real router, in process, on an
//! in-memory database with the demo people, called as anonymous, as a
//! citizen, as another citizen, as each staff role, as an administrator
//! whose session has not passed a strong second step, as a citizen whose
//! password expired, and with the cookie of a disabled staff member. Every `/api/…`
//! endpoint the app registers must have a row in `TABLE`; a new endpoint
//! without one fails `every_endpoint_has_a_row`.
//!
//! An answer counts as *allowed* when the call got past authorization: any
//! status but 401 and 403 (a 400 for the deliberately empty or wrong
//! arguments is still allowed). A 5xx fails the test outright.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;

use app::auth::Role;
use app::auth::sessions::{self, NewSession, SessionKind};
use app::demo::{DEMO_ACCOUNTS, DEMO_STAFF};
use app::platform::auth_settings::AuthSettings;
use app::platform::clock;
use http::{StatusCode, header};
use support::Portal;

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// Anyone, signed in or not (public data, sign-in and registration steps).
    Anyone,
    /// Any signed-in person, citizen or staff, whose password is current.
    SignedIn,
    /// Any signed-in person, an expired or temporary password included
    /// (only the page that changes it).
    AnySession,
    /// A staff member with this role, signed in with a strong second step.
    Staff(Role),
    /// A signed-in citizen at the «Подтверждённая» level (payments: seed 000
    /// §4.3); a simplified account or a staff member's is refused (403).
    Confirmed,
}

/// Every endpoint, the form body it is called with, and who may call it.
const TABLE: &[(&str, &str, Who)] = &[
    // The kernel: who is signed in, session, the code step of every flow.
    ("account/me", "", Who::Anyone),
    ("account/extend", "", Who::Anyone),
    ("account/sign_out", "", Who::Anyone),
    ("account/flow", "flow=00000000000000000000000000000000", Who::Anyone),
    ("account/send_code", "flow=00000000000000000000000000000000&channel=sms", Who::Anyone),
    ("site_info", "", Who::Anyone),
    ("dev_outbox", "", Who::Anyone),
    // Account: registration, sign-in, recovery (anyone); profile (signed in).
    ("account/public_idle", "", Who::Anyone),
    ("account/password_rules", "", Who::Anyone),
    ("account/register", "surname=&name=&birth_date=&password=&password2=", Who::Anyone),
    ("account/confirm_registration", "flow=00000000000000000000000000000000&code=000000", Who::Anyone),
    ("account/sign_in", "login=%2B79169999999&password=x", Who::Anyone),
    ("account/recover", "login=", Who::Anyone),
    ("account/recover_finish", "flow=00000000000000000000000000000000&code=000000&password=&password2=", Who::Anyone),
    ("account/change_password", "current=&password=&password2=", Who::SignedIn),
    // Renewing an expired password is for signed-in people (the expired one included).
    ("account/renew_password", "password=&password2=", Who::AnySession),
    ("account/profile", "", Who::SignedIn),
    ("account/save_address", "postal_address=x", Who::SignedIn),
    ("account/change_contact", "kind=phone&value=1", Who::SignedIn),
    ("account/confirm_contact", "flow=00000000000000000000000000000000&code=000000", Who::SignedIn),
    ("account/access_log", "", Who::SignedIn),
    ("account/access_report", "row=nothing", Who::SignedIn),
    // Security: the second step belongs to the browser that gave the password.
    ("security/second_step", "flow=00000000000000000000000000000000", Who::Anyone),
    ("security/second_step_confirm", "flow=00000000000000000000000000000000&method=totp&code=000000", Who::Anyone),
    ("security/second_step_passkey_start", "flow=00000000000000000000000000000000", Who::Anyone),
    (
        "security/second_step_passkey_finish",
        "flow=00000000000000000000000000000000&challenge=x&credential=x",
        Who::Anyone,
    ),
    ("security/two_step", "", Who::SignedIn),
    ("security/sms_on", "", Who::SignedIn),
    ("security/totp_start", "", Who::SignedIn),
    ("security/totp_confirm", "code=000000", Who::SignedIn),
    ("security/method_off", "method=nothing", Who::SignedIn),
    ("security/backup_new", "", Who::SignedIn),
    ("security/backup_reveal", "", Who::SignedIn),
    ("security/reauth", "password=", Who::SignedIn),
    ("security/sessions", "", Who::SignedIn),
    ("security/session_end", "id=nothing", Who::SignedIn),
    ("security/sessions_end_others", "", Who::SignedIn),
    ("security/journal", "page=1", Who::SignedIn),
    ("security/not_me_check", "t=x", Who::Anyone),
    ("security/not_me", "t=x", Who::Anyone),
    // Passkeys: sign-in by anyone; the list and changes for the signed-in.
    ("security/passkey_sign_in_start", "", Who::Anyone),
    ("security/passkey_sign_in_finish", "challenge=x&credential=x", Who::Anyone),
    ("security/passkey_needs_script", "", Who::Anyone),
    ("security/passkey_list", "", Who::SignedIn),
    ("security/passkey_register_start", "", Who::SignedIn),
    ("security/passkey_register_finish", "challenge=x&credential=x", Who::SignedIn),
    ("security/passkey_rename", "id=x&name=x", Who::SignedIn),
    ("security/passkey_delete", "id=x", Who::SignedIn),
    ("security/passkey_verify_start", "", Who::SignedIn),
    ("security/passkey_verify_finish", "challenge=x&credential=x", Who::SignedIn),
    // «Подтверждение личности»: the signed-in person's own check.
    ("identity/status", "", Who::SignedIn),
    ("identity/send", "snils=", Who::SignedIn),
    // Staff accounts: administrators only.
    ("staff/list", "", Who::Staff(Role::Admin)),
    ("staff/create", "surname=&name=&phone=", Who::Staff(Role::Admin)),
    ("staff/roles", "id=nobody", Who::Staff(Role::Admin)),
    ("staff/disable", "id=nobody", Who::Staff(Role::Admin)),
    ("staff/enable", "id=nobody", Who::Staff(Role::Admin)),
    ("staff/reset", "id=nobody", Who::Staff(Role::Admin)),
    ("staff/alerts", "", Who::Staff(Role::Admin)),
    // The МФЦ operator's console: operators only.
    ("mfc/find", "query=", Who::Staff(Role::Operator)),
    ("mfc/visit", "task=nothing", Who::Staff(Role::Operator)),
    (
        "mfc/register",
        "surname=&name=&birth_date=&snils=&passport_series=&passport_number=&passport_issued_on=&passport_issued_by=&passport_division=&phone=",
        Who::Staff(Role::Operator),
    ),
    ("mfc/code_start", "task=nothing&what=identity", Who::Staff(Role::Operator)),
    ("mfc/pin", "flow=00000000000000000000000000000000", Who::Staff(Role::Operator)),
    ("mfc/pin_resend", "flow=00000000000000000000000000000000", Who::Staff(Role::Operator)),
    ("mfc/code_finish", "flow=00000000000000000000000000000000&code=000000", Who::Staff(Role::Operator)),
    (
        "mfc/documents",
        "task=nothing&snils=&passport_series=&passport_number=&passport_issued_on=&passport_issued_by=&passport_division=",
        Who::Staff(Role::Operator),
    ),
    ("mfc/end", "task=nothing", Who::Staff(Role::Operator)),
    ("staff/alert_handled", "id=nobody", Who::Staff(Role::Admin)),
    // «Документы»: one's own documents and change request (signed in); the
    // queue, reviews and decisions (officials). The upload and the download
    // are plain routes: server/tests/documents.rs.
    // Notifications: one's own notices, sent messages and settings.
    ("notify/centre", "", Who::SignedIn),
    ("notify/open", "id=nothing", Who::SignedIn),
    ("notify/read_all", "", Who::SignedIn),
    ("notify/settings", "", Who::SignedIn),
    ("notify/save_settings", "on[0]=status.sms", Who::SignedIn),
    ("notify/home", "", Who::SignedIn),
    ("documents/mine", "", Who::SignedIn),
    ("documents/change_page", "", Who::SignedIn),
    ("documents/request_change", "surname=&name=&birth_date=", Who::SignedIn),
    ("documents/queue", "", Who::Staff(Role::Official)),
    ("documents/review", "id=nothing", Who::Staff(Role::Official)),
    ("documents/decide", "id=nothing&decision=accept", Who::Staff(Role::Official)),
    ("documents/change_review", "id=nothing", Who::Staff(Role::Official)),
    ("documents/change_decide", "id=nothing&decision=approve", Who::Staff(Role::Official)),
    // The catalogue of services: public.
    ("services/search", "q=%D0%BF%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82", Who::Anyone),
    ("services/page", "code=passport-foreign", Who::Anyone),
    // Applications: one's own (signed in; another's is «не найдено»), the
    // official's console (officials of the department), the public check of
    // a result. The result download is a plain route: server/tests/applications.rs.
    ("applications/apply_info", "code=nothing", Who::SignedIn),
    ("applications/start", "code=nothing", Who::SignedIn),
    ("applications/draft", "id=nothing&step=0", Who::SignedIn),
    ("applications/save", "id=nothing&step=0", Who::SignedIn),
    ("applications/step", "id=nothing&step=0", Who::SignedIn),
    ("applications/submit", "id=nothing", Who::SignedIn),
    ("applications/delete", "id=nothing", Who::SignedIn),
    ("applications/mine", "", Who::SignedIn),
    ("applications/counts", "", Who::SignedIn),
    ("applications/one", "id=nothing", Who::SignedIn),
    ("applications/withdraw", "id=nothing", Who::SignedIn),
    ("applications/answer", "id=nothing", Who::SignedIn),
    ("applications/queue", "", Who::Staff(Role::Official)),
    ("applications/staff_one", "id=nothing", Who::Staff(Role::Official)),
    ("applications/claim", "id=nothing", Who::Staff(Role::Official)),
    ("applications/ask", "id=nothing", Who::Staff(Role::Official)),
    ("applications/decide", "id=nothing&decision=approve", Who::Staff(Role::Official)),
    ("applications/check", "hash=nothing", Who::Anyone),
    // Payments: a signed-in citizen at the «Подтверждённая» level; the
    // simulated bank app's page and answer are the QR link's (anyone).
    ("payments/debts", "", Who::Confirmed),
    ("payments/add_doc", "kind=sts&number=", Who::Confirmed),
    ("payments/remove_doc", "key=nothing", Who::Confirmed),
    ("payments/refresh", "", Who::Confirmed),
    ("payments/find", "uin=1", Who::Confirmed),
    ("payments/find_state", "uin=1&m=nothing", Who::Confirmed),
    ("payments/charge", "uin=nothing", Who::Confirmed),
    ("payments/pay", "uin=nothing&attempt=nothing&method=sbp", Who::Confirmed),
    ("payments/payment", "key=nothing", Who::Confirmed),
    ("payments/confirm", "key=nothing&code=1", Who::Confirmed),
    ("payments/cancel", "key=nothing", Who::Confirmed),
    ("payments/history", "", Who::Confirmed),
    ("payments/email_receipt", "key=nothing", Who::Confirmed),
    ("payments/save_payee", "uin=nothing", Who::Confirmed),
    ("payments/forget_payee", "key=nothing", Who::Confirmed),
    ("payments/forget_card", "key=nothing", Who::Confirmed),
    ("payments/sbp_bank", "op=nothing", Who::Anyone),
    ("payments/sbp_answer", "op=nothing&pay=0", Who::Anyone),
];

/// The callers every endpoint is tried with.
#[derive(Debug, Clone, Copy)]
enum Persona {
    Anonymous,
    Citizen,
    OtherCitizen,
    Staff(Role),
    /// An administrator signed in with the password only.
    AdminWithoutSecondStep,
    /// A citizen whose password expired (only its change is open).
    ExpiredPassword,
    /// A staff member an administrator disabled (their sessions were ended;
    /// this one is made afterwards, as a stolen cookie would be).
    DisabledStaff,
}

const PERSONAS: &[Persona] = &[
    Persona::Anonymous,
    Persona::Citizen,
    Persona::OtherCitizen,
    Persona::Staff(Role::Operator),
    Persona::Staff(Role::Official),
    Persona::Staff(Role::Support),
    Persona::Staff(Role::Admin),
    Persona::AdminWithoutSecondStep,
    Persona::ExpiredPassword,
    Persona::DisabledStaff,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Allowed,
    /// 401: sign in first.
    Unauthorized,
    /// 403: signed in, not allowed.
    Forbidden,
}

fn expected(who: Who, p: Persona) -> Outcome {
    match (who, p) {
        (Who::Anyone, _) => Outcome::Allowed,
        (_, Persona::Anonymous | Persona::DisabledStaff) => Outcome::Unauthorized,
        (Who::AnySession, _) => Outcome::Allowed,
        (_, Persona::ExpiredPassword) => Outcome::Forbidden,
        (Who::SignedIn, _) => Outcome::Allowed,
        (Who::Confirmed, Persona::Citizen) => Outcome::Allowed,
        (Who::Confirmed, _) => Outcome::Forbidden,
        (Who::Staff(r), Persona::Staff(held)) if r == held => Outcome::Allowed,
        (Who::Staff(_), _) => Outcome::Forbidden,
    }
}

const DISABLED_PHONE: &str = "+79165550099";

fn staff_key(role: Role) -> &'static str {
    DEMO_STAFF.iter().find(|s| s.roles.contains(&role)).unwrap().key
}

/// The setting of the table: the demo people and a disabled staff member.
async fn portal() -> Portal {
    let portal = Portal::new().await;
    let form = app::staff::model::StaffForm {
        surname: "Отключённая".into(),
        name: "Анна".into(),
        phone: DISABLED_PHONE.into(),
        roles: vec![Role::Support],
        ..Default::default()
    };
    let actor = app::staff::service::Actor::Console;
    let policy = AuthSettings::default().policy;
    let (key, _) = app::staff::service::create(&portal.state.db, &policy, &actor, &form, clock::now()).await.unwrap();
    portal.state.db.query("UPDATE type::record('account', $k) SET disabled = true").bind(("k", key)).await.unwrap();
    portal
}

trait Personas {
    async fn token(&self, p: Persona) -> Option<String>;
    async fn call(&self, endpoint: &str, body: &str, token: Option<&str>) -> (StatusCode, String);
}

impl Personas for Portal {
    /// A fresh session for `p` (a session of its own per call: some calls end it).
    async fn token(&self, p: Persona) -> Option<String> {
        let disabled;
        let (key, strong) = match p {
            Persona::Anonymous => return None,
            Persona::Citizen => (DEMO_ACCOUNTS[0].key, false),
            Persona::OtherCitizen | Persona::ExpiredPassword => (DEMO_ACCOUNTS[1].key, false),
            Persona::Staff(r) => (staff_key(r), true),
            Persona::AdminWithoutSecondStep => (staff_key(Role::Admin), false),
            Persona::DisabledStaff => {
                let ident = app::auth::identifier::Identifier::Phone(DISABLED_PHONE.into());
                disabled = app::auth::accounts::find_by_login(&self.state.db, &ident).await.unwrap().unwrap();
                (disabled.as_str(), true)
            }
        };
        let citizen = matches!(p, Persona::Citizen | Persona::OtherCitizen | Persona::ExpiredPassword);
        let kind = if citizen { SessionKind::Own } else { SessionKind::Staff };
        let must_change_password = matches!(p, Persona::ExpiredPassword);
        let new = NewSession {
            account: key,
            kind,
            strong,
            enrol: false,
            must_change_password,
            ip: "192.0.2.1",
            user_agent: "test",
        };
        Some(sessions::create(&self.state.db, &AuthSettings::default(), new, clock::now()).await.unwrap())
    }

    async fn call(&self, endpoint: &str, body: &str, token: Option<&str>) -> (StatusCode, String) {
        let cookie = token.map(|t| format!("portal_session={t}")).unwrap_or_default();
        let a = self.post(endpoint, body, &cookie).await;
        (a.status, a.body)
    }
}

fn outcome(status: StatusCode) -> Outcome {
    match status.as_u16() {
        401 => Outcome::Unauthorized,
        403 => Outcome::Forbidden,
        _ => Outcome::Allowed,
    }
}

#[tokio::test]
async fn every_endpoint_has_a_row() {
    // Building the router registers the app's server functions.
    let _portal = portal().await;
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let table: BTreeSet<String> = TABLE.iter().map(|(e, _, _)| e.to_string()).collect();
    let missing: Vec<_> = registered.difference(&table).collect();
    let stale: Vec<_> = table.difference(&registered).collect();
    assert!(missing.is_empty(), "endpoints without a row in TABLE: {missing:?}");
    assert!(stale.is_empty(), "rows for endpoints that do not exist: {stale:?}");
    assert_eq!(TABLE.len(), table.len(), "an endpoint has two rows");
}

#[tokio::test]
async fn each_endpoint_answers_each_caller_as_the_table_says() {
    let portal = portal().await;
    let mut wrong = Vec::new();
    for (endpoint, body, who) in TABLE {
        for p in PERSONAS {
            let token = portal.token(*p).await;
            let (status, text) = portal.call(endpoint, body, token.as_deref()).await;
            assert!(
                !status.is_server_error(),
                "{endpoint} as {p:?}: {status} {}",
                text.chars().take(300).collect::<String>()
            );
            let (want, got) = (expected(*who, *p), outcome(status));
            if want != got {
                wrong.push(format!(
                    "{endpoint} as {p:?}: want {want:?}, got {status} {}",
                    text.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from the table:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test]
async fn another_citizen_cannot_end_a_citizens_session() {
    let portal = portal().await;
    let mine = portal.token(Persona::Citizen).await.unwrap();
    let row = sessions::find(&portal.state.db, &mine, clock::now(), false).await.unwrap().unwrap();
    let id = row.public_id.unwrap();
    let theirs = portal.token(Persona::OtherCitizen).await.unwrap();
    let (status, text) = portal.call("security/session_end", &format!("id={id}"), Some(&theirs)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(sessions::find(&portal.state.db, &mine, clock::now(), false).await.unwrap().is_some());
}

#[tokio::test]
async fn a_disabled_staff_member_is_signed_out_on_the_next_call() {
    let portal = portal().await;
    let token = portal.token(Persona::Staff(Role::Support)).await.unwrap();
    let (status, _) = portal.call("account/profile", "", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    portal
        .state
        .db
        .query("UPDATE type::record('account', $k) SET disabled = true")
        .bind(("k", staff_key(Role::Support)))
        .await
        .unwrap();
    let (status, _) = portal.call("account/profile", "", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_body_that_is_not_form_data_is_answered_400_by_every_endpoint() {
    let portal = portal().await;
    let citizen = portal.token(Persona::Citizen).await.unwrap();
    let cookie = format!("portal_session={citizen}");
    let mut wrong = Vec::new();
    for (endpoint, _, _) in TABLE {
        for body in [&b"\xff\xfe=\x80\x81"[..], &b"login=%FF%FE&password=\xc3"[..]] {
            let a = portal.send("POST", &format!("/api/{endpoint}"), body.to_vec(), &cookie, &[]).await;
            if a.status != StatusCode::BAD_REQUEST || !a.body.contains("Неверный запрос") {
                wrong.push(format!("{endpoint}: {} {}", a.status, a.body.chars().take(120).collect::<String>()));
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers are not 400 «Неверный запрос»:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_requests_on_one_session_all_succeed() {
    let portal = std::sync::Arc::new(Portal::on_disk().await);
    let token = portal.token(Persona::Citizen).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..3 {
        // Activity was last recorded long enough ago that every request of
        // the round wants to record it (the write the old code failed on).
        let mut rounds = Vec::new();
        portal
            .state
            .db
            .query("UPDATE session SET last_seen_at = $t WHERE account = $a")
            .bind(("t", clock::now() - chrono::TimeDelta::seconds(20)))
            .bind(("a", DEMO_ACCOUNTS[0].key))
            .await
            .unwrap();
        for i in 0..50 {
            let (portal, cookie) = (portal.clone(), format!("portal_session={token}"));
            let endpoint = ["account/profile", "account/me", "security/two_step", "security/sessions"][i % 4];
            rounds.push(tokio::spawn(async move { (endpoint, portal.post(endpoint, "", &cookie).await.status) }));
        }
        for r in rounds {
            tasks.push(r.await.unwrap());
        }
    }
    let mut failed = Vec::new();
    for (endpoint, status) in tasks {
        if status != StatusCode::OK {
            failed.push(format!("{endpoint}: {status}"));
        }
    }
    assert!(failed.is_empty(), "{failed:?}");
}

#[tokio::test]
async fn personal_answers_are_never_cached_and_sign_out_clears_the_browser() {
    let portal = portal().await;
    let token = portal.token(Persona::Citizen).await.unwrap();
    let cookie = format!("portal_session={token}");
    let api = portal.post("account/profile", "", &cookie).await;
    assert_eq!(api.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let refused = portal.post("account/profile", "", "").await;
    assert_eq!(refused.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let out = portal.post("account/sign_out", "", &cookie).await;
    assert_eq!(out.headers.get("clear-site-data").unwrap(), "\"cache\", \"storage\"");
}

#[tokio::test]
async fn a_request_from_another_site_is_refused() {
    let portal = portal().await;
    let body = b"login=%2B79160000001&password=x".to_vec();
    for headers in
        [&[("sec-fetch-site", "cross-site")][..], &[("origin", "https://evil.example")][..], &[("origin", "null")][..]]
    {
        let a = portal.send("POST", "/api/account/sign_in", body.clone(), "", headers).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    for headers in [&[("sec-fetch-site", "same-origin"), ("origin", "http://localhost")][..], &[][..]] {
        let a = portal.send("POST", "/api/account/sign_in", body.clone(), "", headers).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{headers:?}: {}", a.body);
    }
}

/// A citizen session whose password was last proven an hour ago.
async fn stale_session(portal: &Portal) -> String {
    let token = portal.token(Persona::Citizen).await.unwrap();
    portal
        .state
        .db
        .query("UPDATE session SET proof_at = $t WHERE account = $a")
        .bind(("t", clock::now() - chrono::TimeDelta::hours(1)))
        .bind(("a", DEMO_ACCOUNTS[0].key))
        .await
        .unwrap();
    token
}

#[tokio::test]
async fn a_session_left_open_cannot_change_the_phone_or_add_a_second_step_without_the_password() {
    let portal = portal().await;
    let token = stale_session(&portal).await;
    let cookie = format!("portal_session={token}");
    let a = portal.post("account/change_contact", "kind=phone&value=%2B79167776655", &cookie).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("введите пароль"), "{}", a.body);
    let a = portal.post("account/change_contact", "kind=phone&value=%2B79167776655&password=wrong", &cookie).await;
    assert!(a.body.contains("Пароль введён неверно"), "{}", a.body);
    for endpoint in ["security/sms_on", "security/totp_start", "security/totp_confirm"] {
        let a = portal.post(endpoint, "code=000000", &cookie).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{endpoint}");
        assert!(a.body.contains("подтвердите, что это вы"), "{endpoint}: {}", a.body);
    }
    assert!(portal.messages_to("+79167776655").await.is_empty(), "a code went out");
    // With the password: the code goes to the new phone, under a new session token.
    let password = DEMO_ACCOUNTS[0].password;
    let body = format!("kind=phone&value=%2B79167776655&password={}", urlencode(password));
    let a = portal.post("account/change_contact", &body, &cookie).await;
    assert!(a.location().is_some_and(|l| l.starts_with("/profile/confirm?flow=")), "{} {}", a.status, a.body);
    let renewed = a.cookie("portal_session").expect("a new session token");
    assert_ne!(renewed, token);
    assert_eq!(portal.post("account/profile", "", &cookie).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(portal.post("account/profile", "", &format!("portal_session={renewed}")).await.status, StatusCode::OK);
    assert_eq!(portal.messages_to("+79167776655").await.len(), 1);
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn registrations_over_the_hourly_budget_of_an_address_are_refused_before_anything_is_checked() {
    let portal = Portal::new().await;
    let budget = portal.state.config.auth.budgets.register.0;
    for _ in 0..budget {
        let a = portal.post("account/register", "surname=&name=&birth_date=&password=&password2=", "").await;
        assert!(!a.body.contains("Слишком много попыток"), "{}", a.body);
    }
    let a = portal.post("account/register", "surname=&name=&birth_date=&password=&password2=", "").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("Слишком много попыток. Повторите после"), "{}", a.body);
    // What was typed comes back with the message (JavaScript off).
    let a = portal
        .post(
            "account/register",
            "surname=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2&name=&birth_date=&password=&password2=",
            "",
        )
        .await;
    assert!(a.body.contains("Иванов") || a.location().is_some_and(|l| l.contains("%D0%98")), "{}", a.body);
}

/// The МФЦ sheet is a plain route, not a server function: only the
/// operator of the visit gets the PDF; anyone else is sent away, and a
/// request another site started is refused.
#[tokio::test]
async fn the_mfc_sheet_downloads_for_the_operator_of_the_visit_only() {
    app::platform::secrets::init(None, &[]);
    let portal = portal().await;
    let op = portal.token(Persona::Staff(Role::Operator)).await.unwrap();
    let op_cookie = format!("portal_session={op}");
    let body = "surname=%D0%A1%D0%BE%D0%BA%D0%BE%D0%BB%D0%BE%D0%B2%D0%B0&name=%D0%95%D0%BB%D0%B5%D0%BD%D0%B0\
        &birth_date=14.02.1991&snils=156-372-948+94&passport_series=4512&passport_number=654321\
        &passport_issued_on=20.03.2011&passport_issued_by=%D0%93%D0%A3+%D0%9C%D0%92%D0%94&passport_division=770-005\
        &phone=%2B79165551234";
    let answer = portal.post("mfc/register", body, &op_cookie).await;
    let location = ["location", "serverfnredirect"]
        .iter()
        .find_map(|h| answer.headers.get(*h).and_then(|v| v.to_str().ok()).map(str::to_string))
        .unwrap_or_else(|| panic!("no redirect: {} {}", answer.status, answer.body));
    let task = location.split("task=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let url = format!("/staff/mfc/sheet?task={task}");

    let pdf = portal.get(&url, &op_cookie).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF-"));
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    assert_eq!(pdf.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(pdf.headers[header::CACHE_CONTROL].to_str().unwrap().contains("no-store"));

    // Started by another site: sent to the console's home, no sheet.
    let cross = portal.send("GET", &url, Vec::new(), &op_cookie, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(cross.status, StatusCode::SEE_OTHER);
    assert_eq!(cross.headers[header::LOCATION], "/staff");
    let anon = portal.get(&url, "").await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(anon.headers[header::LOCATION].to_str().unwrap().starts_with("/login?next="));
    for p in [Persona::Citizen, Persona::Staff(Role::Official), Persona::Staff(Role::Support)] {
        let cookie = format!("portal_session={}", portal.token(p).await.unwrap());
        let other = portal.get(&url, &cookie).await;
        assert_eq!(other.status, StatusCode::SEE_OTHER, "{p:?}");
        assert!(!other.body.starts_with("%PDF"), "{p:?} got the sheet");
    }
}

/// A staff page opened from another site starts at the console's home: its
/// first load must not act (open a document, write an access row).
#[tokio::test]
async fn a_staff_page_opened_from_another_site_starts_at_the_console_home() {
    let portal = portal().await;
    let cookie = format!("portal_session={}", portal.token(Persona::Staff(Role::Official)).await.unwrap());
    let a = portal
        .send("GET", "/staff/official/documents/x", Vec::new(), &cookie, &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.headers[header::LOCATION], "/staff");
    let own = portal.send("GET", "/staff", Vec::new(), &cookie, &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(own.status, StatusCode::OK);
}
