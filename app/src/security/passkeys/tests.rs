//! Passkey rules against the real database engine in memory, with the
//! clock moved by hand. The signatures themselves need an authenticator;
//! they are covered by the browser tests (Chromium's virtual one).

// See account/tests.rs: clippy does not take this module for test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::model;
use super::service;
use super::store::{self, Purpose};
use crate::demo::{self, DEMO_ACCOUNTS};
use crate::error::AppError;
use crate::platform::db::{self, Db};
use crate::platform::passkey_settings::PasskeySettings;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

fn webauthn() -> webauthn_rs::Webauthn {
    service::webauthn(&PasskeySettings::derived("http://localhost:3000")).unwrap()
}

fn message(e: AppError) -> String {
    e.to_string()
}

async fn fresh() -> Db {
    db::memory().await.unwrap()
}

/// A passkey row with a stand-in credential (never parsed by these tests).
async fn stored(db: &Db, account: &str, n: u8, at: DateTime<Utc>) -> String {
    store::insert(
        db,
        account,
        &format!("cafe{n:02x}"),
        "00000000-0000-4000-8000-000000000000",
        "{}".into(),
        &format!("Ключ {n}"),
        at,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_challenge_serves_one_answer_only() {
    let db = fresh().await;
    let id = store::put_challenge(&db, Purpose::SignIn, None, &"state", t0()).await.unwrap();
    let (account, state): (Option<String>, String) =
        store::take_challenge(&db, &id, Purpose::SignIn, t0() + TimeDelta::seconds(10)).await.unwrap();
    assert_eq!((account, state.as_str()), (None, "state"));
    let again = store::take_challenge::<String>(&db, &id, Purpose::SignIn, t0() + TimeDelta::seconds(11)).await;
    assert_eq!(message(again.unwrap_err()), model::EXPIRED);
}

#[tokio::test]
async fn a_challenge_expires_after_five_minutes() {
    let db = fresh().await;
    let late = store::put_challenge(&db, Purpose::Verify, Some("a"), &"s", t0()).await.unwrap();
    let in_time = store::put_challenge(&db, Purpose::Verify, Some("a"), &"s", t0()).await.unwrap();
    let r = store::take_challenge::<String>(&db, &late, Purpose::Verify, t0() + TimeDelta::minutes(5)).await;
    assert_eq!(message(r.unwrap_err()), model::EXPIRED);
    let (account, _) =
        store::take_challenge::<String>(&db, &in_time, Purpose::Verify, t0() + TimeDelta::seconds(299)).await.unwrap();
    assert_eq!(account.as_deref(), Some("a"));
}

#[tokio::test]
async fn a_challenge_of_another_ceremony_is_refused_and_spent() {
    let db = fresh().await;
    let id = store::put_challenge(&db, Purpose::Register, Some("a"), &"s", t0()).await.unwrap();
    let r = store::take_challenge::<String>(&db, &id, Purpose::SignIn, t0()).await;
    assert_eq!(message(r.unwrap_err()), model::EXPIRED);
    let r = store::take_challenge::<String>(&db, &id, Purpose::Register, t0()).await;
    assert_eq!(message(r.unwrap_err()), model::EXPIRED);
    let r = store::take_challenge::<String>(&db, "not hex; DELETE passkey", Purpose::Register, t0()).await;
    assert_eq!(message(r.unwrap_err()), model::EXPIRED);
}

#[tokio::test]
async fn expired_challenges_are_swept_when_a_new_one_starts() {
    let db = fresh().await;
    store::put_challenge(&db, Purpose::SignIn, None, &"s", t0()).await.unwrap();
    store::put_challenge(&db, Purpose::SignIn, None, &"s", t0() + TimeDelta::minutes(6)).await.unwrap();
    let mut res = db.query("SELECT VALUE id FROM passkey_challenge").await.unwrap();
    let ids: Vec<surrealdb::types::RecordId> = res.take(0).unwrap();
    assert_eq!(ids.len(), 1);
}

#[tokio::test]
async fn a_sign_in_answer_is_checked_once_against_a_live_challenge() {
    let db = fresh().await;
    let wa = webauthn();
    let (id, options) = service::start_sign_in(&db, &wa, t0()).await.unwrap();
    // A button, not autofill: the browser asks at once; no list of keys.
    assert!(options.mediation.is_none());
    assert!(options.public_key.allow_credentials.is_empty());
    let bogus = r#"{"id":"AA","rawId":"AA","response":{"authenticatorData":"AA","clientDataJSON":"AA","signature":"AA","userHandle":null},"type":"public-key","extensions":{}}"#;
    let first = service::finish_sign_in(&db, &wa, &id, bogus, t0() + TimeDelta::seconds(5)).await.unwrap_err();
    assert_eq!(message(first), model::UNKNOWN_PASSKEY);
    // The challenge was spent by that attempt.
    let second = service::finish_sign_in(&db, &wa, &id, bogus, t0() + TimeDelta::seconds(6)).await.unwrap_err();
    assert_eq!(message(second), model::EXPIRED);
}

#[tokio::test]
async fn registration_asks_for_a_discoverable_key_with_user_verification() {
    let db = fresh().await;
    assert!(demo::create_account(&db, &DEMO_ACCOUNTS[0], t0()).await.unwrap());
    let account = crate::auth::accounts::load(&db, DEMO_ACCOUNTS[0].key).await.unwrap().unwrap();
    let (id, options) = service::start_registration(&db, &webauthn(), &account, t0()).await.unwrap();
    let sel = options.public_key.authenticator_selection.clone().unwrap();
    assert_eq!(sel.resident_key, Some(webauthn_rs_proto::ResidentKeyRequirement::Required));
    assert_eq!(sel.user_verification, webauthn_rs_proto::UserVerificationPolicy::Required);
    assert_eq!(options.public_key.rp.id, "localhost");
    // Someone else cannot finish it.
    let r = service::finish_registration(&db, &webauthn(), "someone-else", &id, "{}", "Ключ", t0()).await;
    assert_eq!(message(r.unwrap_err()), model::EXPIRED);
}

#[tokio::test]
async fn a_passkey_is_renamed_with_a_checked_name() {
    let db = fresh().await;
    let id = stored(&db, "anna", 1, t0()).await;
    let empty = service::rename(&db, "anna", &id, "   ").await.unwrap_err();
    assert!(empty.field_message("name").unwrap().starts_with("Введите название"));
    let long = service::rename(&db, "anna", &id, &"я".repeat(61)).await.unwrap_err();
    assert_eq!(long.field_message("name").as_deref(), Some("Название не длиннее 60 символов"));
    let old = service::rename(&db, "anna", &id, "  Телефон  ").await.unwrap();
    assert_eq!(old, "Ключ 1");
    assert_eq!(service::find(&db, "anna", &id).await.unwrap().unwrap().name, "Телефон");
    // Not someone else's.
    let r = service::rename(&db, "boris", &id, "Мой").await.unwrap_err();
    assert_eq!(message(r), model::UNKNOWN_PASSKEY);
    assert_eq!(service::find(&db, "anna", &id).await.unwrap().unwrap().name, "Телефон");
}

#[tokio::test]
async fn only_the_owner_deletes_a_passkey() {
    let db = fresh().await;
    let annas = stored(&db, "anna", 1, t0()).await;
    let r = service::delete(&db, "boris", &annas).await.unwrap_err();
    assert_eq!(message(r), model::UNKNOWN_PASSKEY);
    assert!(service::find(&db, "anna", &annas).await.unwrap().is_some());
    assert_eq!(service::delete(&db, "anna", &annas).await.unwrap(), "Ключ 1");
    assert!(service::find(&db, "anna", &annas).await.unwrap().is_none());
    let again = service::delete(&db, "anna", &annas).await.unwrap_err();
    assert_eq!(message(again), model::UNKNOWN_PASSKEY);
}

#[tokio::test]
async fn the_list_is_the_owners_newest_first() {
    let db = fresh().await;
    let first = stored(&db, "anna", 1, t0()).await;
    let third = stored(&db, "anna", 3, t0() + TimeDelta::days(2)).await;
    let second = stored(&db, "anna", 2, t0() + TimeDelta::days(1)).await;
    stored(&db, "boris", 4, t0()).await;
    let views = service::views(&db, "anna", t0() + TimeDelta::days(2)).await.unwrap();
    let ids: Vec<_> = views.iter().map(|v| v.id.clone()).collect();
    assert_eq!(ids, vec![third, second, first]);
    assert_eq!(views[2].created, "10.03.2026 12:00 по московскому времени");
    assert_eq!(views[0].last_used, None);
}

#[tokio::test]
async fn one_credential_belongs_to_one_passkey() {
    let db = fresh().await;
    stored(&db, "anna", 1, t0()).await;
    let r = store::insert(&db, "boris", "cafe01", "h", "{}".into(), "Ключ", t0()).await.unwrap_err();
    assert_eq!(message(r), model::ALREADY_ADDED);
}

#[tokio::test]
async fn checking_an_account_without_passkeys_says_so() {
    let db = fresh().await;
    let r = service::start_for_account(&db, &webauthn(), "anna", t0()).await.unwrap_err();
    assert_eq!(message(r), model::NO_PASSKEYS);
}

#[tokio::test]
async fn a_stored_credential_never_shows_in_debug_output() {
    let db = fresh().await;
    store::insert(&db, "anna", "cafe01", "h", r#"{"cred":"SECRET-KEY-MATERIAL"}"#.into(), "Ключ", t0()).await.unwrap();
    let rows = service::list(&db, "anna").await.unwrap();
    let shown = format!("{rows:?}");
    assert!(!shown.contains("SECRET-KEY-MATERIAL"), "{shown}");
    assert!(shown.contains("Ключ"));
}
