//! Account flows against the real database engine in memory, with the
//! clock moved by hand.

// Clippy takes only a plain `#[cfg(test)]` as test code, not the
// `cfg(all(test, feature = "ssr"))` this module is declared with, so the
// helpers below would not get the `allow-*-in-tests` of clippy.toml.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::service::{self, RegistrationForm};
use crate::auth::flows;
use crate::auth::lockout::{self as signin, SignedIn, WRONG_LOGIN};
use crate::auth::sessions::{self, NewSession, SessionKind};
use crate::demo::{self, DEMO_ACCOUNTS, DemoAccount};
use crate::error::AppError;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{self, Db};

const URL: &str = "http://localhost";
const IP: &str = "192.0.2.10";

fn client(ip: &str) -> crate::platform::request::Client {
    crate::platform::request::Client { ip: ip.to_string(), user_agent: "test".to_string() }
}
/// Иванов's demo password and a wrong one.
const RIGHT: &str = "Gosportal-Demo-2026!";
const WRONG: &str = "Gosportal-Demo-2025!";
/// Passphrases that meet the policy and score high, none with Иванов's data.
const NEW_1: &str = "Зелёный-Трамвай-42-Едет!";
const NEW_2: &str = "Синий-Кит-Плывёт-17-Морем?";
const NEW_3: &str = "Тихая-Река-Поёт-58-Ночью#";
const NEW_4: &str = "Жёлтый-Лист-Летит-93-Вниз%";

/// A fixed morning (12:00 in Moscow), so lock times read the same every run.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

fn minutes(n: i64) -> TimeDelta {
    TimeDelta::minutes(n)
}

fn seconds(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

fn ivanov() -> &'static DemoAccount {
    &DEMO_ACCOUNTS[0]
}

/// A fresh database with Иванов in it (password set 10 days before `t0`).
async fn with_ivanov() -> Db {
    let db = db::memory().await.unwrap();
    assert!(demo::create_account(&db, ivanov(), t0()).await.unwrap());
    db
}

/// A citizen like Иванов whose password was set `age` days before `t0`.
fn aged(key: &'static str, phone: &'static str, email: &'static str, age: i64) -> DemoAccount {
    DemoAccount {
        key,
        surname: "Сидоров",
        name: "Пётр",
        patronymic: "Алексеевич",
        birth_date: "1979-02-01",
        phone,
        email,
        snils: None,
        inn: None,
        passport: None,
        address: None,
        password: RIGHT,
        password_age_days: age,
    }
}

async fn sign_in(db: &Db, s: &AuthSettings, login: &str, pass: &str, now: DateTime<Utc>) -> Result<SignedIn, AppError> {
    signin::sign_in(db, s, URL, login, pass, &client(IP), now).await
}

/// A wrong password for `login` from the address `ip`.
async fn fail_from(db: &Db, s: &AuthSettings, login: &str, ip: &str, now: DateTime<Utc>) -> Result<SignedIn, AppError> {
    signin::sign_in(db, s, URL, login, WRONG, &client(ip), now).await
}

/// The page-level message of an `Invalid` error.
fn message(e: &AppError) -> String {
    match e {
        AppError::Invalid { message, .. } => message.clone(),
        other => panic!("expected a refusal with a message, got {other:?}"),
    }
}

fn is_locked(r: &Result<SignedIn, AppError>) -> bool {
    matches!(r, Err(AppError::Locked { .. }))
}

/// Refused by the per-address slow-down (not a password answer).
fn slowed(r: &Result<SignedIn, AppError>) -> bool {
    match r {
        Err(AppError::Invalid { message, .. }) => message.starts_with("С вашего адреса"),
        _ => false,
    }
}

/// Every outbox body, newest first.
async fn outbox_bodies(db: &Db) -> Vec<String> {
    let mut res = db.query("SELECT VALUE body FROM outbox ORDER BY created_at DESC").await.unwrap();
    res.take(0).unwrap()
}

/// Recipients of outbox rows whose body contains `needle`, sorted.
async fn recipients_of(db: &Db, needle: &str) -> Vec<String> {
    let mut res = db
        .query("SELECT VALUE recipient FROM outbox WHERE string::contains(body, $needle)")
        .bind(("needle", needle.to_string()))
        .await
        .unwrap();
    let mut all: Vec<String> = res.take(0).unwrap();
    all.sort();
    all
}

/// The six digits of the newest outbox message.
async fn sent_code(db: &Db) -> String {
    let mut res = db.query("SELECT VALUE body FROM outbox ORDER BY created_at DESC LIMIT 1").await.unwrap();
    let bodies: Vec<String> = res.take(0).unwrap();
    let code: String = bodies[0].chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(code.len(), 6, "no code in {:?}", bodies[0]);
    code
}

fn other_code(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

fn is_flow_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Five wrong passwords for Иванов at `now` (the fifth locks).
async fn lock_ivanov(db: &Db, s: &AuthSettings, now: DateTime<Utc>) {
    for _ in 0..4 {
        let e = sign_in(db, s, "+79160000001", WRONG, now).await.unwrap_err();
        assert!(message(&e).starts_with(WRONG_LOGIN));
    }
    assert!(is_locked(&sign_in(db, s, "+79160000001", WRONG, now).await));
}

fn registration(phone: &str, email: &str) -> RegistrationForm {
    RegistrationForm {
        surname: "Смирнова".into(),
        name: "Анна".into(),
        patronymic: "Петровна".into(),
        birth_date: "15.05.1990".into(),
        phone: phone.into(),
        email: email.into(),
        password: NEW_1.into(),
        password2: NEW_1.into(),
        consent: true,
    }
}

// ---------------------------------------------------------------- sign-in

#[tokio::test]
async fn sign_in_accepts_phone_email_snils_and_inn_as_people_type_them() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    for login in [
        "8 (916) 000-00-01",
        "+7 916 000-00-01",
        "9160000001",
        "IVANOV@EXAMPLE.RU",
        "Ivanov@Example.ru",
        "112-233-445 95",
        "11223344595",
        "500100732259",
        "  8 (916) 000-00-01  ",
        " IVANOV@EXAMPLE.RU\t",
        "  112-233-445 95 ",
        " 500100732259  ",
    ] {
        let signed = sign_in(&db, &s, login, RIGHT, t0()).await.unwrap_or_else(|e| panic!("{login:?}: {e}"));
        assert_eq!(signed, SignedIn { account: ivanov().key.to_string(), must_change_password: false }, "{login:?}");
    }
}

#[tokio::test]
async fn sign_in_names_the_field_for_an_unreadable_login_or_an_empty_password() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let e = sign_in(&db, &s, "ivanov", RIGHT, t0()).await.unwrap_err();
    assert!(e.field_message("login").is_some(), "{e:?}");
    let e = sign_in(&db, &s, "+79160000001", "", t0()).await.unwrap_err();
    assert_eq!(e.field_message("password").as_deref(), Some("Введите пароль"));
    // Neither counts as a wrong password: four more still do not lock.
    for _ in 0..4 {
        assert!(!is_locked(&sign_in(&db, &s, "+79160000001", WRONG, t0()).await));
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_login_get_the_same_answer_and_both_count() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    for left in (1..=4).rev() {
        let known = message(&sign_in(&db, &s, "+79160000001", WRONG, now).await.unwrap_err());
        let unknown = message(&sign_in(&db, &s, "+79169999999", RIGHT, now).await.unwrap_err());
        assert_eq!(known, unknown);
        assert!(known.starts_with(WRONG_LOGIN), "{known}");
        assert!(known.ends_with(&format!(": {left}")), "{known}");
    }
    // The fifth locks both, with the same words and time.
    let known = sign_in(&db, &s, "+79160000001", WRONG, now).await.unwrap_err();
    let unknown = sign_in(&db, &s, "+79169999999", RIGHT, now).await.unwrap_err();
    assert!(matches!(known, AppError::Locked { .. }), "{known:?}");
    assert_eq!(known, unknown);
    assert_eq!(known.to_string(), unknown.to_string());
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_and_the_owner_is_told() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    for left in (1..=4).rev() {
        let e = sign_in(&db, &s, "+79160000001", WRONG, now).await.unwrap_err();
        assert_eq!(message(&e), format!("{WRONG_LOGIN}. Осталось попыток до временной блокировки входа: {left}"));
    }
    assert!(recipients_of(&db, "заблокирован").await.is_empty(), "no notice before the lock");
    let e = sign_in(&db, &s, "+79160000001", WRONG, now).await.unwrap_err();
    // 09:00 UTC + 30 min = 12:30 in Moscow.
    assert_eq!(e, AppError::Locked { until: "12:30 по московскому времени".into() });
    assert_eq!(e.status(), 429);
    // The notice goes to the confirmed phone and e-mail, with the way out.
    assert_eq!(recipients_of(&db, "заблокирован").await, vec!["+79160000001".to_string(), "ivanov@example.ru".into()]);
    let notice = outbox_bodies(&db).await.into_iter().find(|b| b.contains("заблокирован")).unwrap();
    assert!(notice.contains("12:30 по московскому времени"), "{notice}");
    assert!(notice.contains("http://localhost/recover"), "{notice}");
}

#[tokio::test]
async fn locked_account_refuses_the_right_password_and_unlocks_after_thirty_minutes() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    lock_ivanov(&db, &s, now).await;
    // Right password, any login of the account: still locked.
    for (login, after) in [("+79160000001", 0), ("ivanov@example.ru", 1), ("500100732259", 15), ("11223344595", 29)] {
        let r = sign_in(&db, &s, login, RIGHT, now + minutes(after)).await;
        assert!(is_locked(&r), "{login} at +{after} min: {r:?}");
    }
    let r = sign_in(&db, &s, "+79160000001", RIGHT, now + minutes(29) + seconds(59)).await;
    assert!(is_locked(&r), "{r:?}");
    // One notice per lock, not one per refused attempt.
    assert_eq!(recipients_of(&db, "заблокирован").await.len(), 2);
    let signed = sign_in(&db, &s, "+79160000001", RIGHT, now + minutes(30)).await.unwrap();
    assert_eq!(signed.account, ivanov().key);
}

#[tokio::test]
async fn after_a_lock_runs_out_the_count_starts_afresh() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    lock_ivanov(&db, &s, now).await;
    let e = sign_in(&db, &s, "+79160000001", WRONG, now + minutes(30)).await.unwrap_err();
    assert!(message(&e).ends_with(": 4"), "{e:?}");
}

#[tokio::test]
async fn a_right_password_clears_the_wrong_password_count() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    for _ in 0..4 {
        sign_in(&db, &s, "+79160000001", WRONG, now).await.unwrap_err();
    }
    sign_in(&db, &s, "+79160000001", RIGHT, now).await.unwrap();
    for left in (1..=4).rev() {
        let e = sign_in(&db, &s, "+79160000001", WRONG, now).await.unwrap_err();
        assert!(message(&e).ends_with(&format!(": {left}")), "{e:?}");
    }
}

#[tokio::test]
async fn wrong_passwords_count_per_account_whichever_login_is_typed() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    for login in ["+79160000001", "ivanov@example.ru", "112-233-445 95", "500100732259"] {
        assert!(!is_locked(&sign_in(&db, &s, login, WRONG, now).await));
    }
    assert!(is_locked(&sign_in(&db, &s, "8 916 000 00 01", WRONG, now).await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_passwords_sent_at_once_still_lock_the_account() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (db, s) = (db.clone(), s.clone());
            tokio::spawn(async move { sign_in(&db, &s, "+79160000001", WRONG, now).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(answers.iter().all(Result::is_err));
    // Ten wrong passwords, however they arrive, are more than five: locked.
    let r = sign_in(&db, &s, "+79160000001", RIGHT, now + seconds(1)).await;
    assert!(is_locked(&r), "still open after 10 parallel wrong passwords: {r:?}; answers: {answers:?}");
    // And none of them is answered with an internal error (a write conflict).
    assert!(
        answers.iter().all(|a| matches!(a, Err(AppError::Invalid { .. } | AppError::Locked { .. }))),
        "{answers:?}"
    );
}

/// How many journal lines of `account` read `result`.
async fn journal_count(db: &Db, account: &str, result: &str) -> usize {
    let mut res = db
        .query("SELECT VALUE id FROM journal WHERE account = $a AND result = $r")
        .bind(("a", account.to_string()))
        .bind(("r", result.to_string()))
        .await
        .unwrap();
    let ids: Vec<surrealdb::types::RecordId> = res.take(0).unwrap();
    ids.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_wrong_passwords_sent_at_once_are_checked_at_most_five_times() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let (db, s) = (db.clone(), s.clone());
            tokio::spawn(async move { sign_in(&db, &s, "+79160000001", WRONG, now).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let checked = journal_count(&db, ivanov().key, "Неверный пароль").await;
    assert!(checked <= 5, "{checked} passwords checked");
    let refused = answers.iter().filter(|a| is_locked(a)).count();
    assert!(refused >= 35, "{refused} refused as locked: {answers:?}");
    assert!(
        answers.iter().all(|a| matches!(a, Err(AppError::Invalid { .. } | AppError::Locked { .. }))),
        "{answers:?}"
    );
}

/// Signs ivanov in from the browser holding `device`, as a finished
/// sign-in would record it.
async fn known_browser(db: &Db, device: &str) {
    crate::auth::devices::seen_device(db, ivanov().key, device, "Firefox", t0()).await.unwrap();
}

#[tokio::test]
async fn a_lock_from_strangers_does_not_stop_the_owners_own_browser() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    known_browser(&db, "owners-browser-device-cookie").await;
    lock_ivanov(&db, &s, now).await;
    assert_eq!(recipients_of(&db, "заблокирован").await.len(), 2, "the owner hears of the lock");
    // A stranger (no cookie, or a cookie the account never signed in from) is locked out…
    for device in [None, Some("someone-elses-device-cookie")] {
        let r = signin::sign_in_from(&db, &s, URL, "+79160000001", RIGHT, &client(IP), device, now + minutes(1))
            .await
            .map(|r| r.0);
        assert!(is_locked(&r), "{device:?}: {r:?}");
    }
    // …the owner's browser is not, and its own wrong tries count apart.
    let own = Some("owners-browser-device-cookie");
    let r = signin::sign_in_from(&db, &s, URL, "+79160000001", WRONG, &client(IP), own, now + minutes(1))
        .await
        .map(|r| r.0);
    assert!(message(&r.unwrap_err()).ends_with("Осталось попыток до временной блокировки входа: 4"));
    signin::sign_in_from(&db, &s, URL, "+79160000001", RIGHT, &client(IP), own, now + minutes(2)).await.unwrap();
    // The strangers' lock stays after the owner signs in.
    let r = signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client(IP), now + minutes(3)).await;
    assert!(is_locked(&r), "{r:?}");
    // The owner's browser locking itself too sends no second notice in the same period.
    for _ in 0..5 {
        let _ = signin::sign_in_from(&db, &s, URL, "+79160000001", WRONG, &client(IP), own, now + minutes(4)).await;
    }
    let r = signin::sign_in_from(&db, &s, URL, "+79160000001", RIGHT, &client(IP), own, now + minutes(5))
        .await
        .map(|r| r.0);
    assert!(is_locked(&r), "{r:?}");
    assert_eq!(recipients_of(&db, "заблокирован").await.len(), 2, "one notice per lock period");
    // A recovery lifts every lock at once.
    crate::auth::lockout::unlock(&db, ivanov().key, now + minutes(6)).await.unwrap();
    signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client(IP), now + minutes(6)).await.unwrap();
    signin::sign_in_from(&db, &s, URL, "+79160000001", RIGHT, &client(IP), own, now + minutes(6)).await.unwrap();
}

#[tokio::test]
async fn locking_again_in_a_later_period_tells_the_owner_again() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    lock_ivanov(&db, &s, t0()).await;
    lock_ivanov(&db, &s, t0() + minutes(31)).await;
    assert_eq!(recipients_of(&db, "заблокирован").await.len(), 4);
}

#[tokio::test]
async fn a_new_password_cancels_sign_ins_waiting_for_their_second_step() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let new = flows::NewFlow {
        purpose: flows::FlowPurpose::SignIn,
        account: Some(ivanov().key.to_string()),
        data: None,
        phone: None,
        email: None,
        channel: crate::platform::outbox::Channel::Sms,
        taken: Vec::new(),
    };
    let pending = flows::create(&db, new, t0()).await.unwrap();
    let a = crate::auth::accounts::load(&db, ivanov().key).await.unwrap().unwrap();
    service::set_password(&db, &s, &a, NEW_1, NEW_1, t0() + minutes(1)).await.unwrap();
    assert!(flows::load(&db, &pending, t0() + minutes(1)).await.is_err(), "the pending sign-in survived");
}

#[tokio::test]
async fn recovery_by_snils_or_inn_looks_the_same_for_a_known_and_an_unknown_number() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    for (known, unknown) in [("112-233-445 95", "234-567-891 00"), ("500100732259", "773400211326")] {
        let a = service::start_recovery(&db, &s, known, now).await.unwrap();
        let b = service::start_recovery(&db, &s, unknown, now).await.unwrap();
        let view = |id: String| {
            let db = db.clone();
            let s = s.clone();
            async move { flows::view(&flows::load(&db, &id, now).await.unwrap(), &s, now) }
        };
        assert_eq!(view(a.clone()).await, view(b.clone()).await, "{known} / {unknown}");
        // Neither offers another channel; asking for one is refused the same way.
        for id in [&a, &b] {
            let e = flows::send(&db, &s, id, crate::platform::outbox::Channel::Email, now + minutes(2)).await;
            assert_eq!(message(&e.unwrap_err()), "Этот способ получения кода недоступен");
            let e = flows::send(&db, &s, id, crate::platform::outbox::Channel::Voice, now + minutes(2)).await;
            assert_eq!(message(&e.unwrap_err()), "Этот способ получения кода недоступен");
            flows::send(&db, &s, id, crate::platform::outbox::Channel::Sms, now + minutes(2)).await.unwrap();
        }
    }
}

#[tokio::test]
async fn no_lock_when_lockout_attempts_is_zero() {
    let db = with_ivanov().await;
    let s = AuthSettings { lockout_attempts: 0, ..AuthSettings::default() };
    for _ in 0..10 {
        let e = sign_in(&db, &s, "+79160000001", WRONG, t0()).await.unwrap_err();
        assert_eq!(message(&e), WRONG_LOGIN);
    }
    sign_in(&db, &s, "+79160000001", RIGHT, t0()).await.unwrap();
}

// ---------------------------------------------------------------- recovery

#[tokio::test]
async fn finishing_recovery_lifts_the_lock_at_once_and_ends_every_session() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    let new = |public: bool| NewSession {
        account: ivanov().key,
        kind: if public { SessionKind::PublicComputer } else { SessionKind::Own },
        strong: false,
        enrol: false,
        must_change_password: false,
        ip: IP,
        user_agent: "test",
    };
    let home = sessions::create(&db, &s, new(false), now).await.unwrap();
    let cafe = sessions::create(&db, &s, new(true), now).await.unwrap();
    assert!(sessions::find(&db, &home, now + minutes(1), false).await.unwrap().is_some());

    lock_ivanov(&db, &s, now + minutes(1)).await;
    let flow = service::start_recovery(&db, &s, " 8 (916) 000-00-01 ", now + minutes(2)).await.unwrap();
    assert!(is_flow_id(&flow));
    let code = sent_code(&db).await;
    let e = service::finish_recovery(&db, &s, URL, &flow, &code, NEW_1, NEW_2, now + minutes(3)).await.unwrap_err();
    assert!(e.field_message("password2").is_some(), "{e:?}");
    service::finish_recovery(&db, &s, URL, &flow, &code, NEW_1, NEW_1, now + minutes(3)).await.unwrap();

    for token in [&home, &cafe] {
        assert!(sessions::find(&db, token, now + minutes(3), false).await.unwrap().is_none());
    }
    // Well within the 30 minutes of the lock.
    let signed = sign_in(&db, &s, "+79160000001", NEW_1, now + minutes(4)).await.unwrap();
    assert_eq!(signed, SignedIn { account: ivanov().key.to_string(), must_change_password: false });
    let e = sign_in(&db, &s, "+79160000001", RIGHT, now + minutes(5)).await.unwrap_err();
    assert!(message(&e).starts_with(WRONG_LOGIN), "the old password is gone: {e:?}");
    // The owner is told, and the flow cannot be used twice.
    assert_eq!(
        recipients_of(&db, "кабинета восстановлен").await,
        vec!["+79160000001".to_string(), "ivanov@example.ru".into()]
    );
    let e = service::finish_recovery(&db, &s, URL, &flow, &code, NEW_2, NEW_2, now + minutes(6)).await.unwrap_err();
    assert_eq!(message(&e), flows::EXPIRED_FLOW);
}

#[tokio::test]
async fn recovery_by_snils_sends_the_code_to_the_accounts_phone() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let flow = service::start_recovery(&db, &s, "112-233-445 95", t0()).await.unwrap();
    let mut res = db.query("SELECT VALUE recipient FROM outbox").await.unwrap();
    let recipients: Vec<String> = res.take(0).unwrap();
    assert_eq!(recipients, vec!["+79160000001".to_string()]);
    let code = sent_code(&db).await;
    service::finish_recovery(&db, &s, URL, &flow, &code, NEW_1, NEW_1, t0() + minutes(1)).await.unwrap();
    sign_in(&db, &s, "112-233-445 95", NEW_1, t0() + minutes(2)).await.unwrap();
}

#[tokio::test]
async fn recovery_for_an_unknown_login_gives_a_flow_sends_nothing_and_takes_no_code() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    let known = service::start_recovery(&db, &s, "+79160000001", now).await.unwrap();
    assert!(is_flow_id(&known));
    assert_eq!(outbox_bodies(&db).await.len(), 1);
    db.query("DELETE outbox").await.unwrap().check().unwrap();

    for login in ["+7 916 999-99-99", "nobody@example.ru", "234-567-891 00", "773400211326"] {
        let flow = service::start_recovery(&db, &s, login, now).await.unwrap();
        assert!(is_flow_id(&flow), "{login}: {flow}");
        assert!(outbox_bodies(&db).await.is_empty(), "{login}: something was sent");
        for code in ["000000", "123456", "999999"] {
            let e =
                service::finish_recovery(&db, &s, URL, &flow, code, NEW_1, NEW_1, now + minutes(1)).await.unwrap_err();
            assert!(e.field_message("code").is_some_and(|m| m.starts_with("Неверный код")), "{login}: {e:?}");
        }
        // «Send again» behaves as for a real login and still sends nothing.
        use crate::platform::outbox::Channel;
        let channel = if login.contains('@') { Channel::Email } else { Channel::Sms };
        flows::send(&db, &s, &flow, channel, now + minutes(2)).await.unwrap();
        assert!(outbox_bodies(&db).await.is_empty(), "{login}: something was sent on resend");
    }
}

#[tokio::test]
async fn the_recovery_code_page_looks_the_same_for_an_unknown_login_as_for_a_known_one() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let now = t0();
    let view = |login: &'static str| {
        let db = db.clone();
        let s = s.clone();
        async move {
            let flow = service::start_recovery(&db, &s, login, now).await.unwrap();
            let v = flows::view(&flows::load(&db, &flow, now).await.unwrap(), &s, now);
            (v.destination, v.purpose, v.channel, v.voice, v.other_channel, v.resend_in, v.code_expires_in)
        }
    };
    let mut differences = Vec::new();
    for (known, unknown, known_masked, unknown_masked) in [
        ("+79160000001", "+79169999999", "в SMS на номер +7 916 ***-**-01", "в SMS на номер +7 916 ***-**-99"),
        ("ivanov@example.ru", "nobody@example.ru", "на почту iv***@example.ru", "на почту no***@example.ru"),
    ] {
        let mut known = view(known).await;
        let unknown = view(unknown).await;
        assert_eq!(known.0, known_masked);
        known.0 = unknown_masked.to_string();
        if known != unknown {
            differences.push(format!("expected {known:?}, got {unknown:?}"));
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
}

// ---------------------------------------------------------------- password age

#[tokio::test]
async fn a_password_older_than_ninety_days_must_be_changed_at_sign_in() {
    let db = db::memory().await.unwrap();
    let s = AuthSettings::default();
    demo::create_account(&db, &aged("old", "+79161110091", "old@example.ru", 91), t0()).await.unwrap();
    demo::create_account(&db, &aged("fresh", "+79161110089", "fresh@example.ru", 89), t0()).await.unwrap();
    assert!(sign_in(&db, &s, "+79161110091", RIGHT, t0()).await.unwrap().must_change_password);
    assert!(!sign_in(&db, &s, "+79161110089", RIGHT, t0()).await.unwrap().must_change_password);
    // The fresh one turns due as the days pass.
    assert!(sign_in(&db, &s, "+79161110089", RIGHT, t0() + TimeDelta::days(1)).await.unwrap().must_change_password);
}

#[tokio::test]
async fn no_password_age_rule_when_max_age_is_zero() {
    let db = db::memory().await.unwrap();
    let s = AuthSettings { password_max_age_days: 0, ..AuthSettings::default() };
    demo::create_account(&db, &aged("old", "+79161110091", "old@example.ru", 91), t0()).await.unwrap();
    demo::create_account(&db, &aged("ancient", "+79161113650", "ancient@example.ru", 3650), t0()).await.unwrap();
    assert!(!sign_in(&db, &s, "+79161110091", RIGHT, t0()).await.unwrap().must_change_password);
    assert!(!sign_in(&db, &s, "+79161113650", RIGHT, t0()).await.unwrap().must_change_password);
}

// ---------------------------------------------------------------- password history

#[tokio::test]
async fn a_new_password_may_not_repeat_the_current_or_recent_ones() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let key = ivanov().key;
    let mut now = t0();
    for pass in [NEW_1, NEW_2, NEW_3] {
        now += TimeDelta::days(1);
        let a = service::load(&db, key).await.unwrap().unwrap();
        service::set_password(&db, &s, &a, pass, pass, now).await.unwrap();
    }
    let a = service::load(&db, key).await.unwrap().unwrap();
    assert_eq!(a.password_changed_at, now);
    for used in [NEW_3, NEW_2, NEW_1, RIGHT] {
        let e = service::set_password(&db, &s, &a, used, used, now).await.unwrap_err();
        let m = e.field_message("password").unwrap_or_else(|| panic!("{used}: {e:?}"));
        assert!(m.starts_with("Этот пароль уже использовался"), "{used}: {m}");
    }
    // The current one still signs in; a new one is taken.
    sign_in(&db, &s, "+79160000001", NEW_3, now).await.unwrap();
    service::set_password(&db, &s, &a, NEW_4, NEW_4, now).await.unwrap();
    sign_in(&db, &s, "+79160000001", NEW_4, now).await.unwrap();
}

#[tokio::test]
async fn a_weak_or_common_password_is_refused() {
    let db = with_ivanov().await;
    let s = AuthSettings::default();
    let a = service::load(&db, ivanov().key).await.unwrap().unwrap();
    // Meets every policy rule, but is one of the most common passwords.
    let e = service::set_password(&db, &s, &a, "Password123!", "Password123!", t0()).await.unwrap_err();
    let m = e.field_message("password").unwrap();
    assert!(m.contains("слишком простой"), "{m}");
    // «1234» is a run: refused by the policy before the strength estimate.
    let e = service::set_password(&db, &s, &a, "Password1234!", "Password1234!", t0()).await.unwrap_err();
    let m = e.field_message("password").unwrap();
    assert!(m.starts_with("Пароль не соответствует требованиям"), "{m}");
    // Personal data: the surname in Latin letters.
    let e =
        service::set_password(&db, &s, &a, "Ivanov-Kruto-Edet-77!", "Ivanov-Kruto-Edet-77!", t0()).await.unwrap_err();
    assert!(e.field_message("password").unwrap().contains("без имени"), "{e:?}");
    // Nothing changed.
    sign_in(&db, &s, "+79160000001", RIGHT, t0()).await.unwrap();
}

// ---------------------------------------------------------------- registration

#[tokio::test]
async fn registration_with_the_code_creates_an_account_that_signs_in_by_its_phone() {
    let db = db::memory().await.unwrap();
    let s = AuthSettings::default();
    let now = t0();
    let flow = service::start_registration(&db, &s, &registration("+7 916 555-44-33", ""), now).await.unwrap();
    assert!(is_flow_id(&flow));
    let code = sent_code(&db).await;
    let e = service::finish_registration(&db, &flow, other_code(&code), now + minutes(1)).await.unwrap_err();
    assert!(e.field_message("code").is_some(), "{e:?}");
    let key = service::finish_registration(&db, &flow, &code, now + minutes(1)).await.unwrap();

    let a = service::load(&db, &key).await.unwrap().unwrap();
    assert_eq!((a.surname.as_str(), a.name.as_str(), a.patronymic.as_deref()), ("Смирнова", "Анна", Some("Петровна")));
    assert_eq!(a.birth_date, "1990-05-15");
    assert_eq!(a.phone.as_deref(), Some("+79165554433"));
    assert!(a.phone_confirmed);
    assert_eq!(a.level, crate::auth::Level::Simplified);
    let signed = sign_in(&db, &s, "8 916 555-44-33", NEW_1, now + minutes(2)).await.unwrap();
    assert_eq!(signed, SignedIn { account: key, must_change_password: false });
    // The code is spent with the flow.
    let e = service::finish_registration(&db, &flow, &code, now + minutes(2)).await.unwrap_err();
    assert_eq!(message(&e), flows::EXPIRED_FLOW);
}

#[tokio::test]
async fn registration_by_e_mail_signs_in_by_that_e_mail() {
    let db = db::memory().await.unwrap();
    let s = AuthSettings::default();
    let flow = service::start_registration(&db, &s, &registration("", "Anna.S@Example.RU"), t0()).await.unwrap();
    let code = sent_code(&db).await;
    let key = service::finish_registration(&db, &flow, &code, t0() + minutes(1)).await.unwrap();
    let a = service::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(a.email.as_deref(), Some("anna.s@example.ru"));
    assert!(a.email_confirmed);
    assert_eq!(sign_in(&db, &s, "ANNA.S@example.ru", NEW_1, t0() + minutes(2)).await.unwrap().account, key);
}

#[tokio::test]
async fn a_contact_not_confirmed_at_registration_is_not_a_login() {
    let db = db::memory().await.unwrap();
    let s = AuthSettings::default();
    let form = registration("+7 916 555-44-33", "anna@example.ru");
    let flow = service::start_registration(&db, &s, &form, t0()).await.unwrap();
    let code = sent_code(&db).await;
    let key = service::finish_registration(&db, &flow, &code, t0() + minutes(1)).await.unwrap();
    let a = service::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(a.email.as_deref(), Some("anna@example.ru"));
    assert!(!a.email_confirmed);
    let e = sign_in(&db, &s, "anna@example.ru", NEW_1, t0() + minutes(2)).await.unwrap_err();
    assert!(message(&e).starts_with(WRONG_LOGIN), "{e:?}");
}

/// The flow page a registration shows, without the masked contact.
async fn register_page(db: &Db, s: &AuthSettings, flow: &str, now: DateTime<Utc>) -> crate::auth::dto::FlowView {
    let row = flows::load(db, flow, now).await.unwrap();
    let mut view = flows::view(&row, s, now);
    view.destination = view.destination.split(' ').take(3).collect::<Vec<_>>().join(" ");
    view
}

#[tokio::test]
async fn registering_with_a_known_phone_or_email_answers_as_for_a_new_one_and_tells_the_holder() {
    let db = db::memory().await.unwrap();
    let s = AuthSettings::default();
    let flow = service::start_registration(&db, &s, &registration("+7 916 555-44-33", ""), t0()).await.unwrap();
    let code = sent_code(&db).await;
    service::finish_registration(&db, &flow, &code, t0() + minutes(1)).await.unwrap();

    // The same page for a known phone and a new one.
    let known =
        service::start_registration(&db, &s, &registration("8 (916) 555-44-33", ""), t0() + minutes(5)).await.unwrap();
    let notice = outbox_bodies(&db).await[0].clone();
    assert!(notice.contains("уже указан в вашей учётной записи"), "{notice}");
    assert!(!notice.chars().any(|c| c.is_ascii_digit()), "a code was sent: {notice}");
    let fresh =
        service::start_registration(&db, &s, &registration("+7 916 555-44-34", ""), t0() + minutes(5)).await.unwrap();
    assert_eq!(
        register_page(&db, &s, &known, t0() + minutes(5)).await,
        register_page(&db, &s, &fresh, t0() + minutes(5)).await
    );
    // No code finishes it.
    for code in ["000000", "123456"] {
        let e = service::finish_registration(&db, &known, code, t0() + minutes(6)).await.unwrap_err();
        assert!(e.field_message("code").is_some_and(|m| m.starts_with("Неверный код")), "{e:?}");
    }

    // A demo account's e-mail the same way: the holder reads a notice.
    demo::create_account(&db, ivanov(), t0()).await.unwrap();
    service::start_registration(&db, &s, &registration("", "IVANOV@example.ru"), t0() + minutes(5)).await.unwrap();
    assert_eq!(recipients_of(&db, "уже указан в вашей учётной записи").await.len(), 2);

    // A second contact that has an account: the code goes to the free phone
    // as always; switching to the taken e-mail sends its holder a notice,
    // not a code. The new account gets the e-mail unconfirmed (no login).
    let probe =
        service::start_registration(&db, &s, &registration("+7 916 555-44-36", "ivanov@example.ru"), t0() + minutes(7))
            .await
            .unwrap();
    let fresh_both =
        service::start_registration(&db, &s, &registration("+7 916 555-44-37", "new@example.ru"), t0() + minutes(7))
            .await
            .unwrap();
    assert_eq!(
        register_page(&db, &s, &probe, t0() + minutes(7)).await,
        register_page(&db, &s, &fresh_both, t0() + minutes(7)).await
    );
    let email = crate::platform::outbox::Channel::Email;
    flows::send(&db, &s, &probe, email, t0() + minutes(9)).await.unwrap();
    assert_eq!(recipients_of(&db, "уже указан в вашей учётной записи").await.len(), 3);
    let e = service::finish_registration(&db, &probe, "123456", t0() + minutes(9)).await.unwrap_err();
    assert!(e.field_message("code").is_some_and(|m| m.starts_with("Неверный код")), "{e:?}");
    let both =
        service::start_registration(&db, &s, &registration("+7 916 555-44-35", "ivanov@example.ru"), t0() + minutes(7))
            .await
            .unwrap();
    let code = {
        let mut res = db
            .query("SELECT VALUE body FROM outbox WHERE recipient = '+79165554435' ORDER BY created_at DESC LIMIT 1")
            .await
            .unwrap();
        let bodies: Vec<String> = res.take(0).unwrap();
        bodies[0].chars().filter(char::is_ascii_digit).take(6).collect::<String>()
    };
    let key = service::finish_registration(&db, &both, &code, t0() + minutes(8)).await.unwrap();
    let a = crate::auth::accounts::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(a.email.as_deref(), Some("ivanov@example.ru"));
    assert!(!a.email_confirmed);
    let ivanov_login = crate::auth::identifier::Identifier::Email("ivanov@example.ru".into());
    assert_eq!(crate::auth::accounts::find_by_login(&db, &ivanov_login).await.unwrap().as_deref(), Some(ivanov().key));
}

#[tokio::test]
async fn two_pending_registrations_of_one_phone_make_one_account() {
    let db = db::memory().await.unwrap();
    let s = AuthSettings::default();
    let form = registration("+7 916 555-44-33", "");
    let first = service::start_registration(&db, &s, &form, t0()).await.unwrap();
    let first_code = sent_code(&db).await;
    let second = service::start_registration(&db, &s, &form, t0() + minutes(1)).await.unwrap();
    let second_code = sent_code(&db).await;
    service::finish_registration(&db, &first, &first_code, t0() + minutes(2)).await.unwrap();
    let e = service::finish_registration(&db, &second, &second_code, t0() + minutes(2)).await.unwrap_err();
    assert!(e.field_message("phone").is_some_and(|m| m.starts_with("Этот номер уже указан")), "{e:?}");
    let mut res = db.query("SELECT VALUE id FROM account").await.unwrap();
    let ids: Vec<surrealdb::types::RecordId> = res.take(0).unwrap();
    assert_eq!(ids.len(), 1);
}

#[tokio::test]
async fn registration_needs_consent_and_a_phone_or_an_e_mail() {
    let db = db::memory().await.unwrap();
    let s = AuthSettings::default();
    let no_consent = RegistrationForm { consent: false, ..registration("+7 916 555-44-33", "") };
    let e = service::start_registration(&db, &s, &no_consent, t0()).await.unwrap_err();
    assert!(e.field_message("consent").is_some(), "{e:?}");
    assert!(e.field_message("phone").is_none(), "{e:?}");

    let e = service::start_registration(&db, &s, &registration("", ""), t0()).await.unwrap_err();
    assert!(e.field_message("phone").is_some_and(|m| m.contains("телефон или электронную почту")), "{e:?}");

    let mismatch = RegistrationForm { password2: NEW_2.into(), ..registration("+7 916 555-44-33", "") };
    let e = service::start_registration(&db, &s, &mismatch, t0()).await.unwrap_err();
    assert_eq!(e.field_message("password2").as_deref(), Some("Пароли не совпадают"));
    // Nothing was sent for any of them.
    assert!(outbox_bodies(&db).await.is_empty());
}

// ---------------------------------------------------------------- slow-down per address

#[tokio::test]
async fn an_address_with_many_failures_must_wait_and_other_addresses_do_not() {
    let db = with_ivanov().await;
    let s = AuthSettings { ip_failures_free: 3, ..AuthSettings::default() };
    let now = t0();
    let ip = "10.0.0.1";
    // Three free failures in a row, each on another (unknown) login.
    for i in 0..3 {
        let r = fail_from(&db, &s, &format!("+7916111000{i}"), ip, now).await;
        assert!(!slowed(&r) && r.is_err(), "failure {i}: {r:?}");
    }
    // The fourth, a second later, is still heard (and fails). (Right after
    // the third it would be asked to wait 2^0 = 1 s: k = 0 over the free ones.)
    let fourth = now + seconds(1);
    let r = fail_from(&db, &s, "+79161110003", ip, fourth).await;
    assert!(!slowed(&r), "{r:?}");
    // Then this address waits 2 s — even with the right password.
    let r = fail_from(&db, &s, "+79161110004", ip, fourth + seconds(1)).await;
    assert!(slowed(&r), "{r:?}");
    assert!(message(&r.unwrap_err()).ends_with("Повторите через 1 с"));
    let r = signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client(ip), fourth + seconds(1)).await;
    assert!(slowed(&r), "{r:?}");
    // Another address is not affected.
    let r = fail_from(&db, &s, "+79161110004", "10.0.0.2", fourth + seconds(1)).await;
    assert!(!slowed(&r) && r.is_err(), "{r:?}");
    signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client("10.0.0.2"), fourth + seconds(1)).await.unwrap();
    // After the wait the address is heard again.
    let r = signin::sign_in(&db, &s, URL, "+79160000001", RIGHT, &client(ip), fourth + seconds(2)).await;
    assert!(r.is_ok(), "{r:?}");
    // Once the 15-minute window is over it is free again: three failures in a row.
    let later = now + minutes(15);
    for i in 0..3 {
        let r = fail_from(&db, &s, &format!("+7916222000{i}"), ip, later).await;
        assert!(!slowed(&r) && r.is_err(), "failure {i} after the window: {r:?}");
    }
}

#[tokio::test]
async fn the_wait_doubles_with_each_further_failure_up_to_five_minutes() {
    let db = db::memory().await.unwrap();
    // A window long enough for all the waits below (about 18 min in total).
    let s = AuthSettings {
        ip_failures_free: 0,
        ip_window: TimeDelta::hours(1),
        lockout_attempts: 0,
        ..AuthSettings::default()
    };
    let ip = "10.0.0.9";
    let mut t = t0();
    for k in 1..=11 {
        let wait = (1i64 << k).min(300);
        fail_from(&db, &s, "+79161234567", ip, t).await.unwrap_err();
        let e = fail_from(&db, &s, "+79161234567", ip, t).await.unwrap_err();
        assert!(message(&e).ends_with(&format!("Повторите через {wait} с")), "failure {k}: {e:?}");
        t += seconds(wait);
    }
}
