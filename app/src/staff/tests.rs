//! Staff accounts against the real database engine in memory, through a
//! `Caller` as the server functions give it: who may manage staff, what an
//! administrator may not do to themselves, the temporary password, the
//! journal, and disabling that ends sessions at once.

// See account/tests.rs: clippy does not treat this cfg as test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::TimeDelta;

use super::model::StaffForm;
use super::service::{self, Actor};
use super::store::{self, AuditAction};
use crate::auth::accounts;
use crate::auth::caller::StaffCaller;
use crate::auth::identifier::Identifier;
use crate::auth::policy::{PasswordContext, PasswordPolicy, check_password};
use crate::auth::sessions;
use crate::auth::{Role, lockout};
use crate::demo::{DEMO_ACCOUNTS, DEMO_STAFF};
use crate::error::AppError;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{self, Db};
use crate::platform::request::Client;
use crate::testing::{staff_key, t0, with_people};

fn key_of(role: Role) -> &'static str {
    staff_key(role)
}

/// A caller as `auth::caller::staff` would give it (for a citizen too, to
/// show the service refuses on its own).
async fn caller(db: &Db, key: &str) -> StaffCaller {
    StaffCaller::for_tests(crate::testing::caller(db, key, true, t0()).await)
}

fn form(phone: &str, roles: Vec<Role>) -> StaffForm {
    StaffForm {
        surname: "Орлова".into(),
        name: "Анна".into(),
        patronymic: "Игоревна".into(),
        phone: phone.into(),
        email: String::new(),
        roles,
        department: "Росреестр".into(),
        office: "МФЦ Арбат".into(),
    }
}

#[tokio::test]
async fn only_an_administrator_may_manage_staff() {
    let db = with_people().await;
    for key in [DEMO_ACCOUNTS[0].key, key_of(Role::Operator), key_of(Role::Official), key_of(Role::Support)] {
        let c = caller(&db, key).await;
        assert_eq!(Actor::admin(&c).err(), Some(AppError::Forbidden), "{key}");
    }
    let admin = caller(&db, key_of(Role::Admin)).await;
    assert!(Actor::admin(&admin).is_ok());
}

#[tokio::test]
async fn a_new_staff_member_gets_a_temporary_password_to_change_at_first_sign_in() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let policy = PasswordPolicy::default();
    let (key, password) =
        service::create(&db, &policy, &actor, &form("+7 916 555-00-11", vec![Role::Official]), t0()).await.unwrap();
    let a = accounts::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(a.roles, vec![Role::Official]);
    assert_eq!(a.department.as_deref(), Some("Росреестр"));
    assert_eq!(a.office, None, "an office only goes with the operator role");
    assert!(a.password_temporary);
    assert_eq!(accounts::find_by_login(&db, &Identifier::Phone("+79165550011".into())).await.unwrap(), Some(key));
    let client = Client { ip: "192.0.2.5".into(), user_agent: "x".into() };
    let s = AuthSettings::default();
    let signed = lockout::sign_in(&db, &s, "http://x", "+79165550011", &password, &client, t0()).await.unwrap();
    assert!(signed.must_change_password, "the temporary password must be changed first");
    // Once changed, the next sign-in goes straight on.
    let new = "Зелёный-Трамвай-42-Едет!";
    crate::account::service::set_password(&db, &s, &a, new, new, t0()).await.unwrap();
    let again = lockout::sign_in(&db, &s, "http://x", "+79165550011", new, &client, t0()).await.unwrap();
    assert!(!again.must_change_password);
}

#[test]
fn temporary_passwords_meet_the_policy_and_differ() {
    let policy = PasswordPolicy::default();
    let ctx = PasswordContext { surname: "", name: "", patronymic: "", birth_date: None, login: "" };
    let a = crate::auth::accounts::temporary_password(&policy);
    let b = crate::auth::accounts::temporary_password(&policy);
    assert_ne!(a, b);
    for p in [a, b] {
        assert!(check_password(&policy, &ctx, &p).iter().all(|(_, met)| *met), "{p}");
    }
}

#[tokio::test]
async fn a_phone_that_already_signs_in_is_refused_for_a_new_staff_member() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let taken = form(DEMO_ACCOUNTS[0].phone, vec![Role::Support]);
    let e = service::create(&db, &PasswordPolicy::default(), &actor, &taken, t0()).await.unwrap_err();
    assert!(e.field_message("phone").is_some(), "{e:?}");
}

#[tokio::test]
async fn an_administrator_cannot_drop_their_own_admin_role_or_disable_themselves() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let me = key_of(Role::Admin);
    let e = service::set_roles(&db, &actor, me, &[Role::Support], "", "", t0()).await.unwrap_err();
    assert!(e.field_message("roles").is_some());
    assert!(service::disable(&db, &actor, me, t0()).await.is_err());
    // Adding a role to themselves is fine.
    service::set_roles(&db, &actor, me, &[Role::Admin, Role::Support], "", "", t0()).await.unwrap();
    assert_eq!(store::roles_of(&db, me).await.unwrap(), vec![Role::Support, Role::Admin]);
}

#[tokio::test]
async fn roles_are_never_given_to_a_citizen_account() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let citizen = DEMO_ACCOUNTS[0].key;
    assert!(service::set_roles(&db, &actor, citizen, &[Role::Admin], "", "", t0()).await.is_err());
    assert!(service::disable(&db, &actor, citizen, t0()).await.is_err());
    assert!(store::roles_of(&db, citizen).await.unwrap().is_empty());
}

#[tokio::test]
async fn disabling_a_staff_member_ends_their_sessions_and_stops_sign_in() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let support = caller(&db, key_of(Role::Support)).await;
    service::disable(&db, &actor, key_of(Role::Support), t0()).await.unwrap();
    assert!(sessions::find(&db, &support.token, t0(), false).await.unwrap().is_none(), "the session ended at once");
    let s = AuthSettings::default();
    let client = Client { ip: "192.0.2.6".into(), user_agent: "x".into() };
    let support_demo = DEMO_STAFF.iter().find(|d| d.key == key_of(Role::Support)).unwrap();
    let e = lockout::sign_in(
        &db,
        &s,
        "http://x",
        support_demo.phone,
        support_demo.password,
        &client,
        t0() + TimeDelta::minutes(1),
    )
    .await
    .unwrap_err();
    assert_eq!(e, AppError::invalid(lockout::DISABLED));
    service::enable(&db, &actor, key_of(Role::Support), t0()).await.unwrap();
    lockout::sign_in(
        &db,
        &s,
        "http://x",
        support_demo.phone,
        support_demo.password,
        &client,
        t0() + TimeDelta::minutes(2),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn every_change_to_staff_is_journaled_with_who_did_it() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let (key, _) =
        service::create(&db, &PasswordPolicy::default(), &actor, &form("+79165550012", vec![Role::Support]), t0())
            .await
            .unwrap();
    service::set_roles(&db, &actor, &key, &[Role::Operator], "", "МФЦ Арбат", t0() + TimeDelta::seconds(1))
        .await
        .unwrap();
    service::disable(&db, &actor, &key, t0() + TimeDelta::seconds(2)).await.unwrap();
    service::enable(&db, &actor, &key, t0() + TimeDelta::seconds(3)).await.unwrap();
    let lines = store::audit(&db, 10).await.unwrap();
    let actions: Vec<AuditAction> = lines.iter().map(|l| l.action).collect();
    assert_eq!(
        actions,
        vec![AuditAction::Enabled, AuditAction::Disabled, AuditAction::RolesChanged, AuditAction::Created]
    );
    assert!(lines.iter().all(|l| l.actor.as_deref() == Some(key_of(Role::Admin)) && l.target == key));
    assert!(lines[2].details.contains("Оператор МФЦ") && lines[2].details.contains("МФЦ Арбат"));
}

#[tokio::test]
async fn the_server_console_creates_staff_with_no_administrator_signed_in() {
    let db = db::memory().await.unwrap();
    let (key, password) = service::create(
        &db,
        &PasswordPolicy::default(),
        &Actor::Console,
        &form("+79165550013", vec![Role::Admin]),
        t0(),
    )
    .await
    .unwrap();
    assert!(!password.is_empty());
    let line = &store::audit(&db, 1).await.unwrap()[0];
    assert_eq!(line.actor, None);
    assert_eq!(line.target, key);
}

#[tokio::test]
async fn a_new_temporary_password_removes_the_members_app_and_ends_their_sessions() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let support = caller(&db, key_of(Role::Support)).await;
    let (password, phone) =
        service::reset(&db, &PasswordPolicy::default(), &actor, key_of(Role::Support), t0()).await.unwrap();
    assert!(sessions::find(&db, &support.token, t0(), false).await.unwrap().is_none());
    let mfa = crate::auth::mfa::load(&db, key_of(Role::Support)).await.unwrap();
    assert!(mfa.totp_secret.is_none() && mfa.backup_hashes.is_empty());
    let s = AuthSettings::default();
    let client = Client { ip: "192.0.2.7".into(), user_agent: "x".into() };
    assert_eq!(phone, DEMO_STAFF.iter().find(|d| d.key == key_of(Role::Support)).unwrap().phone);
    let signed = lockout::sign_in(&db, &s, "http://x", &phone, &password, &client, t0()).await.unwrap();
    assert!(signed.must_change_password);
    assert_eq!(store::audit(&db, 1).await.unwrap()[0].action, AuditAction::PasswordReset);
    // An administrator cannot reset their own password here.
    assert!(service::reset(&db, &PasswordPolicy::default(), &actor, key_of(Role::Admin), t0()).await.is_err());
}

#[tokio::test]
async fn a_temporary_password_expires_after_seventy_two_hours() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let (_, password) =
        service::create(&db, &PasswordPolicy::default(), &actor, &form("+79165550014", vec![Role::Support]), t0())
            .await
            .unwrap();
    let s = AuthSettings::default();
    let client = Client { ip: "192.0.2.8".into(), user_agent: "x".into() };
    let at = |h| t0() + TimeDelta::hours(h);
    lockout::sign_in(&db, &s, "http://x", "+79165550014", &password, &client, at(71)).await.unwrap();
    let e = lockout::sign_in(&db, &s, "http://x", "+79165550014", &password, &client, at(72)).await.unwrap_err();
    assert_eq!(e, AppError::invalid(lockout::TEMPORARY_EXPIRED));
}

#[tokio::test]
async fn a_new_members_e_mail_is_kept_but_is_not_a_login_until_confirmed() {
    let db = with_people().await;
    let admin = caller(&db, key_of(Role::Admin)).await;
    let actor = Actor::admin(&admin).unwrap();
    let mut f = form("+79165550015", vec![Role::Support]);
    f.email = "orlova@example.ru".into();
    let (key, _) = service::create(&db, &PasswordPolicy::default(), &actor, &f, t0()).await.unwrap();
    let a = accounts::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(a.email.as_deref(), Some("orlova@example.ru"));
    assert!(!a.email_confirmed);
    let by_mail = accounts::find_by_login(&db, &Identifier::Email("orlova@example.ru".into())).await.unwrap();
    assert_eq!(by_mail, None);
}
