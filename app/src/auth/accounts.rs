//! Accounts as the kernel knows them: the row, its logins (phone, e-mail,
//! СНИЛС, ИНН → account) and its roles. Citizens hold no role; staff hold
//! one or more (`auth::model::Role`). Every area reads accounts through
//! here; registration and profile changes (account/) write them.
//! This module never logs or returns a password hash.

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::identifier::Identifier;
use super::model::{Level, Role};
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};

/// An account as stored. Its `Debug` prints the password hash and history
/// as `***` (a log line with an account must not carry them); it is not
/// `Serialize`: pages get DTOs.
#[derive(Clone, SurrealValue)]
pub struct AccountRow {
    pub id: RecordId,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub birth_date: String,
    pub phone: Option<String>,
    pub phone_confirmed: bool,
    pub email: Option<String>,
    pub email_confirmed: bool,
    pub snils: Option<String>,
    pub inn: Option<String>,
    pub passport: Option<String>,
    pub registration_address: Option<String>,
    pub postal_address: Option<String>,
    pub level: Level,
    pub password_hash: String,
    pub password_changed_at: DateTime<Utc>,
    pub password_history: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// «Это был не я» was used: no sign-in until a recovery.
    pub recovery_required: Option<bool>,
    /// Staff roles; empty for a citizen.
    pub roles: Vec<Role>,
    /// An official's department.
    pub department: Option<String>,
    /// An МФЦ operator's office.
    pub office: Option<String>,
    /// A disabled staff account signs in no more.
    pub disabled: bool,
    /// Set by an administrator (or `portal create-staff`): to be changed at
    /// the first sign-in.
    pub password_temporary: bool,
}

impl std::fmt::Debug for AccountRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountRow")
            .field("id", &self.id)
            .field("roles", &self.roles)
            .field("level", &self.level)
            .field("disabled", &self.disabled)
            .field("password_hash", &"***")
            .field("password_history", &"***")
            .finish_non_exhaustive()
    }
}

impl AccountRow {
    /// The account's key (the record id without the table).
    pub fn key(&self) -> String {
        crate::platform::db::record_key(&self.id)
    }

    /// «Иванов И. И.»
    pub fn short_name(&self) -> String {
        let initial = |s: &str| s.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
        format!("{}{}{}", self.surname, initial(&self.name), initial(self.patronymic.as_deref().unwrap_or("")))
    }

    /// «Иванов Иван Иванович»
    pub fn full_name(&self) -> String {
        [Some(self.surname.as_str()), Some(self.name.as_str()), self.patronymic.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn birth(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.birth_date, "%Y-%m-%d").ok()
    }
}

pub fn account_rid(key: &str) -> RecordId {
    RecordId::new("account", key.to_string())
}

/// The `login` record key for an identifier: `phone:+79161234567` etc.
pub fn login_key(ident: &Identifier) -> String {
    match ident {
        Identifier::Phone(v) => format!("phone:{v}"),
        Identifier::Email(v) => format!("email:{v}"),
        Identifier::Snils(v) => format!("snils:{v}"),
        Identifier::Inn(v) => format!("inn:{v}"),
    }
}

fn login_rid(ident: &Identifier) -> RecordId {
    RecordId::new("login", login_key(ident))
}

/// The account key that `ident` signs in to, if any.
pub async fn find_by_login(db: &Db, ident: &Identifier) -> Result<Option<String>, AppError> {
    db.query("SELECT VALUE account FROM ONLY $id").bind(("id", login_rid(ident))).one("login lookup").await
}

/// The account `ident` signs in to, read in one round trip.
pub async fn load_by_login(db: &Db, ident: &Identifier) -> Result<Option<AccountRow>, AppError> {
    let mut res = db
        .query(
            "LET $key = (SELECT VALUE account FROM ONLY $login);
             IF $key = NONE { NONE } ELSE { (SELECT * FROM ONLY type::record('account', $key)) };",
        )
        .bind(("login", login_rid(ident)))
        .exec("account by login")
        .await?;
    res.take(1).map_err(|e| crate::platform::request::internal("account by login", e))
}

pub async fn load(db: &Db, key: &str) -> Result<Option<AccountRow>, AppError> {
    db.query("SELECT * FROM ONLY $id").bind(("id", account_rid(key))).one("account load").await
}

/// How long «Это был не я» can undo a change of phone or e-mail.
pub const CONTACT_UNDO_DAYS: i64 = 30;

/// «Это был не я»: every phone or e-mail change of `account` in the last
/// 30 days is undone, the latest first, so recovery codes go to the
/// contacts the owner had, not to the ones a hijacker put in. A contact
/// that another account took since is left out (and said so in the log).
/// Returns how many changes were undone.
pub async fn undo_contact_changes(
    db: &Db,
    account: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    #[derive(SurrealValue)]
    struct Change {
        id: RecordId,
        kind: String,
        old: Option<String>,
        new: String,
    }
    let changes: Vec<Change> = db
        .query(
            "SELECT id, kind, old, new, at FROM contact_change WHERE account = $account AND at > $since ORDER BY at DESC",
        )
        .bind(("account", account.to_string()))
        .bind(("since", now - chrono::TimeDelta::days(CONTACT_UNDO_DAYS)))
        .all("contact changes")
        .await?;
    let mut undone = 0;
    for c in changes {
        // `kind` is one of two fixed field names (checked here); values are bound.
        let field = match c.kind.as_str() {
            "phone" => "phone",
            "email" => "email",
            _ => continue,
        };
        let sql = format!(
            "BEGIN;
             DELETE $new_login WHERE account = $account;
             IF $old != NONE {{ CREATE $old_login SET account = $account }};
             UPDATE $id SET {field} = $old, {field}_confirmed = ($old != NONE);
             DELETE $change;
             COMMIT;"
        );
        let done = db
            .query(sql)
            .bind(("new_login", RecordId::new("login", format!("{field}:{}", c.new))))
            .bind(("old_login", RecordId::new("login", format!("{field}:{}", c.old.clone().unwrap_or_default()))))
            .bind(("old", c.old))
            .bind(("account", account.to_string()))
            .bind(("id", account_rid(account)))
            .bind(("change", c.id))
            .exec_unless_taken("contact undo")
            .await?;
        if done {
            undone += 1;
        } else {
            tracing::warn!(account, field, "contact change not undone: the old contact belongs to another account now");
        }
    }
    Ok(undone)
}
