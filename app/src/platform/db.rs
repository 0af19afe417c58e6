//! The database: connecting to whichever engine the configuration names,
//! and applying the versioned migrations in `server/migrations/` once each,
//! recorded in the `migration` table. Queries elsewhere use bound
//! parameters only, never string-built values.

use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use surrealdb::opt::auth::Root;

use super::config::{Config, DbEndpoint};

pub type Db = Surreal<Any>;

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
