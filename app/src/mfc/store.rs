//! The МФЦ area's rows and queries: a person registered in person (the
//! account, its СНИЛС login, the visit's task, the sheet's sealed one-time
//! password — one transaction), the search, the sheet.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::NewPerson;
use crate::auth::access::{self, TaskKind};
use crate::auth::accounts::{self, AccountRow};
use crate::auth::caller::StaffCaller;
use crate::auth::identifier::Identifier;
use crate::auth::{Level, LevelRoute, Role};
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};

/// An account found by the search: a citizen only (staff accounts are not
/// served at a desk).
pub async fn find_by_login(db: &Db, ident: &Identifier) -> Result<Option<AccountRow>, AppError> {
    let Some(key) = accounts::find_by_login(db, ident).await? else { return Ok(None) };
    Ok(accounts::load(db, &key).await?.filter(|a| a.roles.is_empty()))
}

/// An account whose passport has this series and number (digits only),
/// through the `account_passport` index.
pub async fn find_by_passport(db: &Db, digits: &str) -> Result<Option<AccountRow>, AppError> {
    let rows: Vec<AccountRow> = db
        .query("SELECT * FROM account WHERE passport_key = $key AND array::len(roles) = 0 LIMIT 2")
        .bind(("key", digits.to_string()))
        .all("mfc passport find")
        .await?;
    // Two accounts with one passport would be a fault of the data; the
    // operator then searches by СНИЛС.
    Ok(if rows.len() == 1 { rows.into_iter().next() } else { None })
}

/// What registering a person writes, all or nothing.
pub struct Registration<'a> {
    pub key: &'a str,
    pub task: &'a str,
    pub subject: &'a str,
    pub person: &'a NewPerson,
    pub password_hash: String,
    /// The one-time password, sealed (`platform::secrets`).
    pub sealed_password: String,
    pub sheet_until: DateTime<Utc>,
}

/// Creates the account at «Подтверждённая» with a temporary password and
/// its СНИЛС login, opens the visit's task and keeps the sealed password
/// for the sheet; the access row tells the citizen who registered them.
/// `Ok(false)`: the СНИЛС already signs in to an account.
pub async fn register(db: &Db, op: &StaffCaller, r: Registration<'_>, now: DateTime<Utc>) -> Result<bool, AppError> {
    let p = r.person;
    let task = access::TaskRow {
        id: RecordId::new("staff_task", r.task),
        kind: TaskKind::MfcVisit,
        citizen: r.key.to_string(),
        role: Role::Operator,
        subject: r.subject.to_string(),
        opened_at: now,
        closed_at: None,
    };
    let q = db
        .query(
            "BEGIN;
             CREATE $login_snils SET account = $key;
             CREATE $id SET surname = $surname, name = $name, patronymic = $patronymic, birth_date = $birth,
                 phone = $phone, phone_confirmed = false, email = $email, email_confirmed = false,
                 snils = $snils, passport = $passport, registration_address = $address, postal_address = $address,
                 level = 'simplified', password_hash = $hash, password_changed_at = $now, password_history = [],
                 created_at = $now, password_temporary = true;
             CREATE $issue SET account = $key, operator = $operator, login = $snils, secret = $secret,
                 created_at = $now, expires_at = $sheet_until;",
        )
        .bind(("login_snils", RecordId::new("login", format!("snils:{}", p.snils))))
        .bind(("key", r.key.to_string()))
        .bind(("id", RecordId::new("account", r.key)))
        .bind(("surname", p.surname.clone()))
        .bind(("name", p.name.clone()))
        .bind(("patronymic", p.patronymic.clone()))
        .bind(("birth", p.birth.to_string()))
        .bind(("phone", p.phone.clone()))
        .bind(("email", p.email.clone()))
        .bind(("snils", p.snils.clone()))
        .bind(("passport", p.passport.display()))
        .bind(("address", p.address.clone()))
        .bind(("hash", r.password_hash))
        .bind(("issue", RecordId::new("mfc_issue", r.task)))
        .bind(("operator", op.key()))
        .bind(("secret", r.sealed_password))
        .bind(("sheet_until", r.sheet_until))
        .bind(("now", now));
    // Registered in person from the originals: «Подтверждённая» at once.
    let q = crate::auth::levels::raise_in(q, 0, r.key, Level::Confirmed, LevelRoute::Mfc, Some(op.key()), now);
    let q = access::open_task_in(q, 0, r.task, TaskKind::MfcVisit, r.key, Role::Operator, r.subject, now);
    let q = access::record_in(q, 0, op, &task, "Регистрация: ФИО, дата рождения, СНИЛС, паспорт, контакты", now);
    q.query("COMMIT").exec_unless_taken("mfc register").await
}

/// The sheet of a visit, while it may still be printed.
#[derive(Debug, Clone, SurrealValue)]
pub struct IssueRow {
    pub account: String,
    pub operator: String,
    pub login: String,
    pub secret: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn issue(db: &Db, task: &str, now: DateTime<Utc>) -> Result<Option<IssueRow>, AppError> {
    let row: Option<IssueRow> =
        db.query("SELECT * FROM ONLY $id").bind(("id", RecordId::new("mfc_issue", task))).one("mfc issue").await?;
    Ok(row.filter(|r| r.expires_at > now))
}

/// The visit is over: its sheet goes too.
pub async fn end_visit(db: &Db, task: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    access::close_task_in(db.query("BEGIN"), 0, task, now)
        .query("DELETE $issue; COMMIT")
        .bind(("issue", RecordId::new("mfc_issue", task)))
        .exec("mfc end visit")
        .await
        .map(|_| ())
}
