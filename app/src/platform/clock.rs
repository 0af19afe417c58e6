//! The only place that reads the wall clock. Services take `now` as a
//! parameter so tests can move time; server functions call `now()` once at
//! the edge and pass it down.

use chrono::{DateTime, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now()
}
