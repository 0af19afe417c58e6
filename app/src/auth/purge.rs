//! The purge job: what the sign-in rules keep only for a while is deleted
//! once it can no longer matter, so the tables stay small and nothing
//! sensitive lingers (expired code flows, spent counters, old contact
//! changes, dead «Это был не я» links, unread backup-code reveals, budgets).
//! The server runs it every ten minutes (`run`); it is idempotent.

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::AppError;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{Db, QueryExt};

/// Deletes what has expired by `now`.
pub async fn purge(db: &Db, s: &AuthSettings, now: DateTime<Utc>) -> Result<(), AppError> {
    db.query(
        "DELETE flow WHERE expires_at < $now;
         DELETE code_log WHERE at < $hour_ago;
         DELETE lockout WHERE updated_at < $day_ago AND (locked_until = NONE OR locked_until < $now);
         DELETE ip_failure WHERE window_start < $ip_window_ago;
         DELETE lock_notice WHERE until = NONE OR until < $now;
         DELETE contact_change WHERE at < $undo_ago;
         DELETE not_me WHERE expires_at < $now;
         DELETE reveal WHERE expires_at < $now;",
    )
    .bind(("now", now))
    .bind(("hour_ago", now - TimeDelta::hours(1)))
    .bind(("day_ago", now - TimeDelta::days(1)))
    .bind(("ip_window_ago", now - s.ip_window))
    .bind(("undo_ago", now - TimeDelta::days(super::accounts::CONTACT_UNDO_DAYS)))
    .exec("purge")
    .await?;
    crate::platform::budget::purge(db, now).await
}

/// Runs `purge` every ten minutes until the process ends.
pub async fn run(db: std::sync::Arc<Db>, s: AuthSettings) {
    loop {
        if let Err(e) = purge(&db, &s, crate::platform::clock::now()).await {
            tracing::warn!("purge: {e}");
        }
        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::db;

    async fn count(db: &Db, table: &str) -> usize {
        let mut res = db.query(format!("SELECT VALUE id FROM {table}")).await.unwrap();
        let ids: Vec<surrealdb::types::RecordId> = res.take(0).unwrap();
        ids.len()
    }

    #[tokio::test]
    async fn expired_flows_counters_and_old_changes_are_purged_and_live_ones_kept() {
        let db = db::memory().await.unwrap();
        let s = AuthSettings::default();
        let t = crate::testing::t0();
        db.query(
            "CREATE flow SET purpose = 'phone', channel = 'sms', created_at = $t, expires_at = $t + 1h;
             CREATE flow SET purpose = 'phone', channel = 'sms', created_at = $t, expires_at = $t + 3h;
             CREATE lockout SET failed = 2, updated_at = $t;
             CREATE lockout SET failed = 0, locked_until = $t + 3d, updated_at = $t;
             CREATE contact_change SET account = 'a', kind = 'phone', new = '+79160000009', at = $t;
             CREATE contact_change SET account = 'a', kind = 'phone', new = '+79160000008', at = $t + 29d;",
        )
        .bind(("t", t))
        .await
        .unwrap()
        .check()
        .unwrap();
        crate::platform::budget::take_sliding(&db, "x", "a", 5, TimeDelta::hours(1), t).await.unwrap();
        purge(&db, &s, t + TimeDelta::days(2)).await.unwrap();
        assert_eq!(count(&db, "flow").await, 0);
        assert_eq!(count(&db, "lockout").await, 1, "a running lock stays");
        assert_eq!(count(&db, "budget").await, 0);
        purge(&db, &s, t + TimeDelta::days(31)).await.unwrap();
        assert_eq!(count(&db, "contact_change").await, 1, "a change of the last 30 days stays");
    }
}
