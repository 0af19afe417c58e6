//! The notification tables: `notification` (the centre), `notify_settings`
//! (one row per account that changed the defaults) and the outbox rows tied
//! to an account. Every read and write names the account: a row of someone
//! else is never found, read or marked.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{NoticeChannel, NoticeKind, Settings, field};
use super::send::settings_id;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};

#[derive(Debug, Clone, SurrealValue)]
pub struct NotificationRow {
    pub id: RecordId,
    pub kind: Option<String>,
    pub subject: String,
    pub text: String,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A notification's record id from the text of an address, if it can be one.
fn notification_id(id: &str) -> Option<RecordId> {
    (!id.is_empty() && id.len() <= 40 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then(|| RecordId::new("notification", id))
}

/// How many of the account's notices are unread: one count on an index.
pub async fn unread(db: &Db, account: &str) -> Result<u32, AppError> {
    let n: Option<i64> = db
        .query("SELECT VALUE count() FROM notification WHERE account = $a AND read_at IS NONE GROUP ALL")
        .bind(("a", account.to_string()))
        .one("unread count")
        .await?;
    Ok(u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX))
}

/// The account's notices, newest first (`unread_only`: just the unread).
pub async fn list(db: &Db, account: &str, unread_only: bool, limit: i64) -> Result<Vec<NotificationRow>, AppError> {
    let filter = if unread_only { " AND read_at IS NONE" } else { "" };
    db.query(format!(
        "SELECT id, kind, subject, text, link, created_at, read_at FROM notification
         WHERE account = $a{filter} ORDER BY created_at DESC LIMIT $limit"
    ))
    .bind(("a", account.to_string()))
    .bind(("limit", limit))
    .all("notifications")
    .await
}

/// Opens the account's notice `id`, marking it read (the first reading
/// time stays). None when there is no such notice of this account.
pub async fn open(db: &Db, account: &str, id: &str, now: DateTime<Utc>) -> Result<Option<NotificationRow>, AppError> {
    let Some(id) = notification_id(id) else { return Ok(None) };
    db.query(
        "UPDATE $id SET read_at = read_at ?? $now WHERE account = $a
         RETURN id, kind, subject, text, link, created_at, read_at",
    )
    .bind(("id", id))
    .bind(("a", account.to_string()))
    .bind(("now", now))
    .all::<NotificationRow>("open notification")
    .await
    .map(|rows| rows.into_iter().next())
}

/// «Отметить все прочитанными»: the account's own unread notices only.
/// Returns how many were marked.
pub async fn mark_all_read(db: &Db, account: &str, now: DateTime<Utc>) -> Result<usize, AppError> {
    let marked: Vec<RecordId> = db
        .query("UPDATE notification SET read_at = $now WHERE account = $a AND read_at IS NONE RETURN VALUE id")
        .bind(("a", account.to_string()))
        .bind(("now", now))
        .all("mark all read")
        .await?;
    Ok(marked.len())
}

#[derive(Debug, Clone, SurrealValue)]
struct SettingsRow {
    status_push: bool,
    status_sms: bool,
    status_email: bool,
    personal_push: bool,
    personal_sms: bool,
    personal_email: bool,
    deadline_push: bool,
    deadline_sms: bool,
    deadline_email: bool,
}

/// The account's settings (the defaults when it never saved any).
pub async fn settings(db: &Db, account: &str) -> Result<Settings, AppError> {
    let row: Option<SettingsRow> =
        db.query("SELECT * FROM ONLY $id").bind(("id", settings_id(account))).one("notification settings").await?;
    let Some(r) = row else { return Ok(Settings::default()) };
    let mut s = Settings::none();
    use NoticeChannel::{Email, Push, Sms};
    use NoticeKind::{Deadline, PersonalData, Status};
    for (k, c, on) in [
        (Status, Push, r.status_push),
        (Status, Sms, r.status_sms),
        (Status, Email, r.status_email),
        (PersonalData, Push, r.personal_push),
        (PersonalData, Sms, r.personal_sms),
        (PersonalData, Email, r.personal_email),
        (Deadline, Push, r.deadline_push),
        (Deadline, Sms, r.deadline_sms),
        (Deadline, Email, r.deadline_email),
    ] {
        s.set(k, c, on);
    }
    Ok(s)
}

/// Stores the account's settings (one statement: the whole row at once).
pub async fn save_settings(db: &Db, account: &str, s: &Settings, now: DateTime<Utc>) -> Result<(), AppError> {
    let mut sets = Vec::new();
    let mut values = Vec::new();
    for k in NoticeKind::ALL {
        for c in NoticeChannel::ALL {
            let f = field(k, c);
            sets.push(format!("{f} = ${f}"));
            values.push((f, s.wants(k, c)));
        }
    }
    let mut q = db
        .query(format!("UPSERT $id SET {}, updated_at = $now", sets.join(", ")))
        .bind(("id", settings_id(account)))
        .bind(("now", now));
    for v in values {
        q = q.bind(v);
    }
    q.exec("save notification settings").await?;
    Ok(())
}
