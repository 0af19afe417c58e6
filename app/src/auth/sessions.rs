//! Server-side sessions (spec 000 §3.3). The browser holds a random 256-bit
//! token in an HttpOnly cookie; the `session` record id is its SHA-256.
//! A session ends after `idle` without requests (30 min; 15 min with
//! «Чужой компьютер») or `absolute` after sign-in (12 h), whichever is
//! first, or at «Выйти», a password change or a recovery. A staff session
//! idles out after `session_idle_staff` (15 min) and is never remembered
//! by the browser.

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use crate::auth::cookies::{new_token, token_hash};
use crate::error::AppError;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::Db;
use crate::platform::db::{Query, QueryExt};

#[derive(Debug, Clone, SurrealValue)]
pub struct SessionRow {
    pub id: RecordId,
    pub account: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub idle_secs: i64,
    pub absolute_until: DateTime<Utc>,
    pub public: bool,
    pub must_change_password: bool,
    pub ip: String,
    pub user_agent: String,
    /// When the password or a passkey was last proven in this session.
    pub proof_at: Option<DateTime<Utc>>,
    /// Names the session in «Активные сеансы» (the record key is secret-derived).
    pub public_id: Option<String>,
    /// Signed in with a strong second step (app, backup code, passkey) or
    /// one was set up in this session: what staff pages require.
    pub strong: bool,
    /// A staff member's first sign-in with a temporary password: a strong
    /// second step may be set up here without having one.
    pub enrol: bool,
}

impl SessionRow {
    /// When the session ends if nothing more happens.
    pub fn expires_at(&self) -> DateTime<Utc> {
        (self.last_seen_at + TimeDelta::seconds(self.idle_secs)).min(self.absolute_until)
    }
}

/// Which idle timeout a new session gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A person's own browser (30 min idle, remembered for 12 h).
    Own,
    /// «Чужой компьютер»: 15 min idle, the cookie dies with the browser.
    PublicComputer,
    /// A staff member: 15 min idle, the cookie dies with the browser.
    Staff,
}

impl SessionKind {
    /// The browser keeps no cookie on disk for it.
    pub fn ends_with_browser(self) -> bool {
        self != SessionKind::Own
    }
}

pub struct NewSession<'a> {
    pub account: &'a str,
    pub kind: SessionKind,
    pub strong: bool,
    pub enrol: bool,
    pub must_change_password: bool,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

fn rid(hash: &str) -> RecordId {
    RecordId::new("session", hash.to_string())
}

/// Starts a session; returns the token for the cookie (never stored).
pub async fn create(db: &Db, s: &AuthSettings, new: NewSession<'_>, now: DateTime<Utc>) -> Result<String, AppError> {
    let (q, token) = create_in(db.query("RETURN NONE"), s, new, now);
    q.exec("session create").await?;
    Ok(token)
}

/// Appends the creation of a session to `q` (its bindings start `s_`), for
/// a sign-in that writes everything in one transaction. Returns the token.
pub fn create_in<'a>(q: Query<'a>, s: &AuthSettings, new: NewSession<'_>, now: DateTime<Utc>) -> (Query<'a>, String) {
    let token = new_token();
    let idle = match new.kind {
        SessionKind::Own => s.session_idle,
        SessionKind::PublicComputer => s.session_idle_public,
        SessionKind::Staff => s.session_idle_staff,
    };
    let q = q
        .query(
            "CREATE $s_id SET account = $s_account, created_at = $s_now, last_seen_at = $s_now, idle_secs = $s_idle,
                absolute_until = $s_until, public = $s_public, must_change_password = $s_must, ip = $s_ip,
                user_agent = $s_ua, proof_at = $s_now, public_id = $s_pid, strong = $s_strong, enrol = $s_enrol",
        )
        .bind(("s_id", rid(&token_hash(&token))))
        .bind(("s_pid", new_token()[..16].to_string()))
        .bind(("s_account", new.account.to_string()))
        .bind(("s_now", now))
        .bind(("s_idle", idle.num_seconds()))
        .bind(("s_until", now + s.session_absolute))
        .bind(("s_public", new.kind == SessionKind::PublicComputer))
        .bind(("s_strong", new.strong))
        .bind(("s_enrol", new.enrol))
        .bind(("s_must", new.must_change_password))
        .bind(("s_ip", new.ip.to_string()))
        .bind(("s_ua", new.user_agent.to_string()));
    (q, token)
}

/// The live session for `token`; an expired one is deleted and gives None.
/// `touch` counts this request as activity (moves the idle deadline). The
/// write is skipped when the last one is fresher than a tenth of the idle
/// timeout (at most 10 s): pages and their server calls come in bursts, and
/// a deadline a few seconds early costs nobody anything.
pub async fn find(db: &Db, token: &str, now: DateTime<Utc>, touch: bool) -> Result<Option<SessionRow>, AppError> {
    let id = rid(&token_hash(token));
    let row: Option<SessionRow> =
        db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).one("session load").await?;
    let Some(mut row) = row else { return Ok(None) };
    if row.expires_at() <= now {
        end(db, token).await?;
        return Ok(None);
    }
    let every = TimeDelta::seconds((row.idle_secs / 10).clamp(1, 10));
    if touch && now - row.last_seen_at >= every {
        // Activity is best effort: parallel requests of one session all
        // want this write, and the losers of a write conflict must not fail
        // the page. Only a later time is written, so a loser loses nothing.
        let written = db
            .query("UPDATE $id SET last_seen_at = $now WHERE last_seen_at < $now")
            .bind(("id", id))
            .bind(("now", now))
            .await
            .and_then(|r| r.check());
        match written {
            Ok(_) => row.last_seen_at = now,
            Err(e) => tracing::debug!("session touch skipped: {e}"),
        }
    }
    Ok(Some(row))
}

/// «Выйти»: the session is gone on the server, whatever the browser keeps.
pub async fn end(db: &Db, token: &str) -> Result<(), AppError> {
    db.query("DELETE $id").bind(("id", rid(&token_hash(token)))).exec("session end").await?;
    Ok(())
}

/// Ends every session of `account` except the one with `keep` token.
pub async fn end_all(db: &Db, account: &str, keep: Option<&str>) -> Result<(), AppError> {
    let keep = keep.map(|t| rid(&token_hash(t)));
    db.query("DELETE session WHERE account = $account AND ($keep = NONE OR id != $keep)")
        .bind(("account", account.to_string()))
        .bind(("keep", keep))
        .exec("sessions end")
        .await?;
    Ok(())
}

/// Every live session of `account`, the latest activity first.
pub async fn list(db: &Db, account: &str, now: DateTime<Utc>) -> Result<Vec<SessionRow>, AppError> {
    let rows: Vec<SessionRow> = db
        .query("SELECT * FROM session WHERE account = $account ORDER BY last_seen_at DESC")
        .bind(("account", account.to_string()))
        .all("sessions list")
        .await?;
    Ok(rows.into_iter().filter(|r| r.expires_at() > now).collect())
}

/// Ends the session of `account` named `public_id` in «Активные сеансы».
/// Returns whether there was one.
pub async fn end_by_public_id(db: &Db, account: &str, public_id: &str) -> Result<bool, AppError> {
    let gone: Vec<SessionRow> = db
        .query("DELETE session WHERE account = $account AND public_id = $pid RETURN BEFORE")
        .bind(("account", account.to_string()))
        .bind(("pid", public_id.to_string()))
        .all("session end")
        .await?;
    Ok(!gone.is_empty())
}

/// The password or a passkey was just proven in this session: the session
/// gets a new token (one stolen before the proof is worth nothing after it)
/// and the proof time. Returns the new token for the cookie.
pub async fn renew_proven(db: &Db, token: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let (mut res, new) = crate::platform::db::retrying_transaction("session renew", || {
        let new = new_token();
        let q = db
            .query(
                "BEGIN TRANSACTION;
                 LET $row = (SELECT * OMIT id FROM ONLY $old);
                 IF $row != NONE {
                     CREATE $new CONTENT $row;
                     UPDATE $new SET proof_at = $now;
                     DELETE $old;
                 };
                 COMMIT TRANSACTION;
                 RETURN $row != NONE;",
            )
            .bind(("old", rid(&token_hash(token))))
            .bind(("new", rid(&token_hash(&new))))
            .bind(("now", now));
        (q, new)
    })
    .await?;
    let last = res.num_statements().saturating_sub(1);
    let renewed: Option<bool> = res.take(last).map_err(|e| crate::platform::request::internal("session renew", e))?;
    // Gone meanwhile (signed out, or a double submit renewed it first).
    if renewed != Some(true) {
        return Err(AppError::Unauthorized);
    }
    Ok(new)
}

/// A strong second step was set up in this session (staff pages open).
pub async fn set_strong(db: &Db, token: &str) -> Result<(), AppError> {
    db.query("UPDATE $id SET strong = true").bind(("id", rid(&token_hash(token)))).exec("session strong").await?;
    Ok(())
}

/// The password was changed: the session may open every page again.
pub async fn clear_must_change(db: &Db, token: &str) -> Result<(), AppError> {
    db.query("UPDATE $id SET must_change_password = false")
        .bind(("id", rid(&token_hash(token))))
        .exec("session update")
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::db;

    fn new(public: bool) -> NewSession<'static> {
        let kind = if public { SessionKind::PublicComputer } else { SessionKind::Own };
        NewSession {
            account: "acc1",
            kind,
            strong: false,
            enrol: false,
            must_change_password: false,
            ip: "127.0.0.1",
            user_agent: "test",
        }
    }

    #[tokio::test]
    async fn an_idle_session_ends_after_thirty_minutes_and_activity_extends_it() {
        let db = db::memory().await.unwrap();
        let s = AuthSettings::default();
        let t0 = Utc::now();
        let token = create(&db, &s, new(false), t0).await.unwrap();
        assert!(find(&db, &token, t0 + TimeDelta::minutes(29), true).await.unwrap().is_some());
        // Touched at 29 min: alive at 58, gone at 59+.
        assert!(find(&db, &token, t0 + TimeDelta::minutes(58), false).await.unwrap().is_some());
        assert!(find(&db, &token, t0 + TimeDelta::minutes(60), false).await.unwrap().is_none());
        // Deleted, not only refused.
        assert!(find(&db, &token, t0 + TimeDelta::minutes(1), false).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_burst_of_requests_writes_the_activity_once() {
        let db = db::memory().await.unwrap();
        let s = AuthSettings::default();
        let t0 = Utc::now();
        let token = create(&db, &s, new(false), t0).await.unwrap();
        let first = find(&db, &token, t0 + TimeDelta::seconds(30), true).await.unwrap().unwrap();
        assert_eq!(first.last_seen_at, t0 + TimeDelta::seconds(30));
        let soon = find(&db, &token, t0 + TimeDelta::seconds(35), true).await.unwrap().unwrap();
        assert_eq!(soon.last_seen_at, t0 + TimeDelta::seconds(30), "5 s later: not written again");
        let later = find(&db, &token, t0 + TimeDelta::seconds(41), true).await.unwrap().unwrap();
        assert_eq!(later.last_seen_at, t0 + TimeDelta::seconds(41));
    }

    #[tokio::test]
    async fn a_public_computer_session_idles_out_after_fifteen_minutes() {
        let db = db::memory().await.unwrap();
        let s = AuthSettings::default();
        let t0 = Utc::now();
        let token = create(&db, &s, new(true), t0).await.unwrap();
        assert!(find(&db, &token, t0 + TimeDelta::minutes(14), false).await.unwrap().is_some());
        assert!(find(&db, &token, t0 + TimeDelta::minutes(15), false).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn no_session_outlives_twelve_hours_however_active() {
        let db = db::memory().await.unwrap();
        let s = AuthSettings::default();
        let t0 = Utc::now();
        let token = create(&db, &s, new(false), t0).await.unwrap();
        let mut t = t0;
        while t + TimeDelta::minutes(20) < t0 + TimeDelta::hours(12) {
            t += TimeDelta::minutes(20);
            assert!(find(&db, &token, t, true).await.unwrap().is_some(), "alive at {t}");
        }
        assert!(find(&db, &token, t0 + TimeDelta::hours(12), true).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn sign_out_and_end_all_remove_sessions_on_the_server() {
        let db = db::memory().await.unwrap();
        let s = AuthSettings::default();
        let t0 = Utc::now();
        let a = create(&db, &s, new(false), t0).await.unwrap();
        let b = create(&db, &s, new(false), t0).await.unwrap();
        let c = create(&db, &s, new(false), t0).await.unwrap();
        end(&db, &a).await.unwrap();
        assert!(find(&db, &a, t0, false).await.unwrap().is_none());
        end_all(&db, "acc1", Some(&b)).await.unwrap();
        assert!(find(&db, &b, t0, false).await.unwrap().is_some());
        assert!(find(&db, &c, t0, false).await.unwrap().is_none());
    }
}
