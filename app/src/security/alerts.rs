//! Security notices and «Это был не я». Every notice to the owner (sign-in
//! from a new device, password changed, a method or passkey added or
//! removed, a lock) carries a link that, in one step, ends every session
//! and suspends sign-in until the password is recovered.
//!
//! The link holds a random 256-bit token; only its SHA-256 is stored. It is
//! single use and lives 30 days. Opening it changes nothing (mail scanners
//! open links); the one button on that page does.

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::error::AppError;
use crate::platform::db::Db;
use crate::platform::request::internal;
use crate::platform::session::{new_token, token_hash};

const LINK_DAYS: i64 = 30;

pub use super::model::LINK_GONE;

#[derive(Debug, Clone, SurrealValue)]
struct LinkRow {
    account: String,
    expires_at: DateTime<Utc>,
}

/// A new «Это был не я» address for `account`.
pub async fn new_link(db: &Db, public_url: &str, account: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let token = new_token();
    db.query("CREATE $id SET account = $account, created_at = $now, expires_at = $until")
        .bind(("id", RecordId::new("not_me", token_hash(&token))))
        .bind(("account", account.to_string()))
        .bind(("now", now))
        .bind(("until", now + TimeDelta::days(LINK_DAYS)))
        .await
        .and_then(|r| r.check())
        .map_err(|e| internal("not-me link", e))?;
    Ok(format!("{}/not-me?t={token}", public_url.trim_end_matches('/')))
}

/// Whether `token` is a live link (the page shows its button only then).
pub async fn link_account(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let mut res = db
        .query("SELECT account, expires_at FROM ONLY $id")
        .bind(("id", RecordId::new("not_me", token_hash(token))))
        .await
        .and_then(|r| r.check())
        .map_err(|e| internal("not-me load", e))?;
    let row: Option<LinkRow> = res.take(0).map_err(|e| internal("not-me load", e))?;
    Ok(row.filter(|r| r.expires_at > now).map(|r| r.account))
}

/// «Это был не я»: every session ends, sign-in needs a recovery first, and
/// every link of the account is spent. Whatever an intruder could have
/// added to sign in again goes too: passkeys, the authenticator app and the
/// backup codes (SMS stays: the phone is the owner's, and a change of it is
/// told to the old number). The owner adds them again after the recovery.
/// Returns the account.
pub async fn not_me(db: &Db, token: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let account = link_account(db, token, now).await?.ok_or_else(|| AppError::invalid(LINK_GONE))?;
    crate::account::sessions::end_all(db, &account, None).await?;
    db.query(
        "UPDATE type::record('account', $account) SET recovery_required = true;
         DELETE not_me WHERE account = $account;
         DELETE flow WHERE account = $account AND purpose = 'signin';
         DELETE passkey WHERE account = $account;
         UPDATE type::record('mfa', $account) SET totp_secret = NONE, totp_pending = NONE, backup_hashes = [];",
    )
    .bind(("account", account.clone()))
    .await
    .and_then(|r| r.check())
    .map_err(|e| internal("not-me", e))?;
    Ok(account)
}

/// Whether this browser (its device cookie) is new for `account`; records it.
pub async fn seen_device(
    db: &Db,
    account: &str,
    device: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let id = RecordId::new("device", format!("{account}:{}", token_hash(device)));
    let mut res = db
        .query(
            "SELECT VALUE id FROM ONLY $id;
             UPSERT $id SET account = $account, first_at = first_at OR $now, last_at = $now, user_agent = $ua;",
        )
        .bind(("id", id))
        .bind(("account", account.to_string()))
        .bind(("now", now))
        .bind(("ua", user_agent.to_string()))
        .await
        .and_then(|r| r.check())
        .map_err(|e| internal("device", e))?;
    let before: Option<RecordId> = res.take(0).map_err(|e| internal("device", e))?;
    Ok(before.is_none())
}
