//! Sending: security notices, notices of a kind (fanned out by the
//! person's settings inside the caller's query), the «Это был не я» links,
//! and the wake-up of the outbox worker.
//!
//! The «Это был не я» link holds a random 256-bit token; only its SHA-256 is
//! stored. It is single use (spent by `security::alerts::not_me`) and lives
//! 30 days. This module never logs a token.

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{NoticeChannel, NoticeKind};
use crate::auth::accounts::AccountRow;
use crate::auth::cookies::{new_token, token_hash};
use crate::error::AppError;
use crate::platform::AppState;
use crate::platform::db::{Db, QueryExt};
use crate::platform::outbox::{self, Channel, NewMessage};

const LINK_DAYS: i64 = 30;

#[derive(Debug, Clone, SurrealValue)]
struct LinkRow {
    account: String,
    expires_at: DateTime<Utc>,
}

/// A new «Это был не я» address for `account`.
pub async fn new_link(db: &Db, public_url: &str, account: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let (q, link) = new_link_query(db, public_url, account, now);
    q.exec("not-me link").await?;
    Ok(link)
}

/// The query that stores a new link, and the link.
fn new_link_query<'a>(
    db: &'a Db,
    public_url: &str,
    account: &str,
    now: DateTime<Utc>,
) -> (crate::platform::db::Query<'a>, String) {
    let token = new_token();
    let q = db
        .query("CREATE $id SET account = $account, created_at = $now, expires_at = $until")
        .bind(("id", RecordId::new("not_me", token_hash(&token))))
        .bind(("account", account.to_string()))
        .bind(("now", now))
        .bind(("until", now + TimeDelta::days(LINK_DAYS)));
    (q, format!("{}/not-me?t={token}", public_url.trim_end_matches('/')))
}

/// Whether `token` is a live link (the page shows its button only then).
pub async fn link_account(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let row: Option<LinkRow> = db
        .query("SELECT account, expires_at FROM ONLY $id")
        .bind(("id", RecordId::new("not_me", token_hash(token))))
        .one("not-me load")
        .await?;
    Ok(row.filter(|r| r.expires_at > now).map(|r| r.account))
}

/// A security notice (no code) to every confirmed contact of the account,
/// with a «Это был не я» link.
pub async fn security_notice(
    db: &Db,
    public_url: &str,
    a: &AccountRow,
    subject: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // The link and the messages: one round trip.
    let (mut q, link) = new_link_query(db, public_url, &a.key(), now);
    if let Some(phone) = a.phone.clone().filter(|_| a.phone_confirmed) {
        let msg = NewMessage {
            channel: Channel::Sms,
            recipient: phone,
            subject: None,
            body: format!("Госпортал: {text} Это были не вы? {link}"),
            sensitive: true,
            expires_at: None,
        };
        q = outbox::enqueue_for_in(q, msg, Some(&a.key()), None, now, 0);
    }
    if let Some(email) = a.email.clone().filter(|_| a.email_confirmed) {
        let msg = NewMessage {
            channel: Channel::Email,
            recipient: email,
            subject: Some(format!("{subject} — Госпортал")),
            body: format!(
                "Здравствуйте!\n\n{text}\n\nЕсли это были не вы, нажмите «Это был не я»: {link}\n\
                 Все сеансы завершатся, а войти можно будет только после восстановления пароля."
            ),
            sensitive: true,
            expires_at: None,
        };
        q = outbox::enqueue_for_in(q, msg, Some(&a.key()), None, now, 1);
    }
    q.exec("security notice").await?;
    Ok(())
}

/// A notice to a citizen about their own affairs (a verdict of the
/// registries, a document checked, a request decided, an application moved,
/// a deadline near): an in-app `notification` row (the notification centre
/// shows it whatever the settings) and, by the account's settings for
/// `kind`, a push, an SMS to the confirmed phone and an e-mail to the
/// confirmed address, queued in the outbox. Call `wake` after it.
pub async fn notice(
    db: &Db,
    a: &AccountRow,
    kind: NoticeKind,
    subject: &str,
    text: &str,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notice_in(db.query("BEGIN"), 0, a, kind, subject, text, link, now).query("COMMIT").exec("notice").await.map(|_| ())
}

/// «О предстоящих сроках»: `notice` of kind `Deadline` (a draft about to be
/// deleted, a payment or an appointment coming).
pub async fn deadline_notice(
    db: &Db,
    a: &AccountRow,
    subject: &str,
    text: &str,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notice(db, a, NoticeKind::Deadline, subject, text, link, now).await
}

/// `notice` appended to the caller's transaction; `n` keeps its bindings
/// apart from other notices in the same query. The settings are read by
/// the query itself (an `IF` per channel on the account's settings row; no
/// row means the defaults, every channel on), so they apply in the same
/// transaction as the change the notice is about.
#[allow(clippy::too_many_arguments)]
pub fn notice_in<'a>(
    q: crate::platform::db::Query<'a>,
    n: usize,
    a: &AccountRow,
    kind: NoticeKind,
    subject: &str,
    text: &str,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> crate::platform::db::Query<'a> {
    let v = format!("nt{n}");
    let key = a.key();
    let mut q = q
        .query(format!(
            "CREATE notification SET account = ${v}_account, kind = ${v}_kind, subject = ${v}_subject,
                 text = ${v}_text, link = ${v}_link, created_at = ${v}_now, read_at = NONE"
        ))
        .bind((format!("{v}_account"), key.clone()))
        .bind((format!("{v}_kind"), kind.as_str().to_string()))
        .bind((format!("{v}_subject"), subject.to_string()))
        .bind((format!("{v}_text"), text.to_string()))
        .bind((format!("{v}_link"), link.map(str::to_string)))
        .bind((format!("{v}_now"), now))
        .bind((format!("{v}_set"), settings_id(&key)));
    // Outbox bindings are numbered by the message's index: keep them apart
    // from other notices in the same query.
    let base = 100 + n * 3;
    let wants = |c: NoticeChannel| format!("(${v}_set.{} ?? true)", super::model::field(kind, c));
    let push = NewMessage {
        channel: Channel::Push,
        recipient: PUSH_RECIPIENT.to_string(),
        subject: Some(subject.to_string()),
        body: text.to_string(),
        sensitive: false,
        expires_at: None,
    };
    q = outbox::enqueue_for_in(q, push, Some(&key), Some(&wants(NoticeChannel::Push)), now, base);
    if let Some(phone) = a.phone.clone().filter(|_| a.phone_confirmed) {
        let msg = NewMessage {
            channel: Channel::Sms,
            recipient: phone,
            subject: None,
            body: format!("Госпортал: {subject}. Подробнее в личном кабинете."),
            sensitive: false,
            expires_at: None,
        };
        q = outbox::enqueue_for_in(q, msg, Some(&key), Some(&wants(NoticeChannel::Sms)), now, base + 1);
    }
    if let Some(email) = a.email.clone().filter(|_| a.email_confirmed) {
        let msg = NewMessage {
            channel: Channel::Email,
            recipient: email,
            subject: Some(format!("{subject} — Госпортал")),
            body: format!("Здравствуйте!\n\n{text}\n\nПодробнее — в личном кабинете на Госпортале."),
            sensitive: false,
            expires_at: None,
        };
        q = outbox::enqueue_for_in(q, msg, Some(&key), Some(&wants(NoticeChannel::Email)), now, base + 2);
    }
    q
}

/// Where a push goes: the account's devices in the mobile app (the app
/// issue delivers it; until then the row waits).
pub const PUSH_RECIPIENT: &str = "app";

/// The record of an account's notification settings.
pub fn settings_id(account: &str) -> RecordId {
    RecordId::new("notify_settings", account)
}

/// Tells the outbox worker there is something to send now.
pub fn wake(state: &AppState) {
    state.outbox_wake.notify_one();
}
