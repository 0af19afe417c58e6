//! Whether the database answers. A watcher pings it every few seconds; pages
//! show «Сервис недоступен» and `/readyz` answers 503 while it does not.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use surrealdb::Surreal;
use surrealdb::engine::any::Any;

#[derive(Clone, Default)]
pub struct Health {
    db_up: Arc<AtomicBool>,
}

impl Health {
    pub fn db_up(&self) -> bool {
        self.db_up.load(Ordering::Relaxed)
    }

    pub fn set_db_up(&self, up: bool) {
        let was = self.db_up.swap(up, Ordering::Relaxed);
        if was != up {
            if up {
                tracing::info!("database answers");
            } else {
                tracing::warn!("database does not answer");
            }
        }
    }
}

/// One live round-trip to the database, bounded in time.
pub async fn ping(db: &Surreal<Any>) -> bool {
    matches!(tokio::time::timeout(Duration::from_secs(2), db.query("RETURN 1")).await, Ok(Ok(_)))
}

/// Keeps `health` current until the process ends.
pub async fn watch(db: std::sync::Arc<Surreal<Any>>, health: Health) {
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        health.set_db_up(ping(&db).await);
    }
}
