//! «Журнал входов»: every sign-in attempt on an account — time, result,
//! method, address, device — newest first, paged. Nothing purges it, so it
//! is kept well over a year (docs/product-rules.md).

use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

use super::model::Method;
use crate::error::AppError;
use crate::platform::db::Db;
use crate::platform::db::{Query, QueryExt};
use crate::platform::request::Client;
use crate::platform::request::internal;

#[derive(Debug, Clone, SurrealValue)]
pub struct JournalRow {
    pub at: DateTime<Utc>,
    pub ok: bool,
    pub result: String,
    pub method: Method,
    pub ip: String,
    pub user_agent: String,
}

/// Writes one attempt. `result` is what the person will read («Вход
/// выполнен», «Неверный пароль»…).
pub async fn record(
    db: &Db,
    account: &str,
    method: Method,
    ok: bool,
    result: &str,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    record_in(db.query("RETURN NONE"), account, method, ok, result, client, now).exec("journal write").await?;
    Ok(())
}

/// Appends the writing of one attempt to `q` (its bindings start `j_`),
/// for a sign-in that writes everything in one transaction.
pub fn record_in<'a>(
    q: Query<'a>,
    account: &str,
    method: Method,
    ok: bool,
    result: &str,
    client: &Client,
    now: DateTime<Utc>,
) -> Query<'a> {
    q.query(
        "CREATE journal SET account = $j_account, at = $j_now, ok = $j_ok, result = $j_result, method = $j_method,
            ip = $j_ip, user_agent = $j_ua",
    )
    .bind(("j_account", account.to_string()))
    .bind(("j_now", now))
    .bind(("j_ok", ok))
    .bind(("j_result", result.to_string()))
    .bind(("j_method", method))
    .bind(("j_ip", client.ip.clone()))
    .bind(("j_ua", client.user_agent.clone()))
}

/// Page `page` (from 1) of `per_page` entries, newest first, and the total.
pub async fn page(db: &Db, account: &str, page: u32, per_page: u32) -> Result<(Vec<JournalRow>, u64), AppError> {
    let start = u64::from(page.max(1) - 1) * u64::from(per_page);
    let mut res = db
        .query(
            "SELECT at, ok, result, method, ip, user_agent FROM journal WHERE account = $account
                ORDER BY at DESC LIMIT $limit START $start;
             SELECT count() AS n FROM journal WHERE account = $account GROUP ALL;",
        )
        .bind(("account", account.to_string()))
        .bind(("limit", i64::from(per_page)))
        .bind(("start", start as i64))
        .exec("journal read")
        .await?;
    let rows: Vec<JournalRow> = res.take(0).map_err(|e| internal("journal read", e))?;
    let total: Option<i64> = res.take((1, "n")).map_err(|e| internal("journal count", e))?;
    Ok((rows, total.unwrap_or(0).max(0) as u64))
}
