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
/// 30 days is undone, so recovery codes go to the contacts the owner had,
/// not to ones a hijacker put in. Per kind, in one transaction: every value
/// the changes brought in stops being a login of this account (whether or
/// not it is still the current one), and the value from before the first
/// change comes back, confirmed, if no other account took it since (else
/// the field is left empty; a warning is logged). Returns how many kinds
/// were undone.
pub async fn undo_contact_changes(db: &Db, account: &str, now: DateTime<Utc>) -> Result<usize, AppError> {
    #[derive(SurrealValue)]
    struct Change {
        kind: String,
        old: Option<String>,
        new: String,
    }
    let changes: Vec<Change> = db
        .query("SELECT kind, old, new, at FROM contact_change WHERE account = $account AND at > $since ORDER BY at ASC")
        .bind(("account", account.to_string()))
        .bind(("since", now - chrono::TimeDelta::days(CONTACT_UNDO_DAYS)))
        .all("contact changes")
        .await?;
    let mut undone = 0;
    for field in ["phone", "email"] {
        let of_kind: Vec<&Change> = changes.iter().filter(|c| c.kind == field).collect();
        let Some(first) = of_kind.first() else { continue };
        let original = first.old.clone();
        let brought: Vec<RecordId> =
            of_kind.iter().map(|c| RecordId::new("login", format!("{field}:{}", c.new))).collect();
        let login_of = |v: &str| RecordId::new("login", format!("{field}:{v}"));
        // The original may belong to someone else by now: then it is not restored.
        let free = match &original {
            Some(v) => {
                let holder: Option<String> = db
                    .query("SELECT VALUE account FROM ONLY $id")
                    .bind(("id", login_of(v)))
                    .one("login holder")
                    .await?;
                holder.is_none_or(|h| h == account)
            }
            None => true,
        };
        let restore = original.clone().filter(|_| free);
        if original.is_some() && !free {
            tracing::warn!(account, field, "contact not restored: another account holds it now");
        }
        // `field` is one of two fixed names; values are bound.
        let sql = format!(
            "BEGIN TRANSACTION;
             DELETE login WHERE id IN $brought AND account = $account;
             IF $restore != NONE {{ CREATE $restore_login SET account = $account }};
             UPDATE $id SET {field} = $restore, {field}_confirmed = ($restore != NONE);
             DELETE contact_change WHERE account = $account AND kind = $kind AND at > $since;
             COMMIT TRANSACTION;"
        );
        db.query(sql)
            .bind(("brought", brought))
            .bind(("restore_login", login_of(restore.as_deref().unwrap_or_default())))
            .bind(("restore", restore))
            .bind(("account", account.to_string()))
            .bind(("id", account_rid(account)))
            .bind(("kind", field))
            .bind(("since", now - chrono::TimeDelta::days(CONTACT_UNDO_DAYS)))
            .exec("contact undo")
            .await?;
        undone += 1;
    }
    Ok(undone)
}

/// A temporary password that meets `policy`: four groups of four letters
/// and digits joined by «-» (no look-alike characters), drawn until every
/// rule is met. Given to staff by an administrator and to citizens
/// registered at an МФЦ; changed at the first sign-in.
pub fn temporary_password(policy: &crate::auth::policy::PasswordPolicy) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let ctx =
        crate::auth::policy::PasswordContext { surname: "", name: "", patronymic: "", birth_date: None, login: "" };
    let mut rng = rand::rng();
    loop {
        let groups: Vec<String> = (0..4)
            .map(|_| (0..4).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect())
            .collect();
        let candidate = groups.join("-");
        if crate::auth::policy::check_password(policy, &ctx, &candidate).iter().all(|(_, met)| *met) {
            return candidate;
        }
    }
}
