//! The МФЦ area's rows and queries: a person registered in person (the
//! account, its СНИЛС login, the visit's task, the sheet's sealed one-time
//! password — one transaction), the search, the sheet.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::NewPerson;
use crate::auth::access;
use crate::auth::accounts::{self, AccountRow};
use crate::auth::caller::StaffCaller;
use crate::auth::identifier::Identifier;
use crate::auth::{Level, LevelRoute};
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};

/// An account found by the search: a citizen only (staff accounts are not
/// served at a desk).
pub async fn find_by_login(db: &Db, ident: &Identifier) -> Result<Option<AccountRow>, AppError> {
    let Some(key) = accounts::find_by_login(db, ident).await? else { return Ok(None) };
    Ok(accounts::load(db, &key).await?.filter(|a| a.roles.is_empty()))
}

/// The accounts whose passport has this series and number (digits only),
/// through the `account_passport` index. More than one is a fault of the
/// data (the operator then searches by СНИЛС).
pub async fn find_by_passport(db: &Db, digits: &str) -> Result<Vec<AccountRow>, AppError> {
    db.query("SELECT * FROM account WHERE passport_key = $key AND array::len(roles) = 0 LIMIT 2")
        .bind(("key", digits.to_string()))
        .all("mfc passport find")
        .await
}

/// Whether a passport (series and number, digits only) is on any account.
pub async fn passport_taken(db: &Db, digits: &str) -> Result<bool, AppError> {
    let ids: Vec<RecordId> = db
        .query("SELECT VALUE id FROM account WHERE passport_key = $key LIMIT 1")
        .bind(("key", digits.to_string()))
        .all("mfc passport taken")
        .await?;
    Ok(!ids.is_empty())
}

/// What registering a person writes, all or nothing.
pub struct Registration<'a> {
    pub key: &'a str,
    pub task: &'a access::NewTask<'a>,
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
    let task = task_row(r.task, now);
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
        .bind(("issue", RecordId::new("mfc_issue", r.task.key)))
        .bind(("operator", op.key()))
        .bind(("secret", r.sealed_password))
        .bind(("sheet_until", r.sheet_until))
        .bind(("now", now));
    // Registered in person from the originals: «Подтверждённая» at once.
    let q = crate::auth::levels::raise_in(q, 0, r.key, Level::Confirmed, LevelRoute::Mfc, Some(op.key()), now);
    let q = access::open_in(q, 0, r.task, now);
    let q = access::record_in(q, 0, op, &task, "Регистрация: ФИО, дата рождения, СНИЛС, паспорт, контакты", now);
    q.query("COMMIT").exec_unless_taken("mfc register").await
}

/// The row a task will be once opened (for `record_in` in the same transaction).
pub fn task_row(t: &access::NewTask<'_>, now: DateTime<Utc>) -> access::TaskRow {
    access::TaskRow {
        id: RecordId::new("staff_task", t.key),
        kind: t.kind,
        citizen: t.citizen.to_string(),
        role: t.role,
        subject: t.subject.to_string(),
        opened_at: now,
        closed_at: None,
        assignee: t.assignee.map(str::to_string),
        unit: t.unit.map(str::to_string),
        expires_at: t.expires_at,
    }
}

/// Opens a visit and writes the search that found the citizen, together.
pub async fn open_visit(
    db: &Db,
    op: &StaffCaller,
    t: &access::NewTask<'_>,
    what: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let task = task_row(t, now);
    let q = access::open_in(db.query("BEGIN"), 0, t, now);
    access::seen_in(q, 0, op, &task, what, now).query("COMMIT").exec("mfc open visit").await.map(|_| ())
}

/// Puts the СНИЛС and passport from the originals on an account that has
/// neither (its СНИЛС becomes a login). `Ok(false)`: the СНИЛС signs in
/// to another account.
pub async fn set_documents(
    db: &Db,
    op: &StaffCaller,
    task: &access::TaskRow,
    snils: &str,
    passport: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let q = db
        .query(
            "BEGIN;
             CREATE $login SET account = $key;
             UPDATE $id SET snils = $snils, passport = $passport;",
        )
        .bind(("login", RecordId::new("login", format!("snils:{snils}"))))
        .bind(("key", task.citizen.clone()))
        .bind(("id", RecordId::new("account", task.citizen.as_str())))
        .bind(("snils", snils.to_string()))
        .bind(("passport", passport.to_string()));
    access::record_in(q, 0, op, task, "Внесены СНИЛС и паспорт с оригиналов", now)
        .query("COMMIT")
        .exec_unless_taken("mfc set documents")
        .await
}

/// A contact typed at the desk, confirmed by the code its owner typed: it
/// becomes a login. `Ok(false)`: it signs in to another account.
pub async fn confirm_contact(
    db: &Db,
    op: &StaffCaller,
    task: &access::TaskRow,
    flow: &str,
    ident: &Identifier,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let (field, login, what) = match ident {
        Identifier::Email(e) => ("email_confirmed", format!("email:{e}"), "Подтверждение электронной почты кодом"),
        _ => ("phone_confirmed", format!("phone:{}", ident.value()), "Подтверждение телефона кодом"),
    };
    // A second submit of the same code finds the flow gone and does nothing.
    let q = db
        .query("BEGIN")
        .query("LET $f = (DELETE $flow RETURN BEFORE)")
        .query("IF array::len($f) > 0 {")
        .query("CREATE $login SET account = $key")
        .query(format!("UPDATE $id SET {field} = true"))
        .bind(("flow", RecordId::new("flow", flow)))
        .bind(("login", RecordId::new("login", login)))
        .bind(("key", task.citizen.clone()))
        .bind(("id", RecordId::new("account", task.citizen.as_str())));
    access::record_in(q, 0, op, task, what, now)
        .query("}")
        .query("COMMIT")
        .exec_unless_taken("mfc confirm contact")
        .await
}

/// The identity confirmed: the raise, the row and the notice only when the
/// flow was still there and the level changed (a second submit changes
/// nothing and tells nobody twice). `Ok(false)`: nothing changed.
pub async fn confirm_identity(
    db: &Db,
    op: &StaffCaller,
    task: &access::TaskRow,
    account: &AccountRow,
    flow: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let key = account.key();
    let (mut res, ()) = crate::platform::db::retrying_transaction("mfc confirm", || {
        // The flow goes; the raise is one conditional statement, so of two
        // submits at once only one changes the level, and only that one
        // writes the row and sends the notice.
        let q = db.query("BEGIN").query("DELETE $flow").bind(("flow", RecordId::new("flow", flow)));
        let q = crate::auth::levels::raise_in(q, 0, &key, Level::Confirmed, LevelRoute::Mfc, Some(op.key()), now);
        let q = q.query("IF array::len($lv0) > 0 {");
        let q = access::record_in(q, 0, op, task, "Подтверждение личности по паспорту: уровень учётной записи", now);
        let q = crate::notify::notice_in(
            q,
            0,
            account,
            crate::notify::NoticeKind::PersonalData,
            "Личность подтверждена",
            "Ваша личность подтверждена в МФЦ. Уровень учётной записи — «Подтверждённая»: вам доступны все услуги портала.",
            Some("/profile#level"),
            now,
        );
        (q.query("}").query("RETURN array::len($lv0) > 0").query("COMMIT"), ())
    })
    .await?;
    let last = res.num_statements().saturating_sub(2);
    let changed: Option<bool> = res.take(last).map_err(|e| crate::platform::request::internal("mfc confirm", e))?;
    Ok(changed.unwrap_or(false))
}

/// Forgets sheets that can no longer be printed (the purge job).
pub async fn purge(db: &Db, now: DateTime<Utc>) -> Result<(), AppError> {
    db.query("DELETE mfc_issue WHERE expires_at < $now").bind(("now", now)).exec("mfc purge").await.map(|_| ())
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
