//! The database: connecting to whichever engine the configuration names,
//! and applying the versioned migrations in `server/migrations/` once each,
//! recorded in the `migration` table. Queries elsewhere use bound
//! parameters only, never string-built values.

use surrealdb::engine::any::Any;
use surrealdb::opt::auth::Root;
use surrealdb::types::SurrealValue;
use surrealdb::{IndexedResults, Surreal};

use super::config::{Config, DbEndpoint};
use super::request::internal;
use crate::error::AppError;

pub type Db = Surreal<Any>;

/// A query being built (`db.query(..).bind(..)`).
pub type Query<'a> = surrealdb::method::Query<'a, Any>;

/// The one way every area runs a query: the statement errors are checked,
/// and a failure is logged with `what` and the request id and becomes the
/// person's «Внутренняя ошибка» (`platform::request::internal`).
pub trait QueryExt: Sized {
    /// Runs the query; its results stay available (`take`).
    fn exec(self, what: &str) -> impl Future<Output = Result<IndexedResults, AppError>> + Send;
    /// Runs the query and reads statement 0 as at most one row.
    fn one<T: SurrealValue>(self, what: &str) -> impl Future<Output = Result<Option<T>, AppError>> + Send;
    /// Runs the query and reads statement 0 as rows.
    fn all<T: SurrealValue>(self, what: &str) -> impl Future<Output = Result<Vec<T>, AppError>> + Send;
    /// Runs a write that a record id or unique index guards (a phone, an
    /// e-mail, a slot): `Ok(false)` when the value was already taken.
    fn exec_unless_taken(self, what: &str) -> impl Future<Output = Result<bool, AppError>> + Send;
}

impl QueryExt for Query<'_> {
    async fn exec(self, what: &str) -> Result<IndexedResults, AppError> {
        self.await.and_then(|r| r.check()).map_err(|e| internal(what, e))
    }

    async fn one<T: SurrealValue>(self, what: &str) -> Result<Option<T>, AppError> {
        self.exec(what).await?.take(0).map_err(|e| internal(what, e))
    }

    async fn all<T: SurrealValue>(self, what: &str) -> Result<Vec<T>, AppError> {
        self.exec(what).await?.take(0).map_err(|e| internal(what, e))
    }

    async fn exec_unless_taken(self, what: &str) -> Result<bool, AppError> {
        let mut res = self.await.map_err(|e| internal(what, e))?;
        let errors = res.take_errors();
        if errors.is_empty() {
            return Ok(true);
        }
        if errors.values().any(is_unique) {
            return Ok(false);
        }
        let first = errors.into_values().next().map(|e| e.to_string()).unwrap_or_default();
        Err(internal(what, first))
    }
}

/// Two transactions wrote the same record at once; the loser may retry.
pub fn is_conflict(e: &surrealdb::Error) -> bool {
    matches!(e.query_details(), Some(surrealdb::types::QueryError::TransactionConflict))
}

/// A record id or unique index already held the value (a phone, an e-mail,
/// a slot): the answer is «already taken», not a failure.
///
/// A record id that exists is an `AlreadyExists` error. A unique *index*
/// conflict is not: SurrealDB 3.3.5 maps it to a plain internal error
/// (surrealdb-idx `IndexExists` → `internal_todo`), so its message is the
/// only sign of it; this is the one place that reads an error's text.
pub fn is_unique(e: &surrealdb::Error) -> bool {
    e.is_already_exists()
        || (e.is_internal()
            && e.message().starts_with("Database index `")
            && e.message().contains("` already contains "))
}

/// Runs a write, retrying it when a concurrent transaction on the same
/// record made it conflict (parallel requests on one account or address).
pub async fn retrying<'a, F>(what: &str, query: F) -> Result<(), AppError>
where
    F: Fn() -> Query<'a>,
{
    retrying_results(what, query).await.map(|_| ())
}

/// Like `retrying`, and reads statement 0 as at most one row: the atomic
/// "count, then read what the count is now" of a limit (`UPSERT … RETURN`).
pub async fn retrying_one<'a, T, F>(what: &str, query: F) -> Result<Option<T>, AppError>
where
    T: SurrealValue,
    F: Fn() -> Query<'a>,
{
    retrying_results(what, query).await?.take(0).map_err(|e| internal(what, e))
}

async fn retrying_results<'a, F>(what: &str, query: F) -> Result<IndexedResults, AppError>
where
    F: Fn() -> Query<'a>,
{
    use rand::Rng;
    let mut last = None;
    // Forty parallel writes to one record need a few rounds; the jittered
    // wait spreads the losers so they do not collide again in lockstep.
    for attempt in 0..40u64 {
        match query().await.and_then(|r| r.check()) {
            Ok(r) => return Ok(r),
            Err(e) if is_conflict(&e) => {
                last = Some(e);
                let ms = 1 + attempt.min(10) * 2 + rand::rng().random_range(0..5u64);
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            }
            Err(e) => return Err(internal(what, e)),
        }
    }
    Err(internal(what, last.map(|e| e.to_string()).unwrap_or_default()))
}

/// Runs a transaction that `build` makes (with whatever else it returns,
/// e.g. a new token), building and running it again when a concurrent
/// transaction made it conflict. Returns the results and that value.
pub async fn retrying_transaction<'a, T, F>(what: &str, mut build: F) -> Result<(IndexedResults, T), AppError>
where
    F: FnMut() -> (Query<'a>, T),
{
    use rand::Rng;
    let mut last = String::new();
    for attempt in 0..40u64 {
        let (q, extra) = build();
        let mut res = q.await.map_err(|e| internal(what, e))?;
        let errors = res.take_errors();
        if errors.is_empty() {
            return Ok((res, extra));
        }
        // Inside a transaction the conflict is reported on one statement and
        // the others as "not executed due to a failed transaction"; only a
        // real conflict is worth another run.
        let conflict = errors.values().any(is_conflict);
        last = errors.into_values().next().map(|e| e.to_string()).unwrap_or_default();
        if !conflict {
            break;
        }
        let ms = 1 + attempt.min(10) * 2 + rand::rng().random_range(0..5u64);
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    Err(internal(what, last))
}

/// Runs a transaction guarded by a record that can be created once:
/// `Ok(false)` when that record (or another unique value) was taken; run
/// again when a concurrent transaction made it conflict.
pub async fn retrying_unless_taken<'a, F>(what: &str, build: F) -> Result<bool, AppError>
where
    F: Fn() -> Query<'a>,
{
    use rand::Rng;
    let mut last = String::new();
    for attempt in 0..40u64 {
        let mut res = build().await.map_err(|e| internal(what, e))?;
        let errors = res.take_errors();
        if errors.is_empty() {
            return Ok(true);
        }
        if errors.values().any(is_unique) {
            return Ok(false);
        }
        let conflict = errors.values().any(is_conflict);
        last = errors.into_values().next().map(|e| e.to_string()).unwrap_or_default();
        if !conflict {
            break;
        }
        let ms = 1 + attempt.min(10) * 2 + rand::rng().random_range(0..5u64);
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    Err(internal(what, last))
}

/// The key of a record id as plain text (`outbox:abc` → `abc`).
pub fn record_key(id: &surrealdb::types::RecordId) -> String {
    use surrealdb::types::RecordIdKey;
    match &id.key {
        RecordIdKey::String(s) => s.clone(),
        RecordIdKey::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// The migrations, in order. A new one is a new file and a new line here;
/// an applied one is never edited.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_outbox", include_str!("../../../server/migrations/0001_outbox.surql")),
    ("0002_accounts", include_str!("../../../server/migrations/0002_accounts.surql")),
    ("0003_security", include_str!("../../../server/migrations/0003_security.surql")),
    ("0004_passkeys", include_str!("../../../server/migrations/0004_passkeys.surql")),
    ("0005_staff", include_str!("../../../server/migrations/0005_staff.surql")),
    ("0006_hardening", include_str!("../../../server/migrations/0006_hardening.surql")),
    ("0007_levels_access", include_str!("../../../server/migrations/0007_levels_access.surql")),
    ("0008_identity", include_str!("../../../server/migrations/0008_identity.surql")),
    ("0009_documents", include_str!("../../../server/migrations/0009_documents.surql")),
    ("0010_mfc", include_str!("../../../server/migrations/0010_mfc.surql")),
    ("0011_notifications", include_str!("../../../server/migrations/0011_notifications.surql")),
    ("0012_catalogue", include_str!("../../../server/migrations/0012_catalogue.surql")),
    ("0013_applications", include_str!("../../../server/migrations/0013_applications.surql")),
    ("0014_payments", include_str!("../../../server/migrations/0014_payments.surql")),
];

/// Connects `db` (made with `Surreal::init()`) and selects the namespace
/// and database.
pub async fn connect(db: &Db, config: &Config) -> Result<(), surrealdb::Error> {
    db.connect(config.db.url()).await?;
    if let DbEndpoint::Remote { user, password, .. } = &config.db {
        db.signin(Root { username: user.clone(), password: password.expose().to_string() }).await?;
    }
    db.use_ns(config.db_namespace.clone()).use_db(config.db_database.clone()).await?;
    Ok(())
}

/// A fresh in-memory database with every migration applied (tests).
pub async fn memory() -> Result<Db, surrealdb::Error> {
    let db = Surreal::init();
    connect(&db, &Config::for_tests()).await?;
    migrate(&db).await?;
    Ok(db)
}

/// Applies the migrations not yet recorded. Returns the names applied now.
pub async fn migrate(db: &Db) -> Result<Vec<String>, surrealdb::Error> {
    db.query(
        "DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
         DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
         DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime;
         DEFINE INDEX IF NOT EXISTS migration_name ON migration FIELDS name UNIQUE;",
    )
    .await?
    .check()?;
    let mut res = db.query("SELECT VALUE name FROM migration").await?.check()?;
    let done: Vec<String> = res.take(0)?;
    let mut applied = Vec::new();
    for (name, sql) in MIGRATIONS {
        if done.iter().any(|d| d == name) {
            continue;
        }
        let query = format!(
            "BEGIN TRANSACTION;\n{sql}\nCREATE migration SET name = $name, applied_at = time::now();\nCOMMIT TRANSACTION;"
        );
        db.query(query).bind(("name", name.to_string())).await?.check()?;
        tracing::info!(migration = name, "migration applied");
        applied.push(name.to_string());
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn migrations_apply_once_and_are_recorded() {
        let db = memory().await.unwrap();
        let again = migrate(&db).await.unwrap();
        assert!(again.is_empty(), "second run applied {again:?}");
        let mut res = db.query("SELECT VALUE name FROM migration ORDER BY name").await.unwrap();
        let names: Vec<String> = res.take(0).unwrap();
        let expected: Vec<String> = MIGRATIONS.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(names, expected);
    }
}
