//! Browsers an account has signed in from, told apart by a long-lived
//! random device cookie (stored hashed per account). A sign-in from a
//! browser not seen before sends the owner a notice.

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use super::cookies::token_hash;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};

/// Whether this browser (its device cookie) is new for `account`; records it.
pub async fn seen_device(
    db: &Db,
    account: &str,
    device: &str,
    user_agent: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let id = RecordId::new("device", format!("{account}:{}", token_hash(device)));
    let before: Option<RecordId> = db
        .query(
            "SELECT VALUE id FROM ONLY $id;
             UPSERT $id SET account = $account, first_at = first_at OR $now, last_at = $now, user_agent = $ua;",
        )
        .bind(("id", id))
        .bind(("account", account.to_string()))
        .bind(("now", now))
        .bind(("ua", user_agent.to_string()))
        .one("device")
        .await?;
    Ok(before.is_none())
}

/// Whether `account` has signed in from the browser holding `device`.
pub async fn is_known(db: &Db, account: &str, device: &str) -> Result<bool, AppError> {
    let id = RecordId::new("device", format!("{account}:{}", token_hash(device)));
    let found: Option<RecordId> = db.query("SELECT VALUE id FROM ONLY $id").bind(("id", id)).one("device known").await?;
    Ok(found.is_some())
}
