//! Strong sign-in against the real database engine in memory, with the
//! clock moved by hand: the TOTP window and replay, backup codes used once,
//! the re-authentication window, the lock after wrong codes, «Это был не
//! я», and the journal.

// See account/tests.rs: clippy does not treat this cfg as test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::alerts;
use crate::auth::accounts as service;
use crate::auth::lockout as signin;
use crate::auth::model::{Method, proof_is_fresh, totp};
use crate::auth::{journal, mfa, sessions};
use crate::demo::{self, DEMO_ACCOUNTS};
use crate::error::AppError;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{self, Db};
use crate::platform::request::Client;

const URL: &str = "http://localhost";
const RIGHT: &str = "Gosportal-Demo-2026!";
const NEW_PASSWORD: &str = "Зелёный-Трамвай-42-Едет!";

/// A fixed instant on a 30-second boundary.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

fn secs(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

fn client() -> Client {
    Client { ip: "192.0.2.20".to_string(), user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0".to_string() }
}

/// A session of Иванов's own browser, as a password sign-in starts it.
fn own_session() -> sessions::NewSession<'static> {
    sessions::NewSession {
        account: key(),
        kind: sessions::SessionKind::Own,
        strong: false,
        enrol: false,
        must_change_password: false,
        ip: "x",
        user_agent: "x",
    }
}

fn key() -> &'static str {
    DEMO_ACCOUNTS[0].key
}

async fn with_ivanov() -> Db {
    let db = db::memory().await.unwrap();
    assert!(demo::create_account(&db, &DEMO_ACCOUNTS[0], t0()).await.unwrap());
    db
}

/// Иванов with an authenticator app added at `t0`; returns its secret.
async fn with_app(db: &Db) -> Vec<u8> {
    let a = service::load(db, key()).await.unwrap().unwrap();
    let e = mfa::totp_start(db, &a, t0()).await.unwrap();
    let secret = totp::from_base32(&e.key).unwrap();
    mfa::totp_confirm(db, key(), &totp::code_at(&secret, t0().timestamp()), t0()).await.unwrap();
    secret
}

async fn outbox_bodies(db: &Db) -> Vec<String> {
    let mut res = db.query("SELECT VALUE body FROM outbox ORDER BY created_at DESC").await.unwrap();
    res.take(0).unwrap()
}

#[tokio::test]
async fn an_app_code_counts_once_and_one_step_either_way() {
    let db = with_ivanov().await;
    let secret = with_app(&db).await;
    assert!(mfa::load(&db, key()).await.unwrap().on());
    let code = |t: DateTime<Utc>| totp::code_at(&secret, t.timestamp());

    // The code that confirmed the app cannot sign in again.
    let e = mfa::check_code(&db, key(), Method::Totp, &code(t0()), t0() + secs(5)).await.unwrap_err();
    assert_eq!(e.field_message("code").as_deref(), Some(mfa::REUSED_CODE));
    // The next step's code, typed 20 s late (one step of drift): accepted once.
    let next = code(t0() + secs(30));
    assert!(mfa::check_code(&db, key(), Method::Totp, &next, t0() + secs(50)).await.unwrap());
    assert!(mfa::check_code(&db, key(), Method::Totp, &next, t0() + secs(55)).await.is_err(), "replayed");
    // A code from a step early by one is fine; by two it is not.
    let early = code(t0() + secs(120));
    assert!(mfa::check_code(&db, key(), Method::Totp, &early, t0() + secs(95)).await.unwrap());
    let stale = code(t0() + secs(150));
    assert!(!mfa::check_code(&db, key(), Method::Totp, &stale, t0() + secs(215)).await.unwrap());
    assert!(!mfa::check_code(&db, key(), Method::Totp, "000000", t0() + secs(215)).await.unwrap_or(true));
}

#[tokio::test]
async fn a_wrong_first_code_does_not_turn_the_app_on() {
    let db = with_ivanov().await;
    let a = service::load(&db, key()).await.unwrap().unwrap();
    let e = mfa::totp_start(&db, &a, t0()).await.unwrap();
    let secret = totp::from_base32(&e.key).unwrap();
    let wrong = totp::code_at(&secret, (t0() + secs(300)).timestamp());
    assert!(mfa::totp_confirm(&db, key(), &wrong, t0()).await.unwrap_err().field_message("code").is_some());
    assert!(!mfa::load(&db, key()).await.unwrap().on());
    assert!(e.url.starts_with("otpauth://totp/") && e.qr.starts_with("data:image/svg+xml;base64,"));
}

#[tokio::test]
async fn a_backup_code_works_once_and_new_codes_void_the_old() {
    let db = with_ivanov().await;
    let codes = mfa::new_backup_codes(&db, key(), t0()).await.unwrap();
    assert_eq!(codes.len(), 10);
    let typed = codes[3].to_uppercase();
    assert!(mfa::check_code(&db, key(), Method::Backup, &typed, t0()).await.unwrap());
    assert!(!mfa::check_code(&db, key(), Method::Backup, &codes[3], t0()).await.unwrap(), "used twice");
    assert_eq!(mfa::load(&db, key()).await.unwrap().backup_hashes.len(), 9);

    let fresh = mfa::new_backup_codes(&db, key(), t0() + secs(60)).await.unwrap();
    assert!(
        !mfa::check_code(&db, key(), Method::Backup, &codes[0], t0()).await.unwrap(),
        "old code after regeneration"
    );
    assert!(mfa::check_code(&db, key(), Method::Backup, &fresh[0], t0()).await.unwrap());
}

#[tokio::test]
async fn a_change_needs_the_password_within_ten_minutes() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let new = own_session();
    let token = sessions::create(&db, &s, new, t0()).await.unwrap();
    let at = t0() + TimeDelta::minutes(9);
    let proof = sessions::find(&db, &token, at, false).await.unwrap().unwrap().proof_at;
    assert!(proof_is_fresh(proof, s.reauth_window, at), "signed in 9 min ago");
    let at = t0() + TimeDelta::minutes(11);
    let proof = sessions::find(&db, &token, at, false).await.unwrap().unwrap().proof_at;
    assert!(!proof_is_fresh(proof, s.reauth_window, at), "signed in 11 min ago");
}

#[tokio::test]
async fn the_password_again_opens_the_window_anew_under_a_new_token() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let new = own_session();
    let token = sessions::create(&db, &s, new, t0()).await.unwrap();
    let later = t0() + TimeDelta::minutes(20);
    let renewed = sessions::renew_proven(&db, &token, later).await.unwrap();
    assert_ne!(renewed, token);
    let at = later + TimeDelta::minutes(5);
    assert!(sessions::find(&db, &token, at, false).await.unwrap().is_none(), "the old token still works");
    let row = sessions::find(&db, &renewed, at, false).await.unwrap().unwrap();
    assert!(proof_is_fresh(row.proof_at, s.reauth_window, at));
    // A second renewal of the old token (a double submit) is a sign-in question, not a 500.
    assert_eq!(sessions::renew_proven(&db, &token, at).await.unwrap_err(), AppError::Unauthorized);
}

#[tokio::test]
async fn five_wrong_second_step_codes_lock_sign_in_and_tell_the_owner() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    for left in (1..=4).rev() {
        let e = mfa::wrong_code(&db, &s, URL, key(), None, t0()).await.unwrap();
        assert_eq!(e.field_message("code"), Some(format!("{}. Осталось попыток: {left}", mfa::WRONG_CODE)));
    }
    let e = mfa::wrong_code(&db, &s, URL, key(), None, t0()).await.unwrap();
    assert!(matches!(e, AppError::Locked { .. }), "{e:?}");
    assert!(signin::locked_until(&db, key(), None, t0() + TimeDelta::minutes(14)).await.unwrap().is_some());
    assert!(signin::locked_until(&db, key(), None, t0() + TimeDelta::minutes(15)).await.unwrap().is_none());
    // Even the right password waits for the lock to end.
    let r = signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client(), t0() + TimeDelta::minutes(1)).await;
    assert!(matches!(r, Err(AppError::Locked { .. })), "{r:?}");
    assert!(
        outbox_bodies(&db)
            .await
            .iter()
            .any(|b| b.contains("неверных кодов подтверждения входа") && b.contains("/not-me?t="))
    );
}

#[tokio::test]
async fn it_was_not_me_ends_every_session_and_sign_in_waits_for_recovery() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let new = own_session();
    let token = sessions::create(&db, &s, new, t0()).await.unwrap();
    // An intruder's additions: an authenticator app and backup codes.
    with_app(&db).await;
    mfa::new_backup_codes(&db, key(), t0()).await.unwrap();
    let a = service::load(&db, key()).await.unwrap().unwrap();
    crate::notify::security_notice(&db, URL, &a, "Вход с нового устройства", "выполнен вход.", t0()).await.unwrap();
    let body = outbox_bodies(&db).await.into_iter().next().unwrap();
    let link = body.split_whitespace().find(|w| w.contains("/not-me?t=")).unwrap();
    let t = link.split("t=").nth(1).unwrap().trim_end_matches(['.', ',']);

    assert_eq!(crate::notify::link_account(&db, t, t0()).await.unwrap().as_deref(), Some(key()));
    alerts::not_me(&db, t, t0()).await.unwrap();
    assert!(sessions::find(&db, &token, t0(), false).await.unwrap().is_none(), "session still alive");
    let m = mfa::load(&db, key()).await.unwrap();
    assert!(m.totp_secret.is_none() && m.backup_hashes.is_empty(), "the app and backup codes stay: {m:?}");
    let e = alerts::not_me(&db, t, t0()).await.unwrap_err();
    assert_eq!(e.to_string(), alerts::LINK_GONE, "a link works once");

    let e = signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client(), t0()).await.unwrap_err();
    assert_eq!(e.to_string(), signin::RECOVERY_REQUIRED);

    let flow = crate::account::service::start_recovery(&db, &s, "+79160000001", t0()).await.unwrap();
    let bodies = outbox_bodies(&db).await;
    let sms = bodies.iter().find(|b| b.contains("код подтверждения")).unwrap();
    let code: String = sms.chars().filter(char::is_ascii_digit).take(6).collect();
    crate::account::service::finish_recovery(&db, &s, URL, &flow, &code, NEW_PASSWORD, NEW_PASSWORD, t0() + secs(60))
        .await
        .unwrap();
    signin::sign_in(&db, &s, URL, "+79160000001", NEW_PASSWORD, &client(), t0() + secs(120)).await.unwrap();
}

#[tokio::test]
async fn it_was_not_me_undoes_a_phone_change_so_recovery_reaches_the_owner() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    // An intruder with an open session puts their own phone in.
    let flow =
        crate::account::service::start_contact_change(&db, &s, key(), "phone", "+7 916 777-66-55", t0()).await.unwrap();
    let sms = outbox_bodies(&db).await.into_iter().next().unwrap();
    let code: String = sms.chars().filter(char::is_ascii_digit).take(6).collect();
    crate::account::service::finish_contact_change(&db, URL, key(), &flow, &code, t0() + secs(30)).await.unwrap();
    assert_eq!(service::load(&db, key()).await.unwrap().unwrap().phone.as_deref(), Some("+79167776655"));
    // The old number was told, with the link.
    let mut res = db
        .query("SELECT VALUE body FROM outbox WHERE recipient = '+79160000001' AND string::contains(body, 'изменён номер')")
        .await
        .unwrap();
    let told: Vec<String> = res.take(0).unwrap();
    let link = told[0].split_whitespace().find(|w| w.contains("/not-me?t=")).unwrap();
    let t = link.split("t=").nth(1).unwrap().trim_end_matches(['.', ',']);

    // A second change, B → C, and B handed to another account, so that
    // undoing B → C alone would fail: C must still stop being a login.
    let flow =
        crate::account::service::start_contact_change(&db, &s, key(), "phone", "+7 916 777-66-44", t0() + secs(200))
            .await
            .unwrap();
    let sms = outbox_bodies(&db).await.into_iter().next().unwrap();
    let code: String = sms.chars().filter(char::is_ascii_digit).take(6).collect();
    crate::account::service::finish_contact_change(&db, URL, key(), &flow, &code, t0() + secs(230)).await.unwrap();
    db.query("CREATE login:⟨phone:+79167776655⟩ SET account = 'someone-else'").await.unwrap().check().unwrap();

    alerts::not_me(&db, t, t0() + TimeDelta::days(2)).await.unwrap();
    let a = service::load(&db, key()).await.unwrap().unwrap();
    assert_eq!(a.phone.as_deref(), Some("+79160000001"));
    let c = signin::sign_in(&db, &s, URL, "+79167776644", RIGHT, &client(), t0() + TimeDelta::days(2)).await;
    assert!(c.is_err(), "the hijacker's last number still signs in: {c:?}");
    let holder: Option<String> =
        db.query("SELECT VALUE account FROM ONLY login:⟨phone:+79167776655⟩").await.unwrap().take(0).unwrap();
    assert_eq!(holder.as_deref(), Some("someone-else"), "another account's login was touched");
    assert!(a.phone_confirmed);
    // The intruder's number signs in to nothing; the owner's works again.
    let e = signin::sign_in(&db, &s, URL, "+79167776655", RIGHT, &client(), t0() + TimeDelta::days(2)).await;
    assert!(e.is_err());
    let e = signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client(), t0() + TimeDelta::days(2)).await;
    assert_eq!(e.unwrap_err().to_string(), signin::RECOVERY_REQUIRED);
    // Recovery by that number sends the code to the owner's phone.
    crate::account::service::start_recovery(&db, &s, "+79160000001", t0() + TimeDelta::days(2)).await.unwrap();
    let mut res = db
        .query("SELECT VALUE recipient FROM outbox WHERE string::contains(body, 'код подтверждения') ORDER BY created_at DESC LIMIT 1")
        .await
        .unwrap();
    let to: Vec<String> = res.take(0).unwrap();
    assert_eq!(to, vec!["+79160000001".to_string()]);
}

#[tokio::test]
async fn app_keys_and_backup_codes_are_not_readable_from_a_copy_of_the_database() {
    let db = with_ivanov().await;
    let secret = with_app(&db).await;
    let codes = mfa::new_backup_codes(&db, key(), t0()).await.unwrap();
    let mut res = db
        .query("SELECT totp_secret, backup_hashes FROM ONLY type::record('mfa', $k)")
        .bind(("k", key()))
        .await
        .unwrap();
    let raw: Option<surrealdb::types::Value> = res.take(0).unwrap();
    let stored = format!("{raw:?}");
    assert!(!stored.contains(&totp::base32(&secret)), "the app key is stored in the clear: {stored}");
    assert!(stored.contains("v1:"), "{stored}");
    // A backup code's plain SHA-256 is not what is kept (a keyed hash is).
    use sha2::Digest;
    let plain = hex::encode(sha2::Sha256::digest(codes[0].replace('-', "").as_bytes()));
    assert!(!stored.contains(&plain));
    // And both still work.
    let code = totp::code_at(&secret, (t0() + secs(60)).timestamp());
    assert!(mfa::check_code(&db, key(), Method::Totp, &code, t0() + secs(60)).await.unwrap());
    assert!(mfa::check_code(&db, key(), Method::Backup, &codes[0], t0()).await.unwrap());
    // Debug output of what holds them shows none of it.
    let row = mfa::load(&db, key()).await.unwrap();
    assert!(!format!("{row:?}").contains(&totp::base32(&secret)));
}

#[tokio::test]
async fn an_old_link_does_nothing() {
    let db = with_ivanov().await;
    let link = crate::notify::new_link(&db, URL, key(), t0()).await.unwrap();
    let t = link.split("t=").nth(1).unwrap();
    assert!(crate::notify::link_account(&db, t, t0() + TimeDelta::days(31)).await.unwrap().is_none());
    assert!(alerts::not_me(&db, t, t0() + TimeDelta::days(31)).await.is_err());
}

#[tokio::test]
async fn the_journal_keeps_every_attempt_newest_first_in_pages() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let wrong = signin::sign_in(&db, &s, URL, "+79160000001", "Неверный-1!", &client(), t0()).await;
    assert!(wrong.is_err());
    signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client(), t0() + secs(10)).await.unwrap();
    journal::record(&db, key(), Method::Totp, true, "Вход выполнен", &client(), t0() + secs(20)).await.unwrap();
    let (rows, total) = journal::page(&db, key(), 1, 2).await.unwrap();
    assert_eq!(total, 2, "the right password alone writes nothing: the step after it does");
    assert_eq!(rows[0].method, Method::Totp);
    assert_eq!(rows[1].result, "Неверный пароль");
    assert!(!rows[1].ok);
    let (second, _) = journal::page(&db, key(), 2, 1).await.unwrap();
    assert_eq!(second[0].result, "Неверный пароль");
}

#[tokio::test]
async fn a_browser_is_new_once() {
    let db = with_ivanov().await;
    assert!(crate::auth::devices::seen_device(&db, key(), "dev-1", "ua", t0()).await.unwrap());
    assert!(!crate::auth::devices::seen_device(&db, key(), "dev-1", "ua", t0() + secs(5)).await.unwrap());
    assert!(crate::auth::devices::seen_device(&db, key(), "dev-2", "ua", t0() + secs(9)).await.unwrap());
}

#[tokio::test]
async fn guesses_sent_in_parallel_get_no_more_tries_than_the_limit() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let tries = (0..12).map(|_| {
        let db = db.clone();
        let s = s.clone();
        tokio::spawn(async move { mfa::reserve_try(&db, &s, key(), t0()).await })
    });
    let mut allowed = 0;
    for t in tries {
        if t.await.unwrap().is_ok() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 5, "only five tries, however many arrive at once");
}

#[tokio::test]
async fn a_second_app_cannot_replace_the_first_without_turning_it_off() {
    let db = with_ivanov().await;
    with_app(&db).await;
    let a = service::load(&db, key()).await.unwrap().unwrap();
    let e = mfa::totp_start(&db, &a, t0()).await.unwrap_err();
    assert_eq!(e.to_string(), mfa::APP_ALREADY_ON);
    mfa::disable(&db, key(), Method::Totp, t0()).await.unwrap();
    assert!(mfa::totp_start(&db, &a, t0()).await.is_ok());
}
