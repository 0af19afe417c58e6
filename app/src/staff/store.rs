//! Staff rows and every query of the area: staff accounts with their logins,
//! roles and flags, and the `staff_audit` journal. Each change and its
//! journal line are one transaction.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::Assignment;
use crate::auth::Role;
use crate::auth::accounts::{AccountRow, account_rid};
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};
use crate::platform::request::internal;

/// What a journal line says was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, SurrealValue)]
#[surreal(untagged, rename_all = "snake_case")]
pub enum AuditAction {
    Created,
    RolesChanged,
    Disabled,
    Enabled,
    PasswordReset,
}

impl AuditAction {
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Created => "Добавлен",
            AuditAction::RolesChanged => "Роли изменены",
            AuditAction::Disabled => "Отключён",
            AuditAction::Enabled => "Включён",
            AuditAction::PasswordReset => "Выдан временный пароль",
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub actor_name: String,
    pub target: String,
    pub target_name: String,
    pub action: AuditAction,
    pub details: String,
}

/// Who made a change, as the journal keeps it.
pub struct Author {
    /// The administrator's account; None for `portal create-staff`.
    pub account: Option<String>,
    pub name: String,
}

/// A journal line, written in the same transaction as the change.
struct Line<'a> {
    author: &'a Author,
    target: &'a str,
    target_name: &'a str,
    action: AuditAction,
    details: String,
}

const AUDIT: &str = "CREATE staff_audit SET at = $now, actor = $actor, actor_name = $actor_name, target = $target,
    target_name = $target_name, action = $action, details = $details;";

fn bind_line<'q>(
    q: crate::platform::db::Query<'q>,
    l: &Line<'_>,
    now: DateTime<Utc>,
) -> crate::platform::db::Query<'q> {
    q.bind(("now", now))
        .bind(("actor", l.author.account.clone()))
        .bind(("actor_name", l.author.name.clone()))
        .bind(("target", l.target.to_string()))
        .bind(("target_name", l.target_name.to_string()))
        .bind(("action", l.action))
        .bind(("details", l.details.clone()))
}

/// A new staff account.
pub struct NewAccount<'a> {
    pub key: &'a str,
    pub surname: &'a str,
    pub name: &'a str,
    pub patronymic: Option<&'a str>,
    pub phone: &'a str,
    pub email: Option<&'a str>,
    pub assignment: &'a Assignment,
    pub password_hash: String,
}

/// Creates the account, its logins and the journal line in one transaction.
/// `Ok(false)`: the phone or the e-mail already signs in to another account.
pub async fn create(
    db: &Db,
    a: NewAccount<'_>,
    author: &Author,
    details: String,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let full = [Some(a.surname), Some(a.name), a.patronymic].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let line = Line { author, target: a.key, target_name: &full, action: AuditAction::Created, details };
    // Only the phone is a login: the administrator typed the e-mail, and
    // nobody confirmed it (its owner may do that in «Личные данные»).
    let mut sql = String::from("BEGIN;\nCREATE $login_phone SET account = $key;\n");
    sql.push_str(
        "CREATE $id SET surname = $surname, name = $name, patronymic = $patronymic, birth_date = '',
            phone = $phone, phone_confirmed = true, email = $email, email_confirmed = false,
            level = 'simplified', password_hash = $hash, password_changed_at = $now, password_history = [],
            created_at = $now, roles = $roles, department = $department, office = $office, disabled = false,
            password_temporary = true;\n",
    );
    sql.push_str(AUDIT);
    sql.push_str("\nCOMMIT;");
    let q = db
        .query(sql)
        .bind(("login_phone", RecordId::new("login", format!("phone:{}", a.phone))))
        .bind(("key", a.key.to_string()))
        .bind(("id", account_rid(a.key)))
        .bind(("surname", a.surname.to_string()))
        .bind(("name", a.name.to_string()))
        .bind(("patronymic", a.patronymic.map(str::to_string)))
        .bind(("phone", a.phone.to_string()))
        .bind(("email", a.email.map(str::to_string)))
        .bind(("hash", a.password_hash))
        .bind(("roles", a.assignment.roles.clone()))
        .bind(("department", a.assignment.department.clone()))
        .bind(("office", a.assignment.office.clone()));
    bind_line(q, &line, now).exec_unless_taken("staff create").await
}

/// Every staff account (holding at least one role), by surname; through
/// the `account_roles` index, not a scan of every citizen.
pub async fn list(db: &Db) -> Result<Vec<AccountRow>, AppError> {
    db.query("SELECT * FROM account WHERE roles CONTAINSANY $all ORDER BY surname, name")
        .bind(("all", Role::ALL.to_vec()))
        .all("staff list")
        .await
}

/// Which of `accounts` have a strong second step: an authenticator app,
/// backup codes or a passkey (the `mfa` rows read by record id).
pub async fn with_strong_step(db: &Db, accounts: Vec<String>) -> Result<Vec<String>, AppError> {
    let ids: Vec<RecordId> = accounts.iter().map(|k| RecordId::new("mfa", k.clone())).collect();
    let mut res = db
        .query(
            "SELECT VALUE record::id(id) FROM $ids WHERE totp_secret != NONE OR array::len(backup_hashes) > 0;
             SELECT VALUE account FROM passkey WHERE account IN $accounts;",
        )
        .bind(("ids", ids))
        .bind(("accounts", accounts))
        .exec("staff second steps")
        .await?;
    let apps: Vec<String> = res.take(0).map_err(|e| internal("staff second steps", e))?;
    let keys: Vec<String> = res.take(1).map_err(|e| internal("staff second steps", e))?;
    Ok(apps.into_iter().chain(keys).collect())
}

/// Sets the roles of a staff account (only if it is one now).
pub async fn set_roles(
    db: &Db,
    target: &AccountRow,
    assignment: &Assignment,
    author: &Author,
    details: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = target.key();
    let name = target.full_name();
    let line = Line { author, target: &key, target_name: &name, action: AuditAction::RolesChanged, details };
    let q = db
        .query(format!(
            "BEGIN;
             UPDATE $id SET roles = $roles, department = $department, office = $office WHERE array::len(roles) > 0;
             {AUDIT}
             COMMIT;"
        ))
        .bind(("id", target.id.clone()))
        .bind(("roles", assignment.roles.clone()))
        .bind(("department", assignment.department.clone()))
        .bind(("office", assignment.office.clone()));
    bind_line(q, &line, now).exec("staff roles").await?;
    Ok(())
}

/// Disables or enables a staff account; disabling ends its sessions and
/// any sign-in waiting for its second step, in the same transaction.
pub async fn set_disabled(
    db: &Db,
    target: &AccountRow,
    disabled: bool,
    author: &Author,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = target.key();
    let name = target.full_name();
    let action = if disabled { AuditAction::Disabled } else { AuditAction::Enabled };
    let line = Line { author, target: &key, target_name: &name, action, details: String::new() };
    let q = db
        .query(format!(
            "BEGIN;
             UPDATE $id SET disabled = $disabled WHERE array::len(roles) > 0;
             IF $disabled {{
                 DELETE session WHERE account = $key;
                 DELETE flow WHERE account = $key AND purpose = 'signin';
             }};
             {AUDIT}
             COMMIT;"
        ))
        .bind(("id", target.id.clone()))
        .bind(("key", key.clone()))
        .bind(("disabled", disabled));
    bind_line(q, &line, now).exec("staff disable").await?;
    Ok(())
}

/// A new temporary password: every session and pending sign-in ends, the
/// authenticator app, backup codes and passkeys go, in one transaction
/// with its journal line.
pub async fn reset(
    db: &Db,
    target: &AccountRow,
    password_hash: String,
    author: &Author,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = target.key();
    let name = target.full_name();
    let line =
        Line { author, target: &key, target_name: &name, action: AuditAction::PasswordReset, details: String::new() };
    let q = db
        .query(format!(
            "BEGIN;
             UPDATE $id SET password_hash = $hash, password_changed_at = $now, password_temporary = true
                 WHERE array::len(roles) > 0;
             DELETE session WHERE account = $key;
             DELETE flow WHERE account = $key AND purpose = 'signin';
             DELETE passkey WHERE account = $key;
             UPDATE $mfa SET totp_secret = NONE, totp_pending = NONE, backup_hashes = [], failed = 0;
             {AUDIT}
             COMMIT;"
        ))
        .bind(("id", target.id.clone()))
        .bind(("mfa", RecordId::new("mfa", key.clone())))
        .bind(("key", key.clone()))
        .bind(("hash", password_hash));
    bind_line(q, &line, now).exec("staff reset").await?;
    Ok(())
}

/// The newest `limit` lines of the journal of staff changes.
pub async fn audit(db: &Db, limit: i64) -> Result<Vec<AuditRow>, AppError> {
    db.query("SELECT * FROM staff_audit ORDER BY at DESC LIMIT $limit").bind(("limit", limit)).all("staff audit").await
}

/// The account `key`, if it exists.
pub async fn load(db: &Db, key: &str) -> Result<Option<AccountRow>, AppError> {
    crate::auth::accounts::load(db, key).await
}

/// Test and demo helper: the roles of `key` as stored.
pub async fn roles_of(db: &Db, key: &str) -> Result<Vec<Role>, AppError> {
    Ok(load(db, key).await?.map(|a| a.roles).unwrap_or_default())
}
