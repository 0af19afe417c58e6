//! The account area's writes: a new citizen account with its logins, a new
//! password, the postal address, a confirmed contact replacing the old one,
//! the end of «Это был не я». Reads of accounts are the kernel's
//! (`auth::accounts`). The record ids of `login` rows are what keep a phone
//! or an e-mail on one account, even in a race.

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use crate::auth::accounts::account_rid;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};

/// A contact that is also a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    Phone,
    Email,
}

impl Contact {
    /// The field name, the login prefix and the form field.
    pub fn as_str(self) -> &'static str {
        match self {
            Contact::Phone => "phone",
            Contact::Email => "email",
        }
    }
}

fn login(kind: Contact, value: &str) -> RecordId {
    RecordId::new("login", format!("{}:{value}", kind.as_str()))
}

/// A citizen account as registration makes it (level «упрощённая»).
pub struct NewCitizen {
    pub key: String,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    /// ГГГГ-ММ-ДД
    pub birth_date: String,
    pub phone: Option<String>,
    pub phone_confirmed: bool,
    pub email: Option<String>,
    pub email_confirmed: bool,
    pub password_hash: String,
}

/// Creates the account and a login for each confirmed contact, in one
/// transaction. `Ok(false)`: a confirmed contact already signs in elsewhere.
pub async fn create_citizen(db: &Db, a: NewCitizen, now: DateTime<Utc>) -> Result<bool, AppError> {
    let mut sql = String::from("BEGIN;\n");
    if a.phone_confirmed {
        sql.push_str("CREATE $login_phone SET account = $key;\n");
    }
    if a.email_confirmed {
        sql.push_str("CREATE $login_email SET account = $key;\n");
    }
    sql.push_str(
        "CREATE $id SET surname = $surname, name = $name, patronymic = $patronymic, birth_date = $birth,
            phone = $phone, phone_confirmed = $phone_confirmed, email = $email, email_confirmed = $email_confirmed,
            level = 'simplified', password_hash = $hash, password_changed_at = $now, password_history = [],
            created_at = $now;
         COMMIT;",
    );
    db.query(sql)
        .bind(("login_phone", login(Contact::Phone, a.phone.as_deref().unwrap_or_default())))
        .bind(("login_email", login(Contact::Email, a.email.as_deref().unwrap_or_default())))
        .bind(("id", account_rid(&a.key)))
        .bind(("key", a.key))
        .bind(("surname", a.surname))
        .bind(("name", a.name))
        .bind(("patronymic", a.patronymic))
        .bind(("birth", a.birth_date))
        .bind(("phone", a.phone))
        .bind(("phone_confirmed", a.phone_confirmed))
        .bind(("email", a.email))
        .bind(("email_confirmed", a.email_confirmed))
        .bind(("hash", a.password_hash))
        .bind(("now", now))
        .exec_unless_taken("account create")
        .await
}

/// A new password hash; `history` holds the previous ones, newest first.
/// A temporary password stops being one.
pub async fn set_password_hash(
    db: &Db,
    id: &RecordId,
    hash: String,
    history: Vec<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    db.query(
        "UPDATE $id SET password_hash = $hash, password_changed_at = $now, password_history = $history,
            password_temporary = false",
    )
    .bind(("id", id.clone()))
    .bind(("hash", hash))
    .bind(("now", now))
    .bind(("history", history))
    .exec("password set")
    .await?;
    Ok(())
}

/// A recovery is done: «Это был не я» no longer stops sign-in.
pub async fn clear_recovery_required(db: &Db, account: &str) -> Result<(), AppError> {
    db.query("UPDATE $id SET recovery_required = false WHERE recovery_required = true")
        .bind(("id", account_rid(account)))
        .exec("recovery flag")
        .await?;
    Ok(())
}

pub async fn set_postal_address(db: &Db, account: &str, address: Option<String>) -> Result<(), AppError> {
    db.query("UPDATE $id SET postal_address = $a")
        .bind(("id", account_rid(account)))
        .bind(("a", address))
        .exec("address save")
        .await?;
    Ok(())
}

/// A confirmed `new` contact replaces `old`, which stops being a login, in
/// one transaction. `Ok(false)`: `new` already signs in to another account.
pub async fn replace_contact(
    db: &Db,
    account: &str,
    kind: Contact,
    old: Option<String>,
    new: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    // `kind` names one of two fixed fields; values are bound. The change is
    // kept 30 days so that «Это был не я» can undo it (`auth::accounts`).
    let field = kind.as_str();
    let sql = format!(
        "BEGIN;
         IF $old != NONE {{ DELETE $old_login }};
         CREATE $new_login SET account = $key;
         UPDATE $id SET {field} = $value, {field}_confirmed = true;
         CREATE contact_change SET account = $key, kind = $kind, old = $old, new = $value, at = $now;
         COMMIT;"
    );
    db.query(sql)
        .bind(("kind", field))
        .bind(("now", now))
        .bind(("old_login", login(kind, old.as_deref().unwrap_or_default())))
        .bind(("old", old))
        .bind(("new_login", login(kind, new)))
        .bind(("key", account.to_string()))
        .bind(("id", account_rid(account)))
        .bind(("value", new.to_string()))
        .exec_unless_taken("contact change")
        .await
}
