//! Demo data for `make run` (dev mode only): what a person needs to try the
//! portal. Idempotent: running it twice changes nothing. Later areas add
//! their own demo rows here (accounts, services, fines, clinics).

use chrono::{DateTime, Utc};

use crate::platform::db::Db;

/// Loads the demo data and returns lines describing it for the console.
pub async fn seed(db: &Db, now: DateTime<Utc>) -> Result<Vec<String>, surrealdb::Error> {
    let _ = (db, now);
    Ok(vec!["демо-учётные записи появятся вместе с регистрацией и входом".to_string()])
}
