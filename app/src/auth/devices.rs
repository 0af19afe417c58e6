//! Browsers an account has signed in from, told apart by a long-lived
//! random device cookie (stored hashed per account). A sign-in from a
//! browser not seen before sends the owner a notice.

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use super::cookies::token_hash;
use crate::error::AppError;
use crate::platform::db::{Db, Query, QueryExt};

/// Whether this browser (its device cookie) is new for `account`; records it.
pub async fn seen_device(
    db: &Db,
    account: &str,
    device: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let mut res = seen_in(db.query("RETURN NONE"), account, device, user_agent, now)
        .query("RETURN $d_new")
        .exec("device")
        .await?;
    let new: Option<bool> = res.take(3).map_err(|e| crate::platform::request::internal("device", e))?;
    Ok(new.unwrap_or(true))
}

/// Appends the recording of this browser to `q` (its bindings start `d_`).
/// Afterwards `$d_new` holds whether the account had not seen it.
pub fn seen_in<'a>(q: Query<'a>, account: &str, device: &str, user_agent: &str, now: DateTime<Utc>) -> Query<'a> {
    q.query(
        "LET $d_new = (SELECT VALUE id FROM ONLY $d_id) = NONE;
         UPSERT $d_id SET account = $d_account, first_at = first_at OR $d_now, last_at = $d_now, user_agent = $d_ua;",
    )
    .bind(("d_id", RecordId::new("device", format!("{account}:{}", token_hash(device)))))
    .bind(("d_account", account.to_string()))
    .bind(("d_now", now))
    .bind(("d_ua", user_agent.to_string()))
}

/// Forgets every browser of `account` (a recovery, «Это был не я»): a
/// browser someone else signed in from stops counting as the owner's, so
/// its own lock counter is gone too.
pub async fn forget_all(db: &Db, account: &str) -> Result<(), AppError> {
    db.query("DELETE device WHERE account = $account")
        .bind(("account", account.to_string()))
        .exec("devices forget")
        .await?;
    Ok(())
}

/// Whether `account` has signed in from the browser holding `device`.
pub async fn is_known(db: &Db, account: &str, device: &str) -> Result<bool, AppError> {
    let id = RecordId::new("device", format!("{account}:{}", token_hash(device)));
    let found: Option<RecordId> =
        db.query("SELECT VALUE id FROM ONLY $id").bind(("id", id)).one("device known").await?;
    Ok(found.is_some())
}
