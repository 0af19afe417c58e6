//! The passkey tables: `passkey` (one row per credential, the webauthn-rs
//! `Passkey` kept as JSON and never sent or logged) and `passkey_challenge`
//! (the state between the two steps of a ceremony, single use). Every query
//! of the sub-slice is here; `service.rs` has the ceremonies.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};
use webauthn_rs::prelude::{AuthenticationResult, Passkey, Uuid};

use super::model::{self, PasskeyView};
use super::service::CHALLENGE_TTL;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt, record_key};
use crate::platform::request::internal;

// ---------------------------------------------------------------- rows

#[derive(Clone, SurrealValue)]
pub struct PasskeyRow {
    pub id: RecordId,
    pub account: String,
    pub credential_id: String,
    pub user_handle: String,
    /// webauthn-rs `Passkey` as JSON: secret-adjacent, never sent or logged.
    pub credential: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for PasskeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasskeyRow")
            .field("id", &self.id)
            .field("account", &self.account)
            .field("credential_id", &self.credential_id)
            .field("credential", &"***")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl PasskeyRow {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }

    pub(super) fn passkey(&self) -> Result<Passkey, AppError> {
        serde_json::from_str(&self.credential).map_err(|e| internal("passkey credential", e))
    }

    pub fn view(&self, now: DateTime<Utc>) -> PasskeyView {
        PasskeyView {
            id: self.key(),
            name: self.name.clone(),
            created: crate::format::moscow_time(self.created_at, now),
            last_used: self.last_used_at.map(|t| crate::format::moscow_time(t, now)),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub(super) struct ChallengeRow {
    purpose: String,
    account: Option<String>,
    state: String,
    expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Register,
    SignIn,
    Verify,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::SignIn => "sign_in",
            Purpose::Verify => "verify",
        }
    }
}

pub(super) fn passkey_rid(key: &str) -> RecordId {
    RecordId::new("passkey", key.to_string())
}

pub(super) fn challenge_rid(key: &str) -> RecordId {
    RecordId::new("passkey_challenge", key.to_string())
}

/// A credential id as stored and looked up (hex of its bytes).
pub(super) fn credential_id_text(id: &[u8]) -> String {
    hex::encode(id)
}

// ---------------------------------------------------------------- challenges

/// Stores the state of a started ceremony; returns its id. Expired
/// challenges of anyone are swept out on the way.
pub(crate) async fn put_challenge(
    db: &Db,
    purpose: Purpose,
    account: Option<&str>,
    state: &impl serde::Serialize,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let state = serde_json::to_string(state).map_err(|e| internal("passkey state", e))?;
    let id = crate::auth::cookies::new_token();
    db.query(
        "DELETE passkey_challenge WHERE expires_at <= $now;
         CREATE $id SET purpose = $purpose, account = $account, state = $state, created_at = $now, expires_at = $until;",
    )
    .bind(("id", challenge_rid(&id)))
    .bind(("purpose", purpose.as_str()))
    .bind(("account", account.map(str::to_string)))
    .bind(("state", state))
    .bind(("now", now))
    .bind(("until", now + CHALLENGE_TTL))
    .exec("passkey challenge")
    .await?;
    Ok(id)
}

/// Takes a challenge for `purpose`: it is deleted at once, so it can serve
/// one answer only. Unknown, used, expired or of another purpose: EXPIRED.
/// Returns the account it was made for (if any) and the ceremony state.
pub(crate) async fn take_challenge<S: serde::de::DeserializeOwned>(
    db: &Db,
    id: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<(Option<String>, S), AppError> {
    // A hex token only: anything else cannot be ours.
    if id.is_empty() || id.len() > 128 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::invalid(model::EXPIRED));
    }
    let row: Option<ChallengeRow> =
        db.query("DELETE ONLY $id RETURN BEFORE").bind(("id", challenge_rid(id))).one("passkey challenge take").await?;
    let Some(row) = row.filter(|r| r.purpose == purpose.as_str() && r.expires_at > now) else {
        return Err(AppError::invalid(model::EXPIRED));
    };
    let state = serde_json::from_str(&row.state).map_err(|e| internal("passkey state", e))?;
    Ok((row.account, state))
}

// ---------------------------------------------------------------- storage

/// The account's passkeys, newest first.
pub async fn list(db: &Db, account: &str) -> Result<Vec<PasskeyRow>, AppError> {
    db.query("SELECT * FROM passkey WHERE account = $account ORDER BY created_at DESC, id DESC")
        .bind(("account", account.to_string()))
        .all("passkey list")
        .await
}

/// One passkey of `account` (someone else's is «not found» too).
pub async fn find(db: &Db, account: &str, id: &str) -> Result<Option<PasskeyRow>, AppError> {
    db.query("SELECT * FROM ONLY $id WHERE account = $account")
        .bind(("id", passkey_rid(id)))
        .bind(("account", account.to_string()))
        .one("passkey load")
        .await
}

pub(super) async fn find_by_credential(db: &Db, credential_id: &str) -> Result<Option<PasskeyRow>, AppError> {
    let rows: Vec<PasskeyRow> = db
        .query("SELECT * FROM passkey WHERE credential_id = $cid LIMIT 1")
        .bind(("cid", credential_id.to_string()))
        .all("passkey lookup")
        .await?;
    Ok(rows.into_iter().next())
}

/// The user handle of `account`'s passkeys, or a new one for its first.
pub(super) async fn user_handle(db: &Db, account: &str) -> Result<Uuid, AppError> {
    Ok(list(db, account).await?.iter().find_map(|r| Uuid::parse_str(&r.user_handle).ok()).unwrap_or_else(Uuid::new_v4))
}

/// A new row. `credential` is the webauthn-rs passkey as JSON.
pub(crate) async fn insert(
    db: &Db,
    account: &str,
    credential_id: &str,
    user_handle: &str,
    credential: String,
    name: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let key = Uuid::new_v4().simple().to_string();
    let res = db
        .query(
            "CREATE $id SET account = $account, credential_id = $cid, user_handle = $handle,
                credential = $credential, name = $name, created_at = $now, last_used_at = NONE",
        )
        .bind(("id", passkey_rid(&key)))
        .bind(("account", account.to_string()))
        .bind(("cid", credential_id.to_string()))
        .bind(("handle", user_handle.to_string()))
        .bind(("credential", credential))
        .bind(("name", name.to_string()))
        .bind(("now", now))
        .await
        .map_err(|e| internal("passkey create", e))?;
    if let Err(e) = res.check() {
        if crate::platform::db::is_unique(&e) {
            return Err(AppError::invalid(model::ALREADY_ADDED));
        }
        return Err(internal("passkey create", e));
    }
    Ok(key)
}

/// Renames a passkey of `account`. Returns the old name.
pub async fn rename(db: &Db, account: &str, id: &str, name: &str) -> Result<String, AppError> {
    let name = model::validate_name(name).map_err(|m| AppError::field("name", m))?;
    let row = find(db, account, id).await?.ok_or_else(|| AppError::invalid(model::UNKNOWN_PASSKEY))?;
    db.query("UPDATE $id SET name = $name WHERE account = $account")
        .bind(("id", row.id.clone()))
        .bind(("name", name))
        .bind(("account", account.to_string()))
        .exec("passkey rename")
        .await?;
    Ok(row.name)
}

/// Deletes a passkey of `account`; another account's passkey is «not
/// found» and stays. Returns the deleted passkey's name.
pub async fn delete(db: &Db, account: &str, id: &str) -> Result<String, AppError> {
    let rows: Vec<PasskeyRow> = db
        .query("DELETE $id WHERE account = $account RETURN BEFORE")
        .bind(("id", passkey_rid(id)))
        .bind(("account", account.to_string()))
        .all("passkey delete")
        .await?;
    rows.into_iter().next().map(|r| r.name).ok_or_else(|| AppError::invalid(model::UNKNOWN_PASSKEY))
}

/// After a successful use: the counter and backup state the authenticator
/// reported, and the time.
pub(super) async fn record_use(
    db: &Db,
    row: &PasskeyRow,
    result: &AuthenticationResult,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut passkey = row.passkey()?;
    let credential = match passkey.update_credential(result) {
        Some(true) => Some(serde_json::to_string(&passkey).map_err(|e| internal("passkey credential", e))?),
        _ => None,
    };
    db.query("UPDATE $id SET last_used_at = $now, credential = $credential OR credential")
        .bind(("id", row.id.clone()))
        .bind(("now", now))
        .bind(("credential", credential))
        .exec("passkey use")
        .await?;
    Ok(())
}
