//! The outbox: every message to a person is first a row, then delivered by
//! a worker with retries, and each row keeps its status.
//!
//! ```text
//!  enqueue ──► pending ──deliver ok──► sent
//!                │  ▲
//!          fails │  │ after 30 s · 2^attempts
//!                ▼  │
//!             (retry) ──5th failure──► failed
//! ```
//!
//! A worker claims due rows with a short lease, so several app servers can
//! run one worker each against the same database. The dev channel delivers
//! by keeping the row (shown at `/dev/outbox`); SMTP and the HTTP SMS gateway
//! deliver for real when configured. A sensitive body (a code) is blanked
//! after a real delivery so codes do not rest in the database.
//!
//! Push messages (`Channel::Push`) are queued like the others but the
//! worker leaves them waiting: the mobile app that receives them comes with
//! a later issue, which will deliver them.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::config::{Config, SmsGatewayConfig, SmtpConfig};
use super::db::Db;
use crate::error::AppError;
use crate::platform::db::QueryExt;

pub const MAX_ATTEMPTS: i64 = 5;
const LEASE: Duration = Duration::from_secs(60);
const BATCH: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, surrealdb::types::SurrealValue)]
#[surreal(untagged, rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
    /// A robot calls and reads the text aloud (spec 000 §2.5).
    Voice,
    /// A push to the mobile app: queued and kept waiting until the app
    /// issue delivers it; the worker never claims it.
    Push,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Voice => "voice",
            Channel::Push => "push",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "sms" => Some(Channel::Sms),
            "email" => Some(Channel::Email),
            "voice" => Some(Channel::Voice),
            "push" => Some(Channel::Push),
            _ => None,
        }
    }

    /// «SMS», «E-mail», «Звонок», «Пуш‑уведомление».
    pub fn label(s: &str) -> &'static str {
        match s {
            "sms" => "SMS",
            "email" => "E-mail",
            "voice" => "Звонок",
            "push" => "Пуш‑уведомление",
            _ => "?",
        }
    }
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub channel: Channel,
    /// A phone in +7XXXXXXXXXX form or an e-mail address.
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub sensitive: bool,
    /// A code dies at this time: a message still undelivered then is
    /// dropped (and blanked), never sent late.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct Row {
    id: RecordId,
    channel: String,
    recipient: String,
    subject: Option<String>,
    body: String,
    sensitive: bool,
    status: String,
    attempts: i64,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
}

/// What a sensitive body becomes when it was never delivered.
const BLANKED_UNSENT: &str = "(текст удалён: сообщение не доставлено)";

/// Queues a message; the worker picks it up at once if woken.
pub async fn enqueue(db: &Db, msg: NewMessage, now: DateTime<Utc>) -> Result<(), AppError> {
    enqueue_in(db.query("RETURN NONE"), msg, now, 0).exec("outbox enqueue").await?;
    Ok(())
}

/// Appends the queueing of `msg` to `q`; `n` tells apart several messages
/// in one query (bindings `o{n}_…`).
pub fn enqueue_in<'a>(q: super::db::Query<'a>, msg: NewMessage, now: DateTime<Utc>, n: usize) -> super::db::Query<'a> {
    enqueue_for_in(q, msg, None, None, now, n)
}

/// `enqueue_in` for a message to `account` (its owner sees it in
/// «Отправленные сообщения»), queued only when the SurrealQL condition
/// `when` holds at run time (the person's settings, read by the query).
pub fn enqueue_for_in<'a>(
    q: super::db::Query<'a>,
    msg: NewMessage,
    account: Option<&str>,
    when: Option<&str>,
    now: DateTime<Utc>,
    n: usize,
) -> super::db::Query<'a> {
    let p = format!("o{n}_");
    let create = format!(
        "CREATE outbox SET channel = ${p}channel, recipient = ${p}recipient, subject = ${p}subject,
            body = ${p}body, sensitive = ${p}sensitive, status = 'pending', attempts = 0,
            next_attempt_at = ${p}now, created_at = ${p}now, expires_at = ${p}expires, account = ${p}account"
    );
    let statement = match when {
        Some(cond) => format!("IF {cond} {{ {create} }}"),
        None => create,
    };
    q.query(statement)
        .bind((format!("{p}account"), account.map(str::to_string)))
        .bind((format!("{p}expires"), msg.expires_at))
        .bind((format!("{p}channel"), msg.channel.as_str().to_string()))
        .bind((format!("{p}recipient"), msg.recipient))
        .bind((format!("{p}subject"), msg.subject))
        .bind((format!("{p}body"), msg.body))
        .bind((format!("{p}sensitive"), msg.sensitive))
        .bind((format!("{p}now"), now))
}

/// A message as the dev outbox page lists it.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub id: String,
    /// «SMS», «E-mail» or «Звонок».
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    /// «ожидает отправки», «доставлено», «не доставлено»
    pub status: String,
    pub created_at: String,
}

/// The newest messages first (the dev outbox page).
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<OutboxEntry>, AppError> {
    let rows: Vec<Row> = db
        .query("SELECT * FROM outbox ORDER BY created_at DESC LIMIT $limit")
        .bind(("limit", limit))
        .all("outbox list")
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxEntry {
            id: super::db::record_key(&r.id),
            channel: Channel::label(&r.channel).to_string(),
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            status: match r.status.as_str() {
                "pending" => "ожидает отправки",
                "sent" => "доставлено",
                _ => "не доставлено",
            }
            .to_string(),
            created_at: r.created_at.format("%d.%m.%Y %H:%M:%S UTC").to_string(),
        })
        .collect())
}

/// A message sent to an account, as its owner sees it.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// `sms`, `email`, `voice`, `push`.
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    /// `None` for a sensitive message: its text is never shown again.
    pub body: Option<String>,
    /// `pending`, `sent`, `failed`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct DeliveryRow {
    channel: String,
    recipient: String,
    subject: Option<String>,
    body: String,
    sensitive: bool,
    status: String,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

/// The newest messages to `account`, newest first; a sensitive body is
/// never read out.
pub async fn for_account(db: &Db, account: &str, limit: i64) -> Result<Vec<Delivery>, AppError> {
    let rows: Vec<DeliveryRow> = db
        .query(
            "SELECT channel, recipient, subject, IF sensitive THEN '' ELSE body END AS body, sensitive, status,
                    created_at, sent_at
             FROM outbox WHERE account = $account ORDER BY created_at DESC LIMIT $limit",
        )
        .bind(("account", account.to_string()))
        .bind(("limit", limit))
        .all("outbox of an account")
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Delivery {
            channel: r.channel,
            recipient: r.recipient,
            subject: r.subject,
            body: (!r.sensitive).then_some(r.body),
            status: r.status,
            created_at: r.created_at,
            sent_at: r.sent_at,
        })
        .collect())
}

/// Something that hands a message to the outside world.
pub trait Deliver {
    /// On success, the name of the channel that took it ("dev", "smtp", "sms-gateway").
    fn deliver(
        &self,
        channel: Channel,
        recipient: &str,
        subject: Option<&str>,
        body: &str,
    ) -> impl std::future::Future<Output = Result<&'static str, String>> + Send;
}

/// Claims due messages and delivers them. Returns how many were handled.
pub async fn deliver_due<D: Deliver>(db: &Db, deliver: &D, now: DateTime<Utc>) -> Result<usize, surrealdb::Error> {
    let lease_until = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
    let mut res = db
        .query(
            "UPDATE (SELECT VALUE id FROM outbox
                     WHERE status = 'pending' AND next_attempt_at <= $now
                       AND channel != 'push'
                       AND (lease_until IS NONE OR lease_until < $now)
                     ORDER BY next_attempt_at LIMIT $batch)
             SET lease_until = $lease_until
             WHERE lease_until IS NONE OR lease_until < $now
             RETURN AFTER",
        )
        .bind(("now", now))
        .bind(("lease_until", lease_until))
        .bind(("batch", BATCH))
        .await?
        .check()?;
    let rows: Vec<Row> = res.take(0)?;
    let n = rows.len();
    for row in rows {
        let Some(channel) = Channel::parse(&row.channel) else { continue };
        if row.expires_at.is_some_and(|t| t <= now) {
            tracing::warn!(id = %super::db::record_key(&row.id), channel = row.channel, "outbox: code expired before delivery, dropped");
            db.query(
                "UPDATE $id SET status = 'failed', lease_until = NONE, last_error = 'истёк до отправки',
                    body = IF sensitive THEN $blanked ELSE body END",
            )
            .bind(("id", row.id.clone()))
            .bind(("blanked", BLANKED_UNSENT))
            .await?
            .check()?;
            continue;
        }
        let outcome = deliver.deliver(channel, &row.recipient, row.subject.as_deref(), &row.body).await;
        match outcome {
            Ok(by) => {
                let blank = row.sensitive && by != "dev";
                db.query(
                    "UPDATE $id SET status = 'sent', sent_at = $now, delivered_by = $by,
                        attempts = attempts + 1, lease_until = NONE,
                        body = IF $blank THEN '(текст удалён после отправки)' ELSE body END",
                )
                .bind(("id", row.id.clone()))
                .bind(("now", now))
                .bind(("by", by.to_string()))
                .bind(("blank", blank))
                .await?
                .check()?;
            }
            Err(error) => {
                let attempts = row.attempts + 1;
                let failed = attempts >= MAX_ATTEMPTS;
                let backoff = chrono::Duration::seconds(30 * (1_i64 << attempts.min(10)));
                tracing::warn!(id = %super::db::record_key(&row.id), channel = row.channel, attempts, %error, "outbox delivery failed");
                // A code or link that was never delivered is blanked too:
                // nobody may read it from the database later.
                db.query(
                    "UPDATE $id SET attempts = $attempts, last_error = $error, lease_until = NONE,
                        status = IF $failed THEN 'failed' ELSE 'pending' END,
                        body = IF $failed AND sensitive THEN $blanked ELSE body END,
                        next_attempt_at = $next",
                )
                .bind(("blanked", BLANKED_UNSENT))
                .bind(("id", row.id.clone()))
                .bind(("attempts", attempts))
                .bind(("error", error))
                .bind(("failed", failed))
                .bind(("next", now + backoff))
                .await?
                .check()?;
            }
        }
    }
    Ok(n)
}

/// The channels this process has: SMTP and the SMS gateway when configured,
/// otherwise the dev outbox (dev mode only; production refuses to start
/// without a real channel, see `Config`).
pub struct Channels {
    dev: bool,
    smtp: Option<(SmtpConfig, lettre::AsyncSmtpTransport<lettre::Tokio1Executor>)>,
    sms: Option<(SmsGatewayConfig, reqwest::Client)>,
}

impl Channels {
    pub fn from_config(config: &Config) -> Result<Channels, String> {
        let smtp = match &config.smtp {
            None => None,
            Some(c) => {
                let mut builder = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&c.url)
                    .map_err(|e| format!("PORTAL_SMTP_URL: {e}"))?;
                if let (Some(user), Some(pass)) = (&c.user, &c.password) {
                    builder = builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                        user.clone(),
                        pass.expose().to_string(),
                    ));
                }
                Some((c.clone(), builder.timeout(Some(Duration::from_secs(20))).build()))
            }
        };
        let sms = match &config.sms {
            None => None,
            Some(c) => {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(15))
                    .build()
                    .map_err(|e| format!("PORTAL_SMS_GATEWAY_URL: {e}"))?;
                Some((c.clone(), client))
            }
        };
        Ok(Channels { dev: config.mode.is_dev(), smtp, sms })
    }

    async fn send_email(
        &self,
        smtp: &(SmtpConfig, lettre::AsyncSmtpTransport<lettre::Tokio1Executor>),
        to: &str,
        subject: Option<&str>,
        body: &str,
    ) -> Result<&'static str, String> {
        use lettre::AsyncTransport;
        let (config, transport) = smtp;
        let message = lettre::Message::builder()
            .from(config.from.parse().map_err(|e| format!("from: {e}"))?)
            .to(to.parse().map_err(|e| format!("to: {e}"))?)
            .subject(subject.unwrap_or("Госпортал"))
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| e.to_string())?;
        transport.send(message).await.map_err(|e| e.to_string())?;
        Ok("smtp")
    }

    async fn send_sms(
        &self,
        sms: &(SmsGatewayConfig, reqwest::Client),
        kind: Channel,
        to: &str,
        body: &str,
    ) -> Result<&'static str, String> {
        let (config, client) = sms;
        let mut req =
            client.post(&config.url).json(&serde_json::json!({ "to": to, "text": body, "kind": kind.as_str() }));
        if let Some(token) = &config.token {
            req = req.bearer_auth(token.expose());
        }
        let res = req.send().await.map_err(|e| e.to_string())?;
        if res.status().is_success() { Ok("sms-gateway") } else { Err(format!("gateway answered {}", res.status())) }
    }
}

impl Deliver for Channels {
    async fn deliver(
        &self,
        channel: Channel,
        recipient: &str,
        subject: Option<&str>,
        body: &str,
    ) -> Result<&'static str, String> {
        match channel {
            Channel::Email => match &self.smtp {
                Some(smtp) => self.send_email(smtp, recipient, subject, body).await,
                None if self.dev => Ok("dev"),
                None => Err("e-mail channel is not configured".into()),
            },
            Channel::Sms | Channel::Voice => match &self.sms {
                Some(sms) => self.send_sms(sms, channel, recipient, body).await,
                None if self.dev => Ok("dev"),
                None => Err("SMS gateway is not configured".into()),
            },
            // Never claimed by the worker (see `deliver_due`).
            Channel::Push => Err("push is delivered by the mobile app (not yet)".into()),
        }
    }
}

/// Delivers queued messages until the process ends: at once when woken by
/// `enqueue`'s caller, and every second for retries that came due.
pub async fn run_worker(db: Arc<Db>, channels: Channels, wake: Arc<tokio::sync::Notify>) {
    loop {
        match deliver_due(&db, &channels, super::clock::now()).await {
            Ok(n) if n == BATCH as usize => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!("outbox worker: {e}"),
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::platform::db;

    struct Recorder {
        fail: bool,
        seen: Mutex<Vec<(Channel, String)>>,
    }

    impl Deliver for Recorder {
        async fn deliver(
            &self,
            channel: Channel,
            recipient: &str,
            _: Option<&str>,
            _: &str,
        ) -> Result<&'static str, String> {
            self.seen.lock().unwrap().push((channel, recipient.to_string()));
            if self.fail { Err("gateway down".into()) } else { Ok("smtp") }
        }
    }

    fn msg(channel: Channel, to: &str, sensitive: bool) -> NewMessage {
        NewMessage {
            channel,
            recipient: to.into(),
            subject: None,
            body: "Код: 123456".into(),
            sensitive,
            expires_at: None,
        }
    }

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z").unwrap().with_timezone(&Utc)
    }

    #[tokio::test]
    async fn queued_message_is_delivered_once_and_listed_newest_first() {
        let db = db::memory().await.unwrap();
        enqueue(&db, msg(Channel::Sms, "+79161234567", false), t0()).await.unwrap();
        enqueue(&db, msg(Channel::Email, "a@example.ru", false), t0() + chrono::Duration::seconds(1)).await.unwrap();
        let rec = Recorder { fail: false, seen: Mutex::new(Vec::new()) };
        assert_eq!(deliver_due(&db, &rec, t0() + chrono::Duration::seconds(2)).await.unwrap(), 2);
        assert_eq!(deliver_due(&db, &rec, t0() + chrono::Duration::seconds(3)).await.unwrap(), 0);
        assert_eq!(rec.seen.lock().unwrap().len(), 2);
        let list = latest(&db, 10).await.unwrap();
        assert_eq!(list[0].recipient, "a@example.ru");
        assert_eq!(list[0].channel, "E-mail");
        assert!(list.iter().all(|m| m.status == "доставлено"));
    }

    #[tokio::test]
    async fn sensitive_text_is_blanked_after_a_real_delivery() {
        let db = db::memory().await.unwrap();
        enqueue(&db, msg(Channel::Sms, "+79161234567", true), t0()).await.unwrap();
        let rec = Recorder { fail: false, seen: Mutex::new(Vec::new()) };
        deliver_due(&db, &rec, t0()).await.unwrap();
        let list = latest(&db, 10).await.unwrap();
        assert!(!list[0].body.contains("123456"));
    }

    #[tokio::test]
    async fn failures_are_retried_with_backoff_then_marked_failed() {
        let db = db::memory().await.unwrap();
        enqueue(&db, msg(Channel::Voice, "+79161234567", false), t0()).await.unwrap();
        let rec = Recorder { fail: true, seen: Mutex::new(Vec::new()) };
        let mut now = t0();
        assert_eq!(deliver_due(&db, &rec, now).await.unwrap(), 1);
        // Not due again until the backoff has passed.
        assert_eq!(deliver_due(&db, &rec, now + chrono::Duration::seconds(30)).await.unwrap(), 0);
        for _ in 1..MAX_ATTEMPTS {
            now += chrono::Duration::hours(2);
            assert_eq!(deliver_due(&db, &rec, now).await.unwrap(), 1);
        }
        now += chrono::Duration::days(1);
        assert_eq!(deliver_due(&db, &rec, now).await.unwrap(), 0);
        assert_eq!(rec.seen.lock().unwrap().len() as i64, MAX_ATTEMPTS);
        assert_eq!(latest(&db, 1).await.unwrap()[0].status, "не доставлено");
    }

    #[tokio::test]
    async fn an_undelivered_code_is_blanked_when_it_finally_fails_or_expires() {
        let db = db::memory().await.unwrap();
        let rec = Recorder { fail: true, seen: Mutex::new(Vec::new()) };
        enqueue(&db, msg(Channel::Sms, "+79161234567", true), t0()).await.unwrap();
        let mut now = t0();
        for _ in 0..MAX_ATTEMPTS {
            deliver_due(&db, &rec, now).await.unwrap();
            now += chrono::Duration::hours(2);
        }
        let list = latest(&db, 1).await.unwrap();
        assert_eq!(list[0].status, "не доставлено");
        assert!(!list[0].body.contains("123456"), "{}", list[0].body);

        // A code that expires while it waits is dropped, not sent late.
        let db = db::memory().await.unwrap();
        let ok = Recorder { fail: false, seen: Mutex::new(Vec::new()) };
        let expires_at = Some(t0() + chrono::Duration::minutes(10));
        let m = NewMessage { expires_at, ..msg(Channel::Sms, "+79161234567", true) };
        enqueue(&db, m, t0()).await.unwrap();
        deliver_due(&db, &ok, t0() + chrono::Duration::minutes(11)).await.unwrap();
        assert!(ok.seen.lock().unwrap().is_empty(), "sent after it expired");
        let list = latest(&db, 1).await.unwrap();
        assert_eq!(list[0].status, "не доставлено");
        assert!(!list[0].body.contains("123456"));
    }
}
