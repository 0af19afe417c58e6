//! Budgets: how many times something may happen per subject (an address, a
//! contact, "all") in a time window. Each take is one statement on one
//! record, so requests sent in parallel cannot all pass a budget together.
//!
//! Two shapes: a sliding window (the last N times are kept; for small caps
//! such as codes per contact per hour) and a fixed window (a counter per
//! window; for large overall caps where keeping every time would cost).

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::{Db, retrying_one};
use crate::error::AppError;

/// Takes one use of `kind` for `subject` if fewer than `cap` happened in the
/// last `window`. Returns whether it was taken. `cap` 0 means no budget.
pub async fn take_sliding(
    db: &Db,
    kind: &str,
    subject: &str,
    cap: u32,
    window: TimeDelta,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if cap == 0 {
        return Ok(true);
    }
    // Every SET clause reads the record as it was before the statement, so
    // `times` repeats the test that `ok` records.
    let ok: Option<bool> = retrying_one("budget", || {
        db.query(
            "UPSERT $id SET
                ok = array::len((times OR []).filter(|$t| $t > $since)) < $cap,
                times = IF array::len((times OR []).filter(|$t| $t > $since)) < $cap
                    THEN array::push((times OR []).filter(|$t| $t > $since), $now)
                    ELSE (times OR []).filter(|$t| $t > $since) END,
                expires_at = $expires
             RETURN VALUE ok",
        )
        .bind(("id", RecordId::new("budget", format!("{kind}|{subject}"))))
        .bind(("since", now - window))
        .bind(("now", now))
        .bind(("cap", i64::from(cap)))
        .bind(("expires", now + window))
    })
    .await?;
    Ok(ok.unwrap_or(false))
}

/// Takes one use of `kind` for `subject` in the current fixed window of
/// `window` (aligned to the epoch). Over `cap`: the time the window ends.
pub async fn take_fixed(
    db: &Db,
    kind: &str,
    subject: &str,
    cap: u32,
    window: TimeDelta,
    now: DateTime<Utc>,
) -> Result<Result<(), DateTime<Utc>>, AppError> {
    if cap == 0 {
        return Ok(Ok(()));
    }
    let secs = window.num_seconds().max(1);
    let start = now.timestamp().div_euclid(secs) * secs;
    let end = DateTime::from_timestamp(start + secs, 0).unwrap_or(now + window);
    #[derive(SurrealValue)]
    struct Count {
        n: i64,
    }
    let n: Option<Count> = retrying_one("budget", || {
        db.query("UPSERT $id SET n = (n OR 0) + 1, expires_at = $end RETURN n")
            .bind(("id", RecordId::new("budget", format!("{kind}|{subject}|{start}"))))
            .bind(("end", end))
    })
    .await?;
    Ok(if n.map(|c| c.n).unwrap_or(1) > i64::from(cap) { Err(end) } else { Ok(()) })
}

/// Takes one use of `kind` this hour for the client address `ip` (IPv6 by
/// its /64) and one of the overall budget: `(per_address, total)`.
pub async fn take_hourly(
    db: &Db,
    kind: &str,
    (per_address, total): (u32, u32),
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let hour = TimeDelta::hours(1);
    let address = format!("addr:{}", super::request::address_key(ip));
    if let Err(end) = take_fixed(db, kind, &address, per_address, hour, now).await? {
        return Err(too_many(end, now));
    }
    if let Err(end) = take_fixed(db, kind, "all", total, hour, now).await? {
        return Err(too_many(end, now));
    }
    Ok(())
}

/// The message a person gets over a budget: what happened and when to retry.
pub fn too_many(until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    AppError::invalid(format!(
        "Слишком много попыток. Повторите после {} (время московское)",
        crate::format::moscow_time(until, now)
    ))
}

/// Forgets budgets whose window has passed (the purge job).
pub async fn purge(db: &Db, now: DateTime<Utc>) -> Result<(), AppError> {
    use super::db::QueryExt;
    db.query("DELETE budget WHERE expires_at < $now").bind(("now", now)).exec("budget purge").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::db;

    #[tokio::test]
    async fn a_sliding_budget_frees_a_use_as_each_one_ages_out() {
        let db = db::memory().await.unwrap();
        let t = crate::testing::t0();
        let hour = TimeDelta::hours(1);
        for i in 0..3 {
            assert!(take_sliding(&db, "x", "a", 3, hour, t + TimeDelta::minutes(i)).await.unwrap());
        }
        assert!(!take_sliding(&db, "x", "a", 3, hour, t + TimeDelta::minutes(10)).await.unwrap());
        assert!(take_sliding(&db, "x", "b", 3, hour, t + TimeDelta::minutes(10)).await.unwrap(), "per subject");
        // The first use is an hour old: one use is free again, not three.
        let later = t + TimeDelta::seconds(3630);
        assert!(take_sliding(&db, "x", "a", 3, hour, later).await.unwrap());
        assert!(!take_sliding(&db, "x", "a", 3, hour, later).await.unwrap());
    }

    #[tokio::test]
    async fn forty_parallel_takes_of_a_budget_of_five_pass_five_times() {
        let db = db::memory().await.unwrap();
        let t = crate::testing::t0();
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { take_sliding(&db, "x", "a", 5, TimeDelta::hours(1), t).await.unwrap() })
            })
            .collect();
        let mut passed = 0;
        for t in tasks {
            passed += usize::from(t.await.unwrap());
        }
        assert_eq!(passed, 5);
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(
                    async move { take_fixed(&db, "y", "all", 7, TimeDelta::hours(1), t).await.unwrap().is_ok() },
                )
            })
            .collect();
        let mut passed = 0;
        for t in tasks {
            passed += usize::from(t.await.unwrap());
        }
        assert_eq!(passed, 7);
    }
}
