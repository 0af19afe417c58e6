//! The sign-in orchestration through the real router, without a browser:
//! which second step a staff member is asked for, the notice of a new
//! device (once per browser), the refusal of an account that must recover
//! first, and a disabled staff member's refusal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use app::auth::Role;
use app::demo::{DEMO_ACCOUNTS, DEMO_STAFF};
use app::platform::auth_settings::AuthSettings;
use app::platform::clock;
use app::staff::model::StaffForm;
use app::staff::service::{self, Actor};
use http::StatusCode;
use support::Portal;

fn form(login: &str, password: &str) -> String {
    format!("login={}&password={}", enc(login), enc(password))
}

/// Percent-encodes a form value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_new_staff_member_is_asked_for_a_code_to_their_phone_after_the_password() {
    let portal = Portal::new().await;
    let staff = StaffForm {
        surname: "Орлова".into(),
        name: "Анна".into(),
        phone: "+79165550021".into(),
        roles: vec![Role::Admin],
        ..Default::default()
    };
    let policy = AuthSettings::default().policy;
    let (_, password) =
        service::create(&portal.state.db, &policy, &Actor::Console, &staff, clock::now()).await.unwrap();
    let a = portal.post("account/sign_in", &form("+79165550021", &password), "").await;
    let to = a.location().unwrap_or_default();
    assert!(to.starts_with("/login/second?flow=") && to.ends_with("method=sms"), "{} {to}", a.status);
    assert_eq!(a.cookie("portal_session"), None, "no session before the second step");
    assert!(a.cookie("portal_signin").is_some());
    let sms = portal.messages_to("+79165550021").await;
    assert!(sms.iter().any(|m| m.chars().filter(char::is_ascii_digit).count() >= 6 && m.contains("код")), "{sms:?}");
}

#[tokio::test]
async fn a_staff_member_with_an_app_is_asked_for_its_code_never_sms() {
    let portal = Portal::new().await;
    let support = DEMO_STAFF.iter().find(|s| s.roles.contains(&Role::Support)).unwrap();
    // Even with SMS switched on, staff with an app get the app.
    portal.state.db.query("UPDATE type::record('mfa', $k) SET sms = true").bind(("k", support.key)).await.unwrap();
    let a = portal.post("account/sign_in", &form(support.phone, support.password), "").await;
    assert!(a.location().unwrap_or_default().ends_with("method=totp"), "{:?}", a.location());
    assert!(portal.messages_to(support.phone).await.is_empty(), "no SMS code was sent");
}

#[tokio::test]
async fn a_sign_in_from_a_new_browser_tells_the_owner_once() {
    let portal = Portal::new().await;
    let ivanov = &DEMO_ACCOUNTS[0];
    let first = portal.post("account/sign_in", &form(ivanov.phone, ivanov.password), "").await;
    assert_eq!(first.location().as_deref(), Some("/profile"), "{} {}", first.status, first.body);
    assert!(first.cookie("portal_session").is_some());
    let device = first.cookie("portal_device").expect("a device cookie");
    let notices = |all: Vec<String>| all.into_iter().filter(|m| m.contains("нового устройства")).count();
    assert_eq!(notices(portal.messages_to(ivanov.phone).await), 1);
    // The same browser again: no new notice.
    let again =
        portal.post("account/sign_in", &form(ivanov.phone, ivanov.password), &format!("portal_device={device}")).await;
    assert!(again.cookie("portal_session").is_some());
    assert_eq!(notices(portal.messages_to(ivanov.phone).await), 1);
}

#[tokio::test]
async fn an_account_that_must_recover_is_refused_even_with_the_right_password() {
    let portal = Portal::new().await;
    let ivanov = &DEMO_ACCOUNTS[0];
    portal
        .state
        .db
        .query("UPDATE type::record('account', $k) SET recovery_required = true")
        .bind(("k", ivanov.key))
        .await
        .unwrap();
    let a = portal.post("account/sign_in", &form(ivanov.phone, ivanov.password), "").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("Восстановите пароль"), "{}", a.body);
    assert_eq!(a.cookie("portal_session"), None);
}

#[tokio::test]
async fn a_disabled_staff_member_is_refused_at_sign_in() {
    let portal = Portal::new().await;
    let official = DEMO_STAFF.iter().find(|s| s.roles.contains(&Role::Official)).unwrap();
    portal
        .state
        .db
        .query("UPDATE type::record('account', $k) SET disabled = true")
        .bind(("k", official.key))
        .await
        .unwrap();
    let a = portal.post("account/sign_in", &form(official.phone, official.password), "").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("отключена"), "{}", a.body);
}
