//! The identity check against the real database engine in memory, with the
//! simulated registries driven by hand (the exchange's rounds at moments
//! the test chooses): a fixture person is confirmed and reaches
//! «Стандартная», a wrong passport number is refused naming the passport,
//! faults (timeouts, duplicate answers, a registry that keeps failing) never
//! lose a request or give a second verdict, and one check at a time.

// See account/tests.rs: clippy does not treat this cfg as test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::RecordId;

use super::model::{ALREADY_CONFIRMED, ALREADY_PENDING, CheckState, PassportInput, Refusal, VerifyInput};
use super::registry::SYSTEMS;
use super::service::{self, Registries};
use super::simulator::SimulatedRegistries;
use super::store;
use crate::auth::caller::Caller;
use crate::auth::identifier::Identifier;
use crate::auth::{Level, LevelRoute, accounts, levels};
use crate::demo::DEMO_ACCOUNTS;
use crate::error::AppError;
use crate::platform::db::Db;
use crate::platform::exchange::{self, ExchangeState};
use crate::platform::exchange_settings::{ExchangeSettings, RegistrySimulation};
use crate::testing::{t0, with_people};

/// A citizen registered at «Упрощённая» (a confirmed phone), signed in.
async fn citizen(db: &Db, key: &str, fio: [&str; 3], birth: &str, phone: &str) -> Caller {
    db.query(
        "CREATE $id SET surname = $surname, name = $name, patronymic = $patronymic, birth_date = $birth,
            phone = $phone, phone_confirmed = true, email = NONE, email_confirmed = false, level = 'simplified',
            password_hash = 'x', password_changed_at = $now, password_history = [], created_at = $now;
         CREATE $login SET account = $key;",
    )
    .bind(("id", RecordId::new("account", key)))
    .bind(("login", RecordId::new("login", format!("phone:{phone}"))))
    .bind(("key", key.to_string()))
    .bind(("surname", fio[0].to_string()))
    .bind(("name", fio[1].to_string()))
    .bind(("patronymic", fio[2].to_string()))
    .bind(("birth", birth.to_string()))
    .bind(("phone", phone.to_string()))
    .bind(("now", t0()))
    .await
    .unwrap()
    .check()
    .unwrap();
    crate::testing::caller(db, key, false, t0()).await
}

async fn sokolova(db: &Db) -> Caller {
    citizen(db, "sokolova", ["Соколова", "Елена", "Викторовна"], "1991-02-14", "+79161112233").await
}

fn sokolova_data() -> VerifyInput {
    VerifyInput {
        snils: "156-372-948 94".into(),
        passport: PassportInput {
            series: "45 12".into(),
            number: "654321".into(),
            issued_on: "20.03.2011".into(),
            issued_by: "ГУ МВД России по г. Москве".into(),
            division_code: "770-005".into(),
        },
    }
}

/// The registries, answering after two seconds, faults as given.
fn registries(faults: RegistrySimulation) -> SimulatedRegistries {
    super::simulator::registries(RegistrySimulation { delay: TimeDelta::seconds(2), ..faults })
}

fn no_faults() -> RegistrySimulation {
    RegistrySimulation::default()
}

/// Runs the exchange worker's rounds every second for `secs` seconds from `from`.
async fn run(db: &Db, sim: &SimulatedRegistries, from: DateTime<Utc>, secs: i64) -> DateTime<Utc> {
    let consumer = Registries { outbox_wake: Arc::new(tokio::sync::Notify::new()) };
    let settings = ExchangeSettings::default();
    let mut now = from;
    for _ in 0..secs {
        exchange::round(db, sim, &consumer, SYSTEMS, &settings, now).await.unwrap();
        now += TimeDelta::seconds(1);
    }
    now
}

async fn count(db: &Db, sql: &str, key: &str) -> usize {
    let rows: Vec<RecordId> = db.query(sql).bind(("k", key.to_string())).await.unwrap().take(0).unwrap();
    rows.len()
}

async fn notices(db: &Db, key: &str) -> usize {
    count(db, "SELECT VALUE id FROM notification WHERE account = $k", key).await
}

async fn level_events(db: &Db, key: &str) -> usize {
    count(db, "SELECT VALUE id FROM level_event WHERE account = $k", key).await
}

#[tokio::test]
async fn sokolova_is_confirmed_by_both_registries_and_becomes_standard() {
    let db = with_people().await;
    let me = sokolova(&db).await;
    let key = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap();
    let view = service::view(&db, &me, true).await.unwrap();
    assert_eq!(view.check.as_ref().map(|c| c.state), Some(CheckState::Pending));
    assert_eq!(view.full_name, "Соколова Елена Викторовна");
    assert_eq!(view.birth_date, "14.02.1991");

    let sim = registries(no_faults());
    // Before the registries' delay: still pending.
    run(&db, &sim, t0(), 1).await;
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().state, CheckState::Pending);
    run(&db, &sim, t0() + TimeDelta::seconds(1), 4).await;
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().state, CheckState::Confirmed);

    let a = accounts::load(&db, "sokolova").await.unwrap().unwrap();
    assert_eq!(a.level, Level::Standard);
    assert_eq!(a.snils.as_deref(), Some("156-372-948 94"));
    assert_eq!(
        a.passport.as_deref(),
        Some("45 12 654321, выдан ГУ МВД России по г. Москве 20.03.2011, код подразделения 770-005")
    );
    // The СНИЛС is a login now.
    let by_snils = accounts::find_by_login(&db, &Identifier::Snils("156-372-948 94".into())).await.unwrap();
    assert_eq!(by_snils.as_deref(), Some("sokolova"));
    let history = levels::history(&db, "sokolova").await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].from, history[0].to, history[0].route),
        (Level::Simplified, Level::Standard, LevelRoute::Registries)
    );
    assert_eq!(notices(&db, "sokolova").await, 1);
    let sms: Vec<String> =
        db.query("SELECT VALUE body FROM outbox WHERE recipient = '+79161112233'").await.unwrap().take(0).unwrap();
    assert_eq!(sms, ["Госпортал: Личность подтверждена. Подробнее в личном кабинете."]);

    // The page now says so and has no form to send again.
    let me = crate::testing::caller(&db, "sokolova", false, t0()).await;
    let view = service::view(&db, &me, true).await.unwrap();
    assert_eq!(view.level, Level::Standard);
    assert_eq!(
        service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap_err(),
        AppError::invalid(ALREADY_CONFIRMED)
    );
}

#[tokio::test]
async fn a_wrong_passport_number_is_refused_naming_the_passport_and_the_data_stay_to_correct() {
    let db = with_people().await;
    let me = sokolova(&db).await;
    let mut data = sokolova_data();
    data.passport.number = "654322".into();
    let key = service::submit(&db, &me, &data, true, t0()).await.unwrap();
    run(&db, &registries(no_faults()), t0(), 5).await;
    let check = store::load(&db, &key).await.unwrap().unwrap();
    assert_eq!((check.state, check.refusals.clone()), (CheckState::Refused, vec![Refusal::PassportNotFound]));
    let a = accounts::load(&db, "sokolova").await.unwrap().unwrap();
    assert_eq!((a.level, a.snils, a.passport), (Level::Simplified, None, None));
    assert_eq!(level_events(&db, "sokolova").await, 0);
    assert_eq!(notices(&db, "sokolova").await, 1);
    // The page shows what was sent, to correct and send again.
    let view = service::view(&db, &me, true).await.unwrap();
    assert_eq!(view.values.passport.number, "654322");
    assert_eq!(view.values.passport.issued_on, "20.03.2011");
    assert_eq!(view.check.unwrap().refusals, [Refusal::PassportNotFound]);
    data.passport.number = "654321".into();
    let again = service::submit(&db, &me, &data, true, t0() + TimeDelta::minutes(1)).await.unwrap();
    run(&db, &registries(no_faults()), t0() + TimeDelta::minutes(1), 5).await;
    assert_eq!(store::load(&db, &again).await.unwrap().unwrap().state, CheckState::Confirmed);
}

#[tokio::test]
async fn a_person_the_registries_do_not_know_is_refused_for_both_parts() {
    let db = with_people().await;
    // Соколова's documents, but another birth date on the account.
    let me = citizen(&db, "other", ["Соколова", "Елена", "Викторовна"], "1991-02-15", "+79161112244").await;
    let key = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap();
    run(&db, &registries(no_faults()), t0(), 5).await;
    let check = store::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(check.refusals, [Refusal::SnilsNotFound, Refusal::PassportNotFound]);
}

#[tokio::test]
async fn a_send_that_times_out_is_retried_with_the_same_message_id_and_the_verdict_comes_once() {
    let db = with_people().await;
    let me = sokolova(&db).await;
    let key = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap();
    // The registries take longer to answer than the first retry waits, so
    // a request that did arrive is sent again before its answer comes.
    let slow = RegistrySimulation { delay: TimeDelta::seconds(5), ..no_faults() };
    let sim = super::simulator::registries(RegistrySimulation { timeout_rate: 1.0, ..slow });
    let now = run(&db, &sim, t0(), 1).await;
    let check = store::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(check.state, CheckState::Pending, "a timeout leaves the check «На проверке»");
    for id in [&check.snils_request, &check.passport_request] {
        let r = exchange::load(&db, id).await.unwrap().unwrap();
        assert_eq!((r.state, r.attempts), (ExchangeState::Queued, 1));
    }
    sim.set(slow);
    run(&db, &sim, now, 12).await;
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().state, CheckState::Confirmed);
    // Each request was sent twice under its one message id, and nothing else was sent.
    let mut seen = sim.seen();
    seen.sort();
    let mut expected = vec![
        check.snils_request.clone(),
        check.snils_request.clone(),
        check.passport_request.clone(),
        check.passport_request.clone(),
    ];
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(notices(&db, "sokolova").await, 1);
    assert_eq!(level_events(&db, "sokolova").await, 1);
}

#[tokio::test]
async fn a_duplicate_answer_is_applied_once() {
    let db = with_people().await;
    let me = sokolova(&db).await;
    let key = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap();
    let sim = registries(RegistrySimulation { duplicate_rate: 1.0, ..no_faults() });
    run(&db, &sim, t0(), 30).await;
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().state, CheckState::Confirmed);
    // Two answers taken (one per registry), each delivered twice.
    let inbox: Vec<String> = db.query("SELECT VALUE outcome FROM exchange_inbox").await.unwrap().take(0).unwrap();
    assert_eq!(inbox, ["applied", "applied"]);
    assert_eq!(notices(&db, "sokolova").await, 1);
    assert_eq!(level_events(&db, "sokolova").await, 1);
}

#[tokio::test]
async fn a_registry_that_keeps_failing_ends_in_failed_the_page_says_so_and_a_resend_works() {
    let db = with_people().await;
    let me = sokolova(&db).await;
    let key = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap();
    let sim = registries(RegistrySimulation { error_rate: 1.0, ..no_faults() });
    // Five sends with growing waits: about a minute with the default settings.
    let now = run(&db, &sim, t0(), 120).await;
    let check = store::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(check.state, CheckState::Failed);
    let r = exchange::load(&db, &check.snils_request).await.unwrap().unwrap();
    assert_eq!((r.state, r.attempts), (ExchangeState::Failed, 5));
    assert_eq!(accounts::load(&db, "sokolova").await.unwrap().unwrap().level, Level::Simplified);
    let view = service::view(&db, &me, true).await.unwrap();
    assert_eq!(view.check.map(|c| c.state), Some(CheckState::Failed));
    assert_eq!(view.values, sokolova_data());
    assert_eq!(notices(&db, "sokolova").await, 1);
    // Sent again (new requests), the registry now answers.
    let again = service::submit(&db, &me, &sokolova_data(), true, now).await.unwrap();
    assert_ne!(again, key);
    sim.set(RegistrySimulation { delay: TimeDelta::seconds(2), ..no_faults() });
    run(&db, &sim, now, 5).await;
    assert_eq!(store::load(&db, &again).await.unwrap().unwrap().state, CheckState::Confirmed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_sends_make_one_check_with_one_request_per_registry() {
    let db = Arc::new(with_people().await);
    let me = sokolova(&db).await;
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (db, me) = (db.clone(), me.clone());
        tasks.push(tokio::spawn(async move { service::submit(&db, &me, &sokolova_data(), true, t0()).await }));
    }
    let mut sent = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => sent += 1,
            // Past the day's budget the answer says so instead.
            Err(e) => {
                assert!(e == AppError::invalid(ALREADY_PENDING) || e.to_string().contains("не больше 5 раз"), "{e:?}")
            }
        }
    }
    assert_eq!(sent, 1);
    assert_eq!(store::count(&db, "sokolova").await.unwrap(), 1);
    let requests: Vec<RecordId> = db.query("SELECT VALUE id FROM exchange_request").await.unwrap().take(0).unwrap();
    assert_eq!(requests.len(), 2);
}

#[tokio::test]
async fn the_level_rises_only_by_the_allowed_step_and_never_goes_down() {
    let db = with_people().await;
    // A citizen at «Подтверждённая» (the demo Иванов) has nothing to send.
    let ivanov = crate::testing::caller(&db, DEMO_ACCOUNTS[0].key, false, t0()).await;
    assert_eq!(
        service::submit(&db, &ivanov, &sokolova_data(), true, t0()).await.unwrap_err(),
        AppError::invalid(ALREADY_CONFIRMED)
    );
    // A check sent at «Упрощённая» that is confirmed after an МФЦ raised the
    // account to «Подтверждённая» leaves it there.
    let me = sokolova(&db).await;
    let key = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap();
    assert!(
        levels::raise(&db, "sokolova", Level::Confirmed, LevelRoute::Mfc, Some("demo_operator"), t0()).await.unwrap()
    );
    run(&db, &registries(no_faults()), t0(), 5).await;
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().state, CheckState::Confirmed);
    assert_eq!(accounts::load(&db, "sokolova").await.unwrap().unwrap().level, Level::Confirmed);
    assert_eq!(level_events(&db, "sokolova").await, 1, "only the МФЦ's raise");
}

#[tokio::test]
async fn a_snils_that_signs_in_to_another_account_is_refused_after_the_registries_confirm_it() {
    let db = with_people().await;
    let a = &DEMO_ACCOUNTS[0];
    // Иванов's documents, sent by a second account of the same person.
    let me = citizen(&db, "ivanov2", [a.surname, a.name, a.patronymic], a.birth_date, "+79161112255").await;
    let data = VerifyInput {
        snils: a.snils.unwrap().into(),
        passport: PassportInput {
            series: "45 10".into(),
            number: "123456".into(),
            issued_on: "20.05.2015".into(),
            issued_by: "ГУ МВД России по г. Москве".into(),
            division_code: "770-001".into(),
        },
    };
    let key = service::submit(&db, &me, &data, true, t0()).await.unwrap();
    run(&db, &registries(no_faults()), t0(), 5).await;
    let check = store::load(&db, &key).await.unwrap().unwrap();
    assert_eq!((check.state, check.refusals), (CheckState::Refused, vec![Refusal::SnilsOnAnotherAccount]));
    let login = accounts::find_by_login(&db, &Identifier::Snils(a.snils.unwrap().into())).await.unwrap();
    assert_eq!(login.as_deref(), Some(a.key));
    assert_eq!(accounts::load(&db, "ivanov2").await.unwrap().unwrap().level, Level::Simplified);
}

#[tokio::test]
async fn bad_input_is_named_field_by_field_and_sends_nothing() {
    let db = with_people().await;
    let me = sokolova(&db).await;
    let mut data = sokolova_data();
    data.snils = "156-372-948 95".into();
    data.passport.division_code = "77-005".into();
    let e = service::submit(&db, &me, &data, true, t0()).await.unwrap_err();
    assert!(e.field_message("snils").is_some(), "{e:?}");
    assert!(e.field_message("passport_division").is_some(), "{e:?}");
    assert_eq!(store::count(&db, "sokolova").await.unwrap(), 0);
    // A portal without the registries sends nothing either.
    let e = service::submit(&db, &me, &sokolova_data(), false, t0()).await.unwrap_err();
    assert_eq!(e, AppError::invalid(super::model::NOT_CONNECTED));
}

#[tokio::test]
async fn check_states_and_refusals_are_stored_by_their_names() {
    let db = with_people().await;
    let me = sokolova(&db).await;
    let key = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap();
    for s in CheckState::ALL {
        db.query("UPDATE type::record('identity_check', $k) SET state = $s, refusals = $r")
            .bind(("k", key.clone()))
            .bind(("s", s))
            .bind(("r", vec![Refusal::SnilsNotFound, Refusal::PassportNotFound, Refusal::SnilsOnAnotherAccount]))
            .await
            .unwrap()
            .check()
            .unwrap();
        let name: Option<String> = db
            .query("SELECT VALUE state FROM ONLY type::record('identity_check', $k)")
            .bind(("k", key.clone()))
            .await
            .unwrap()
            .take(0)
            .unwrap();
        assert_eq!(name.as_deref(), Some(s.as_str()));
        assert_eq!(store::load(&db, &key).await.unwrap().unwrap().state, s);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn settling_one_check_from_several_workers_at_once_gives_one_verdict() {
    let db = Arc::new(with_people().await);
    let me = sokolova(&db).await;
    let key = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap();
    let sim = registries(no_faults());
    let s = ExchangeSettings::default();
    exchange::send_due(&db, &sim, SYSTEMS, &s, t0()).await.unwrap();
    exchange::receive(&db, &sim, &s, t0() + TimeDelta::seconds(3)).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (db, key) = (db.clone(), key.clone());
        // A loser may find the winner still writing: it is tried again next round.
        tasks.push(tokio::spawn(async move { service::settle(&db, &key, t0() + TimeDelta::seconds(3)).await }));
    }
    for t in tasks {
        let _ = t.await.unwrap();
    }
    service::settle(&db, &key, t0() + TimeDelta::seconds(4)).await.unwrap();
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().state, CheckState::Confirmed);
    assert_eq!(notices(&db, "sokolova").await, 1);
    assert_eq!(level_events(&db, "sokolova").await, 1);
}

#[tokio::test]
async fn a_citizen_sends_at_most_five_checks_a_day() {
    let db = with_people().await;
    let me = sokolova(&db).await;
    for _ in 0..service::CHECKS_PER_DAY {
        // Each try either makes a check or finds one pending: both count.
        let _ = service::submit(&db, &me, &sokolova_data(), true, t0()).await;
    }
    let e = service::submit(&db, &me, &sokolova_data(), true, t0()).await.unwrap_err();
    assert!(e.to_string().contains("не больше 5 раз"), "{e:?}");
    let tomorrow = t0() + chrono::TimeDelta::days(1) + chrono::TimeDelta::minutes(1);
    let later = service::submit(&db, &me, &sokolova_data(), true, tomorrow).await;
    assert!(later.is_ok() || later.as_ref().unwrap_err().to_string().contains("уже отправлены"), "{later:?}");
}
