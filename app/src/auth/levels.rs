//! Raising an account's level (spec 003 «Уровни учётной записи»). The only
//! steps are those `model::level_step_allowed` names; the raise is one
//! conditional `UPDATE` (the level it starts from is part of its `WHERE`),
//! so two raises at once, or a raise racing anything else, never lower a
//! level or skip a step. Every raise leaves a `level_event` row: which
//! route, by whom (a staff member's account for the МФЦ), when.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{Level, LevelRoute, level_step_allowed};
use crate::error::AppError;
use crate::platform::db::{Db, Query, QueryExt, retrying_transaction};
use crate::platform::request::internal;

/// One raise, as the profile's history shows it.
#[derive(Debug, Clone, SurrealValue)]
pub struct LevelEvent {
    pub from: Level,
    pub to: Level,
    pub route: LevelRoute,
    pub at: DateTime<Utc>,
}

/// The levels `to` may be reached from by `route`.
fn from_levels(to: Level, route: LevelRoute) -> Vec<Level> {
    Level::ALL.into_iter().filter(|&from| level_step_allowed(from, to, route)).collect()
}

/// The raise appended to a query (inside the caller's `BEGIN … COMMIT`);
/// `n` keeps its bindings apart from others. It sets `$lv<n>` to the
/// account as it was before when it changed, else to an empty array.
pub fn raise_in<'a>(
    q: Query<'a>,
    n: usize,
    account: &str,
    to: Level,
    route: LevelRoute,
    by: Option<String>,
    now: DateTime<Utc>,
) -> Query<'a> {
    let v = format!("lv{n}");
    q.query(format!(
        "LET ${v} = (UPDATE ${v}_id SET level = ${v}_to WHERE level IN ${v}_from RETURN BEFORE);
         IF array::len(${v}) > 0 {{
             CREATE level_event SET account = ${v}_account, from = ${v}[0].level, to = ${v}_to,
                 route = ${v}_route, by = ${v}_by, at = ${v}_now;
         }};"
    ))
    .bind((format!("{v}_id"), RecordId::new("account", account)))
    .bind((format!("{v}_account"), account.to_string()))
    .bind((format!("{v}_to"), to))
    .bind((format!("{v}_from"), from_levels(to, route)))
    .bind((format!("{v}_route"), route))
    .bind((format!("{v}_by"), by))
    .bind((format!("{v}_now"), now))
}

/// Raises `account` to `to` by `route` when that step is allowed from its
/// current level. `Ok(true)` when it changed; `Ok(false)` when it was
/// already at `to` or above, or the route cannot reach `to` from where it is.
pub async fn raise(
    db: &Db,
    account: &str,
    to: Level,
    route: LevelRoute,
    by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let (mut res, ()) = retrying_transaction("level raise", || {
        let q = raise_in(db.query("BEGIN"), 0, account, to, route, by.map(str::to_string), now);
        (q.query("RETURN array::len($lv0) > 0; COMMIT"), ())
    })
    .await?;
    // BEGIN and COMMIT count as statements: the RETURN is the one before COMMIT.
    let last = res.num_statements().saturating_sub(2);
    let changed: Option<bool> = res.take(last).map_err(|e| internal("level raise", e))?;
    Ok(changed.unwrap_or(false))
}

/// The account's raises, newest first.
pub async fn history(db: &Db, account: &str) -> Result<Vec<LevelEvent>, AppError> {
    db.query("SELECT from, to, route, at FROM level_event WHERE account = $account ORDER BY at DESC")
        .bind(("account", account.to_string()))
        .all("level history")
        .await
}
