//! The kernel against the real database engine in memory: the sign-in rules
//! (which second step is offered, where a sign-in lands, a new device),
//! the caller's roles and fresh proof, and the kernel's states as enums
//! that round-trip the database.

// See account/tests.rs: clippy does not treat this cfg as test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::TimeDelta;
use surrealdb::types::{RecordId, SurrealValue};

use super::accounts::{self, AccountRow};
use super::flows::FlowPurpose;
use super::model::{Level, Method, Role};
use super::sessions;
use super::{devices, mfa, signin};
use crate::demo::DEMO_ACCOUNTS;
use crate::error::AppError;
use crate::platform::db::{self, Db, QueryExt};
use crate::platform::outbox::Channel;
use crate::testing::{caller, staff_key, t0, with_people};

async fn account(db: &Db, key: &str) -> AccountRow {
    accounts::load(db, key).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_citizen_with_sms_on_is_offered_the_sms_second_step() {
    let db = with_people().await;
    let a = account(&db, DEMO_ACCOUNTS[0].key).await;
    mfa::enable_sms(&db, &a, t0()).await.unwrap();
    let row = mfa::load(&db, &a.key()).await.unwrap();
    assert_eq!(signin::second_step_methods(&row, &a, 0), vec![Method::Sms]);
    assert_eq!(signin::second_step_methods(&row, &a, 1), vec![Method::Sms, Method::Passkey]);
}

#[tokio::test]
async fn staff_are_never_offered_sms_as_the_second_step() {
    let db = with_people().await;
    let a = account(&db, staff_key(Role::Support)).await;
    mfa::enable_sms(&db, &a, t0()).await.unwrap();
    let row = mfa::load(&db, &a.key()).await.unwrap();
    let methods = signin::second_step_methods(&row, &a, 0);
    assert!(!methods.contains(&Method::Sms), "{methods:?}");
    assert_eq!(methods, vec![Method::Totp], "the demo support agent has an authenticator app");
}

#[tokio::test]
async fn a_staff_member_with_no_strong_step_is_still_asked_for_a_code_to_their_phone() {
    let db = with_people().await;
    let a = account(&db, staff_key(Role::Operator)).await;
    mfa::disable(&db, &a.key(), Method::Totp, t0()).await.unwrap();
    let row = mfa::load(&db, &a.key()).await.unwrap();
    // Nothing is «on», yet the password alone never finishes a staff sign-in.
    assert!(!row.on());
    assert_eq!(signin::second_step_methods(&row, &a, 0), vec![Method::Sms]);
    // A code by SMS or the password are not strong: the console stays shut.
    assert!(!Method::Password.is_strong() && !Method::Sms.is_strong());
    assert!(Method::Totp.is_strong() && Method::Passkey.is_strong() && Method::Backup.is_strong());
}

#[tokio::test]
async fn a_staff_member_with_only_a_passkey_or_backup_codes_is_asked_for_them() {
    let db = with_people().await;
    let a = account(&db, staff_key(Role::Official)).await;
    mfa::disable(&db, &a.key(), Method::Totp, t0()).await.unwrap();
    let row = mfa::load(&db, &a.key()).await.unwrap();
    assert_eq!(signin::second_step_methods(&row, &a, 1), vec![Method::Passkey]);
    mfa::new_backup_codes(&db, &a.key(), t0()).await.unwrap();
    let row = mfa::load(&db, &a.key()).await.unwrap();
    assert!(!row.on(), "backup codes alone do not turn two-step sign-in on for a citizen");
    assert_eq!(signin::second_step_methods(&row, &a, 0), vec![Method::Backup]);
}

#[tokio::test]
async fn a_weak_staff_session_may_not_add_a_second_step_but_a_first_sign_in_may() {
    let db = with_people().await;
    let weak = caller(&db, staff_key(Role::Support), false, t0()).await;
    assert_eq!(weak.require_may_add_second_step().unwrap_err(), AppError::invalid(super::caller::STAFF_SETUP_BY_ADMIN));
    let strong = caller(&db, staff_key(Role::Support), true, t0()).await;
    strong.require_may_add_second_step().unwrap();
    let first = crate::testing::first_sign_in(&db, staff_key(Role::Support), t0()).await;
    first.require_may_add_second_step().unwrap();
    let citizen = caller(&db, DEMO_ACCOUNTS[0].key, false, t0()).await;
    citizen.require_may_add_second_step().unwrap();
}

#[tokio::test]
async fn a_sign_in_lands_on_next_or_the_home_of_the_account() {
    let db = with_people().await;
    let citizen = account(&db, DEMO_ACCOUNTS[0].key).await;
    let admin = account(&db, staff_key(Role::Admin)).await;
    assert_eq!(signin::landing(&citizen, false, None), "/profile");
    assert_eq!(signin::landing(&admin, false, None), "/staff");
    assert_eq!(signin::landing(&admin, false, Some("/staff/admin".into())), "/staff/admin");
    assert_eq!(signin::landing(&admin, false, Some("//evil.example".into())), "/staff");
    assert_eq!(signin::landing(&citizen, true, Some("/security".into())), "/password/expired");
}

#[tokio::test]
async fn an_account_that_must_recover_or_is_disabled_cannot_finish_signing_in() {
    let db = with_people().await;
    let mut a = account(&db, DEMO_ACCOUNTS[0].key).await;
    assert_eq!(signin::refusal(&a), None);
    a.recovery_required = Some(true);
    assert_eq!(signin::refusal(&a), Some(super::lockout::RECOVERY_REQUIRED));
    let mut s = account(&db, staff_key(Role::Support)).await;
    s.disabled = true;
    assert_eq!(signin::refusal(&s), Some(super::lockout::DISABLED));
}

#[tokio::test]
async fn a_browser_is_new_once_per_account() {
    let db = with_people().await;
    let a = DEMO_ACCOUNTS[0].key;
    let b = DEMO_ACCOUNTS[1].key;
    assert!(devices::seen_device(&db, a, "dev-1", "ua", t0()).await.unwrap());
    assert!(!devices::seen_device(&db, a, "dev-1", "ua", t0()).await.unwrap());
    assert!(devices::seen_device(&db, b, "dev-1", "ua", t0()).await.unwrap(), "another account has not seen it");
}

#[tokio::test]
async fn the_caller_holds_exactly_the_roles_of_its_account() {
    let db = with_people().await;
    let citizen = caller(&db, DEMO_ACCOUNTS[0].key, false, t0()).await;
    assert!(!citizen.is_staff());
    assert_eq!(citizen.require_role(Role::Admin).unwrap_err(), AppError::Forbidden);
    let admin = caller(&db, staff_key(Role::Admin), true, t0()).await;
    assert!(admin.is_staff());
    admin.require_role(Role::Admin).unwrap();
    assert_eq!(admin.require_role(Role::Official).unwrap_err(), AppError::Forbidden);
}

#[tokio::test]
async fn a_fresh_proof_lasts_the_reauthentication_window() {
    let db = with_people().await;
    let c = caller(&db, DEMO_ACCOUNTS[0].key, false, t0()).await;
    let w = TimeDelta::minutes(10);
    c.require_fresh_proof(w, t0() + TimeDelta::minutes(9)).unwrap();
    let stale = c.require_fresh_proof(w, t0() + TimeDelta::minutes(11)).unwrap_err();
    assert!(stale.field_message("reauth").is_some());
}

#[tokio::test]
async fn a_staff_session_idles_out_after_fifteen_minutes() {
    let db = with_people().await;
    let c = caller(&db, staff_key(Role::Support), true, t0()).await;
    assert!(sessions::find(&db, &c.token, t0() + TimeDelta::minutes(14), false).await.unwrap().is_some());
    assert!(sessions::find(&db, &c.token, t0() + TimeDelta::minutes(15), false).await.unwrap().is_none());
}

#[tokio::test]
async fn a_session_becomes_strong_when_a_second_step_is_set_up_in_it() {
    let db = with_people().await;
    let c = crate::testing::first_sign_in(&db, staff_key(Role::Support), t0()).await;
    assert!(!c.session.strong && c.session.enrol);
    sessions::set_strong(&db, &c.token).await.unwrap();
    assert!(sessions::find(&db, &c.token, t0(), false).await.unwrap().unwrap().strong);
}

#[tokio::test]
async fn the_kernel_states_round_trip_the_database_as_their_names() {
    let db = db::memory().await.unwrap();
    #[derive(Debug, SurrealValue)]
    struct Row {
        roles: Vec<Role>,
        level: Level,
        method: Method,
        purpose: FlowPurpose,
        channel: Channel,
    }
    let id = RecordId::new("enum_check", "one");
    let raw: Option<surrealdb::types::Value> = db
        .query("CREATE $id SET roles = $roles, level = $level, method = $method, purpose = $purpose, channel = $channel RETURN roles, level, method, purpose, channel")
        .bind(("id", id.clone()))
        .bind(("roles", vec![Role::Operator, Role::Admin]))
        .bind(("level", Level::Confirmed))
        .bind(("method", Method::Totp))
        .bind(("purpose", FlowPurpose::SignIn))
        .bind(("channel", Channel::Voice))
        .one("enum check")
        .await
        .unwrap();
    let text = format!("{raw:?}");
    for name in ["operator", "admin", "confirmed", "totp", "signin", "voice"] {
        assert!(text.contains(name), "{name} not stored as its name: {text}");
    }
    let row: Option<Row> = db.query("SELECT * FROM ONLY $id").bind(("id", id)).one("enum check").await.unwrap();
    let row = row.unwrap();
    assert_eq!(row.roles, vec![Role::Operator, Role::Admin]);
    assert_eq!(row.level, Level::Confirmed);
    assert_eq!(row.method, Method::Totp);
    assert_eq!(row.purpose, FlowPurpose::SignIn);
    assert_eq!(row.channel, Channel::Voice);
}

#[tokio::test]
async fn a_role_outside_the_list_is_refused_by_the_schema() {
    let db = with_people().await;
    let res = db
        .query("UPDATE type::record('account', $key) SET roles = ['root']")
        .bind(("key", DEMO_ACCOUNTS[0].key))
        .exec("bad role")
        .await;
    assert!(res.is_err());
    assert!(account(&db, DEMO_ACCOUNTS[0].key).await.roles.is_empty());
}

#[tokio::test]
async fn an_account_a_caller_and_second_steps_never_show_secrets_in_debug_output() {
    let db = with_people().await;
    let key = staff_key(Role::Admin);
    let c = caller(&db, key, true, t0()).await;
    let row = mfa::load(&db, key).await.unwrap();
    let printed = format!("{c:?} {row:?}");
    assert!(!printed.contains("$argon2"), "a password hash printed: {printed}");
    assert!(!printed.contains(&c.token.as_str()[..16]), "a session token printed");
    let totp_key = crate::demo::DEMO_STAFF.iter().find(|d| d.key == key).unwrap().totp_key;
    assert!(!printed.contains(totp_key), "a TOTP key printed");
}

// ---------------------------------------------------------------- levels

#[tokio::test]
async fn the_registries_raise_a_simplified_account_to_standard_once() {
    use super::levels;
    use super::model::LevelRoute;
    let db = with_people().await;
    let key = DEMO_ACCOUNTS[1].key;
    assert_eq!(account(&db, key).await.level, Level::Simplified);
    assert!(levels::raise(&db, key, Level::Standard, LevelRoute::Registries, None, t0()).await.unwrap());
    assert_eq!(account(&db, key).await.level, Level::Standard);
    // The same verdict again changes nothing.
    assert!(!levels::raise(&db, key, Level::Standard, LevelRoute::Registries, None, t0()).await.unwrap());
    let history = levels::history(&db, key).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].from, history[0].to, history[0].route),
        (Level::Simplified, Level::Standard, LevelRoute::Registries)
    );
}

#[tokio::test]
async fn a_level_never_goes_down_and_skips_no_step() {
    use super::levels;
    use super::model::LevelRoute;
    let db = with_people().await;
    let key = DEMO_ACCOUNTS[1].key;
    // The registries cannot make an account «Подтверждённая».
    assert!(!levels::raise(&db, key, Level::Confirmed, LevelRoute::Registries, None, t0()).await.unwrap());
    assert!(levels::raise(&db, key, Level::Confirmed, LevelRoute::Mfc, Some("op"), t0()).await.unwrap());
    // A late registry verdict does not lower a confirmed account.
    assert!(!levels::raise(&db, key, Level::Standard, LevelRoute::Registries, None, t0()).await.unwrap());
    assert_eq!(account(&db, key).await.level, Level::Confirmed);
}

#[tokio::test]
async fn twenty_raises_at_once_raise_once() {
    use super::levels;
    use super::model::LevelRoute;
    let db = with_people().await;
    let key = DEMO_ACCOUNTS[1].key;
    let tries: Vec<_> = (0..20)
        .map(|i| {
            let db = db.clone();
            let route = if i % 2 == 0 { LevelRoute::Registries } else { LevelRoute::Mfc };
            let to = if i % 2 == 0 { Level::Standard } else { Level::Confirmed };
            tokio::spawn(async move { levels::raise(&db, key, to, route, None, t0()).await.unwrap() })
        })
        .collect();
    let mut changed = 0;
    for t in tries {
        changed += usize::from(t.await.unwrap());
    }
    // Either the registries then the МФЦ, or the МФЦ alone.
    assert!((1..=2).contains(&changed), "{changed} raises");
    assert_eq!(account(&db, key).await.level, Level::Confirmed);
    assert_eq!(levels::history(&db, key).await.unwrap().len(), changed);
}

#[tokio::test]
async fn a_caller_below_the_level_gets_a_message_naming_it() {
    let db = with_people().await;
    let c = caller(&db, DEMO_ACCOUNTS[1].key, false, t0()).await;
    assert!(c.require_level(Level::Simplified).is_ok());
    let e = c.require_level(Level::Standard).unwrap_err();
    assert!(matches!(&e, AppError::LevelTooLow { needed, .. } if needed == "Стандартная"));
    assert_eq!(e.status(), 403);
    assert!(e.to_string().contains("СНИЛС"), "{e}");
}

// ---------------------------------------------------------------- data access

async fn official(db: &Db) -> super::caller::StaffCaller {
    super::caller::StaffCaller::for_tests(caller(db, staff_key(Role::Official), true, t0()).await)
}

#[tokio::test]
async fn staff_read_a_citizens_data_only_through_an_open_task_of_their_role() {
    use super::access::{self, TaskKind};
    let db = with_people().await;
    let citizen = DEMO_ACCOUNTS[0].key;
    let other = DEMO_ACCOUNTS[1].key;
    let off = official(&db).await;
    let support = super::caller::StaffCaller::for_tests(caller(&db, staff_key(Role::Support), true, t0()).await);
    access::open_task(
        &db,
        "doc1",
        TaskKind::DocumentReview,
        citizen,
        Role::Official,
        "Проверка документа «Паспорт»",
        t0(),
    )
    .await
    .unwrap();
    // No task, a task about someone else, a role the staff member lacks: refused.
    assert_eq!(access::look(&db, &off, citizen, "", "Документ", t0()).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(access::look(&db, &off, citizen, "nope", "Документ", t0()).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(access::look(&db, &off, other, "doc1", "Документ", t0()).await.unwrap_err(), AppError::Forbidden);
    if !support.has_role(Role::Official) {
        assert_eq!(
            access::look(&db, &support, citizen, "doc1", "Документ", t0()).await.unwrap_err(),
            AppError::Forbidden
        );
    }
    assert!(access::for_citizen(&db, citizen, 50).await.unwrap().is_empty());
    // Through the task: allowed, and written down for the citizen.
    let task = access::look(&db, &off, citizen, "doc1", "Документ «Паспорт»", t0()).await.unwrap();
    assert_eq!(task.kind, TaskKind::DocumentReview);
    let rows = access::for_citizen(&db, citizen, 50).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].role, Role::Official);
    assert_eq!(rows[0].what, "Документ «Паспорт»");
    assert_eq!(rows[0].why, "Проверка документа «Паспорт»");
    assert_eq!(rows[0].unit, off.account.department);
    assert!(access::for_citizen(&db, other, 50).await.unwrap().is_empty());
    // A closed task opens nothing.
    access::close_task(&db, "doc1", t0()).await.unwrap();
    assert_eq!(access::look(&db, &off, citizen, "doc1", "Документ", t0()).await.unwrap_err(), AppError::Forbidden);
}

#[tokio::test]
async fn a_citizen_reports_an_access_once_and_the_administrators_see_it() {
    use super::access::{self, TaskKind};
    let db = with_people().await;
    let citizen = DEMO_ACCOUNTS[0].key;
    let off = official(&db).await;
    access::open_task(&db, "doc2", TaskKind::DocumentReview, citizen, Role::Official, "Проверка документа", t0())
        .await
        .unwrap();
    access::look(&db, &off, citizen, "doc2", "Документ", t0()).await.unwrap();
    let row = access::for_citizen(&db, citizen, 50).await.unwrap().remove(0);
    let key = db::record_key(&row.id);
    // Someone else cannot report the citizen's row.
    assert!(!access::report(&db, DEMO_ACCOUNTS[1].key, &key, "", t0()).await.unwrap());
    assert!(access::report(&db, citizen, &key, "Я ничего не загружал", t0()).await.unwrap());
    assert!(!access::report(&db, citizen, &key, "ещё раз", t0()).await.unwrap());
    let alerts = access::open_alerts(&db, 50).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].text, "Я ничего не загружал");
    let seen = alerts[0].access.as_ref().unwrap();
    assert_eq!(seen.staff, off.key());
    assert!(access::for_citizen(&db, citizen, 50).await.unwrap()[0].reported_at.is_some());
}

#[tokio::test]
async fn a_notice_is_kept_for_the_centre_and_sent_to_confirmed_contacts() {
    let db = with_people().await;
    let a = account(&db, DEMO_ACCOUNTS[0].key).await;
    crate::notify::notice(
        &db,
        &a,
        crate::notify::NoticeKind::PersonalData,
        "Документ принят",
        "Паспорт проверен.",
        Some("/documents"),
        t0(),
    )
    .await
    .unwrap();
    #[derive(Debug, SurrealValue)]
    struct N {
        subject: String,
        link: Option<String>,
    }
    let rows: Vec<N> = db
        .query("SELECT subject, link FROM notification WHERE account = $a")
        .bind(("a", a.key()))
        .all("n")
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].link.as_deref(), Some("/documents"));
    let sent: Vec<String> = db.query("SELECT VALUE recipient FROM outbox").all("o").await.unwrap();
    assert!(sent.contains(&a.phone.clone().unwrap()) && sent.contains(&a.email.clone().unwrap()), "{sent:?}");
}

#[tokio::test]
async fn nobody_works_on_their_own_data() {
    use super::access::{self, TaskKind};
    let db = with_people().await;
    let off = official(&db).await;
    // An official uploads their own passport scan: the review task is about them.
    access::open_task(&db, "own", TaskKind::DocumentReview, &off.key(), Role::Official, "Проверка документа", t0())
        .await
        .unwrap();
    assert_eq!(access::look(&db, &off, &off.key(), "own", "Документ", t0()).await.unwrap_err(), AppError::Forbidden);
}
