//! What the service tests of several areas share: a fixed clock, a
//! database with the demo people, and a `Caller` made as a server function
//! would get it.

// Clippy takes only a plain `#[cfg(test)]` as test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, TimeZone, Utc};

use crate::auth::Role;
use crate::auth::accounts;
use crate::auth::caller::{Caller, SessionToken};
use crate::auth::sessions::{self, NewSession, SessionKind};
use crate::demo::{self, DEMO_STAFF};
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{self, Db};

/// A fixed morning (12:00 in Moscow), so times read the same every run.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

/// A fresh in-memory database with the demo citizens and staff.
pub async fn with_people() -> Db {
    let db = db::memory().await.unwrap();
    demo::seed(&db, t0()).await.unwrap();
    db
}

/// The demo staff member holding `role`.
pub fn staff_key(role: Role) -> &'static str {
    DEMO_STAFF.iter().find(|s| s.roles.contains(&role)).unwrap().key
}

/// A caller for `key` with a fresh session at `now` (a strong one, or not).
pub async fn caller(db: &Db, key: &str, strong: bool, now: DateTime<Utc>) -> Caller {
    session_caller(db, key, strong, false, now).await
}

/// A caller whose session is a staff member's first sign-in with a
/// temporary password (it may set up a second step).
pub async fn first_sign_in(db: &Db, key: &str, now: DateTime<Utc>) -> Caller {
    session_caller(db, key, false, true, now).await
}

async fn session_caller(db: &Db, key: &str, strong: bool, enrol: bool, now: DateTime<Utc>) -> Caller {
    let account = accounts::load(db, key).await.unwrap().unwrap();
    let kind = if account.roles.is_empty() { SessionKind::Own } else { SessionKind::Staff };
    let new = NewSession {
        account: key,
        kind,
        strong,
        enrol,
        must_change_password: false,
        ip: "192.0.2.1",
        user_agent: "test",
    };
    let token = sessions::create(db, &AuthSettings::default(), new, now).await.unwrap();
    let session = sessions::find(db, &token, now, false).await.unwrap().unwrap();
    Caller { token: SessionToken::for_tests(token), session, account }
}
