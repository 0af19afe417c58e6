//! The exchange with external systems (state registries today, the
//! payments system later), shaped like СМЭВ 3: a request is a row first,
//! with a message id made once and sent again unchanged on every retry (so
//! the other side can tell a repeat from a new request); answers come back
//! asynchronously, each with its own id and the id of the request it
//! answers; an answer is applied once (the inbox is keyed by the answer's
//! id) and acknowledged only after that, so a repeated or redelivered
//! answer is acknowledged and ignored.
//!
//! ```text
//!            accepted                    answer
//!  queued ──────────────► sent ───────────────────────► answered
//!   ▲  │                    │
//!   │  │ send failed        │ no answer within the wait
//!   │  │ (attempt < N)      │ (attempt < N): the same message id again
//!   └──┴────────────────────┘
//!      │ send failed, N-th      │ no answer after the N-th send
//!      ▼                        ▼
//!    failed                 timed_out
//!
//!  queued | sent ── refused by the exchange or the system ──► rejected
//!  queued ── answer to an earlier send ──► answered
//! ```
//!
//! Retries wait `retry_after · 2^(attempt−1)` (at most `retry_max`), with
//! ±25 % jitter so many requests failing together do not come back
//! together. Every change of state is computed by `transition` (pure) and
//! written with a check of the state and attempt it was computed from.
//!
//! A worker per kind of external system (`run_worker`) claims due requests
//! with one atomic `UPDATE` (a lease), so several app servers can run one
//! each against the same database. It never interprets answers: when a
//! request reaches a final state it hands the row to the area's
//! `Consumer` (again after a restart, until the consumer has taken it), so
//! a consumer must be idempotent. The outside world is a `Transport`: a
//! simulation in development and tests, a real СМЭВ adapter later.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::{Db, Query, QueryExt, record_key};
use super::exchange_settings::ExchangeSettings;
use super::request::internal;
use crate::error::AppError;

/// Rows claimed, answers read or settled requests handed over per round.
const BATCH: i64 = 20;
/// A claimed request is sent by its claimer only until then.
const LEASE: TimeDelta = TimeDelta::seconds(30);
/// How often an idle worker looks for due requests and answers.
const POLL: Duration = Duration::from_millis(1000);

/// The longest one call to the outside system may take: a transport that
/// hangs must not hold the worker (a claimed batch of 20 stays well inside
/// its lease).
const CALL_TIMEOUT: Duration = Duration::from_millis(1200);

/// Where a request is (see the module drawing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, SurrealValue)]
#[surreal(untagged, rename_all = "snake_case")]
pub enum ExchangeState {
    Queued,
    Sent,
    Answered,
    Rejected,
    Failed,
    TimedOut,
}

impl ExchangeState {
    pub const ALL: [ExchangeState; 6] = [
        ExchangeState::Queued,
        ExchangeState::Sent,
        ExchangeState::Answered,
        ExchangeState::Rejected,
        ExchangeState::Failed,
        ExchangeState::TimedOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeState::Queued => "queued",
            ExchangeState::Sent => "sent",
            ExchangeState::Answered => "answered",
            ExchangeState::Rejected => "rejected",
            ExchangeState::Failed => "failed",
            ExchangeState::TimedOut => "timed_out",
        }
    }

    /// Nothing changes a request in a final state.
    pub fn is_final(self) -> bool {
        !matches!(self, ExchangeState::Queued | ExchangeState::Sent)
    }
}

/// What happened to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The exchange took the request (СМЭВ's acceptance).
    Accepted,
    /// The send did not go through: a transport error, or no acceptance in
    /// time (it may have arrived anyway: the retry has the same message id).
    SendFailed,
    /// The exchange or the receiving system refused the request for good.
    Refused,
    /// The answer came.
    Answered,
    /// No answer within the wait after the send was accepted.
    AnswerOverdue,
}

/// What an event does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Move to this state.
    To(ExchangeState),
    /// Back to `queued`, to be sent again after a backoff.
    Retry,
    /// Nothing changes (an event that comes late or twice).
    Stay,
}

/// The next step of a request in `state` after `event`; `attempts` is the
/// number of sends made so far (the current one included), `max` the
/// number allowed.
pub fn transition(state: ExchangeState, event: Event, attempts: u32, max: u32) -> Step {
    use ExchangeState::*;
    match (state, event) {
        (Queued, Event::Accepted) => Step::To(Sent),
        (Queued, Event::SendFailed) if attempts < max => Step::Retry,
        (Queued, Event::SendFailed) => Step::To(Failed),
        (Sent, Event::AnswerOverdue) if attempts < max => Step::Retry,
        (Sent, Event::AnswerOverdue) => Step::To(TimedOut),
        // An answer to an earlier send may come after a resend was queued.
        (Queued | Sent, Event::Answered) => Step::To(Answered),
        (Queued | Sent, Event::Refused) => Step::To(Rejected),
        _ => Step::Stay,
    }
}

/// The wait before the next send after the `attempt`-th (1-based) did not
/// bring an answer: `retry_after · 2^(attempt−1)`, at most `retry_max`,
/// times a jitter factor from 0.75 to 1.25 chosen by `jitter` (0 to 1).
pub fn backoff(attempt: u32, retry_after: TimeDelta, retry_max: TimeDelta, jitter: f64) -> TimeDelta {
    let base = retry_after.num_milliseconds().max(1) as f64;
    let grown = base * 2f64.powi(attempt.saturating_sub(1).min(30) as i32);
    let capped = grown.min(retry_max.num_milliseconds() as f64);
    let factor = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
    TimeDelta::milliseconds((capped * factor) as i64)
}

/// A request as stored. Its record key is the message id.
#[derive(Debug, Clone, SurrealValue)]
pub struct RequestRow {
    pub id: RecordId,
    /// Which external system and kind of request («pfr.snils»).
    pub system: String,
    /// What the request belongs to, for the consumer (a check's key).
    pub subject: String,
    /// The request as the system reads it (JSON).
    pub payload: String,
    pub state: ExchangeState,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    /// The answer (JSON), once answered.
    pub answer: Option<String>,
    /// Why the last send failed, or why the request was refused.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
}

impl RequestRow {
    pub fn message_id(&self) -> String {
        record_key(&self.id)
    }
}

fn request_rid(message_id: &str) -> RecordId {
    RecordId::new("exchange_request", message_id.to_string())
}

/// A new message id (a time-ordered UUID; СМЭВ 3 itself wants version 1,
/// which a real adapter would map to), made once per request and kept for
/// all its sends.
pub fn new_message_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A request to queue.
#[derive(Debug, Clone)]
pub struct NewRequest<'s> {
    pub message_id: &'s str,
    pub system: &'s str,
    pub subject: &'s str,
    pub payload: String,
}

/// Appends the queueing of `r` to `q` (for the caller's transaction); `n`
/// keeps its bindings apart from others in the same query. Call the
/// worker's wake-up after the query ran.
pub fn enqueue_in<'a>(q: Query<'a>, n: usize, r: NewRequest<'_>, now: DateTime<Utc>) -> Query<'a> {
    let v = format!("ex{n}");
    q.query(format!(
        "CREATE ${v}_id SET system = ${v}_system, subject = ${v}_subject, payload = ${v}_payload,
            state = 'queued', attempts = 0, next_attempt_at = ${v}_now, created_at = ${v}_now"
    ))
    .bind((format!("{v}_id"), request_rid(r.message_id)))
    .bind((format!("{v}_system"), r.system.to_string()))
    .bind((format!("{v}_subject"), r.subject.to_string()))
    .bind((format!("{v}_payload"), r.payload))
    .bind((format!("{v}_now"), now))
}

/// The requests made for `subject`, oldest first.
pub async fn of_subject(db: &Db, subject: &str) -> Result<Vec<RequestRow>, AppError> {
    db.query("SELECT * FROM exchange_request WHERE subject = $subject ORDER BY created_at, system")
        .bind(("subject", subject.to_string()))
        .all("exchange requests of a subject")
        .await
}

pub async fn load(db: &Db, message_id: &str) -> Result<Option<RequestRow>, AppError> {
    db.query("SELECT * FROM ONLY $id").bind(("id", request_rid(message_id))).one("exchange request").await
}

// ---------------------------------------------------------------- the outside

/// A request as the transport sends it.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    pub message_id: &'a str,
    pub system: &'a str,
    pub payload: &'a str,
}

/// Why a send did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// No acceptance in time: the request may or may not have arrived.
    Timeout,
    /// The exchange could not be reached or answered with an error.
    Unavailable(String),
    /// The exchange refused the request for good (malformed, no access).
    Refused(String),
}

/// What came back for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The system's answer (JSON), whatever it says.
    Answer(String),
    /// The system refused to process the request, with its reason.
    Refused(String),
}

/// An answer waiting at the exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The answer's own message id (acknowledged by it).
    pub id: String,
    /// The message id of the request it answers.
    pub reply_to: String,
    pub reply: Reply,
}

/// The exchange as the portal sees it. A real СМЭВ adapter (signed SOAP
/// messages) implements the same three calls; the simulation takes `now`
/// so tests can move its clock, a real adapter ignores it.
pub trait Transport: Send + Sync {
    /// Hands a request over. The same message id may come again (a retry):
    /// the other side treats it as the same request.
    fn send(&self, request: Outgoing<'_>, now: DateTime<Utc>) -> impl Future<Output = Result<(), SendError>> + Send;
    /// Answers waiting for the portal. One not acknowledged is delivered
    /// again later.
    fn receive(&self, now: DateTime<Utc>) -> impl Future<Output = Result<Vec<Incoming>, String>> + Send;
    /// The answer `id` was taken: do not deliver it again.
    fn acknowledge(&self, id: &str, now: DateTime<Utc>) -> impl Future<Output = Result<(), String>> + Send;
}

/// The area that made requests of some systems and acts on their outcome.
pub trait Consumer: Send + Sync {
    /// `request` reached a final state. May be called again for the same
    /// request (after a crash, or when it failed before): must change
    /// nothing the second time.
    fn settled(
        &self,
        db: &Db,
        request: &RequestRow,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), AppError>> + Send;
}

// ---------------------------------------------------------------- the worker

/// The columns a step writes.
struct Write {
    to: ExchangeState,
    next_attempt_at: Option<DateTime<Utc>>,
    answer_due_at: Option<DateTime<Utc>>,
    error: Option<String>,
}

/// Writes a step computed from (`from`, `attempts`); `false` when the
/// request has moved meanwhile (the step is then dropped).
async fn write(
    db: &Db,
    id: &RecordId,
    from: ExchangeState,
    attempts: i64,
    w: Write,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let settled = w.to.is_final().then_some(now);
    let moved: Vec<RecordId> = db
        .query(
            "UPDATE $id SET state = $to, lease_until = NONE,
                next_attempt_at = IF $next = NONE THEN next_attempt_at ELSE $next END,
                answer_due_at = $due, error = IF $error = NONE THEN error ELSE $error END,
                settled_at = $settled
             WHERE state = $from AND attempts = $attempts
             RETURN VALUE id",
        )
        .bind(("id", id.clone()))
        .bind(("to", w.to))
        .bind(("next", w.next_attempt_at))
        .bind(("due", w.answer_due_at))
        .bind(("error", w.error))
        .bind(("settled", settled))
        .bind(("from", from))
        .bind(("attempts", attempts))
        .all("exchange step")
        .await?;
    Ok(!moved.is_empty())
}

fn jitter() -> f64 {
    use rand::Rng;
    rand::rng().random()
}

/// The columns of `step` for a request that was sent `attempts` times.
fn write_of(
    step: Step,
    attempts: i64,
    error: Option<String>,
    s: &ExchangeSettings,
    now: DateTime<Utc>,
) -> Option<Write> {
    match step {
        Step::Stay => None,
        Step::Retry => {
            let wait = backoff(u32::try_from(attempts).unwrap_or(u32::MAX), s.retry_after, s.retry_max, jitter());
            Some(Write { to: ExchangeState::Queued, next_attempt_at: Some(now + wait), answer_due_at: None, error })
        }
        Step::To(ExchangeState::Sent) => Some(Write {
            to: ExchangeState::Sent,
            next_attempt_at: None,
            answer_due_at: Some(now + s.answer_wait),
            error,
        }),
        Step::To(to) => Some(Write { to, next_attempt_at: None, answer_due_at: None, error }),
    }
}

fn max_attempts(s: &ExchangeSettings) -> u32 {
    s.attempts.max(1)
}

/// Claims the due queued requests of `systems` (one atomic `UPDATE`: a row
/// claimed by another worker is not claimed again until its lease ends),
/// counts the send and sends each. Returns how many were sent.
pub async fn send_due<T: Transport>(
    db: &Db,
    transport: &T,
    systems: &[&str],
    s: &ExchangeSettings,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let claimed: Vec<RequestRow> = db
        .query(
            "UPDATE (SELECT VALUE id FROM exchange_request
                     WHERE state = 'queued' AND system IN $systems AND next_attempt_at <= $now
                       AND (lease_until IS NONE OR lease_until < $now)
                     ORDER BY next_attempt_at LIMIT $batch)
             SET lease_until = $lease, attempts += 1, last_sent_at = $now
             WHERE state = 'queued' AND (lease_until IS NONE OR lease_until < $now)
             RETURN AFTER",
        )
        .bind(("systems", systems.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
        .bind(("now", now))
        .bind(("lease", now + LEASE))
        .bind(("batch", BATCH))
        .all("exchange claim")
        .await?;
    for row in &claimed {
        let id = row.message_id();
        let out = Outgoing { message_id: &id, system: &row.system, payload: &row.payload };
        let sent =
            tokio::time::timeout(CALL_TIMEOUT, transport.send(out, now)).await.unwrap_or(Err(SendError::Timeout));
        let (event, error) = match sent {
            Ok(()) => (Event::Accepted, None),
            Err(SendError::Timeout) => (Event::SendFailed, Some("нет подтверждения приёма".to_string())),
            Err(SendError::Unavailable(e)) => (Event::SendFailed, Some(e)),
            Err(SendError::Refused(e)) => (Event::Refused, Some(e)),
        };
        if let Some(e) = &error {
            tracing::warn!(message_id = %id, system = %row.system, attempts = row.attempts, "exchange send: {e}");
        }
        let step = transition(row.state, event, u32::try_from(row.attempts).unwrap_or(u32::MAX), max_attempts(s));
        if let Some(w) = write_of(step, row.attempts, error, s, now) {
            write(db, &row.id, row.state, row.attempts, w, now).await?;
        }
    }
    Ok(claimed.len())
}

/// Sent requests whose answer is overdue go back to the queue (the same
/// message id), or end as timed out after the last send. Returns how many.
pub async fn overdue(db: &Db, systems: &[&str], s: &ExchangeSettings, now: DateTime<Utc>) -> Result<usize, AppError> {
    let rows: Vec<RequestRow> = db
        .query(
            "SELECT * FROM exchange_request
             WHERE state = 'sent' AND system IN $systems AND answer_due_at <= $now
             LIMIT $batch",
        )
        .bind(("systems", systems.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
        .bind(("now", now))
        .bind(("batch", BATCH))
        .all("exchange overdue")
        .await?;
    for row in &rows {
        let step = transition(
            row.state,
            Event::AnswerOverdue,
            u32::try_from(row.attempts).unwrap_or(u32::MAX),
            max_attempts(s),
        );
        tracing::warn!(message_id = %row.message_id(), system = %row.system, attempts = row.attempts, ?step, "exchange: no answer in time");
        if let Some(w) = write_of(step, row.attempts, Some("нет ответа в срок".to_string()), s, now) {
            write(db, &row.id, row.state, row.attempts, w, now).await?;
        }
    }
    Ok(rows.len())
}

/// What became of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Taken: the request moved to this state.
    New(ExchangeState),
    /// This answer was taken before.
    Duplicate,
    /// An answer to a request that already has its final state.
    Late,
    /// An answer to no request of ours.
    Unknown,
}

/// Takes one answer, at most once: the inbox row (keyed by the answer's
/// id) and the request's new state are written in one transaction, and
/// only if the request is still where the step was computed from.
pub async fn apply(
    db: &Db,
    incoming: &Incoming,
    s: &ExchangeSettings,
    now: DateTime<Utc>,
) -> Result<Applied, AppError> {
    let inbox = RecordId::new("exchange_inbox", incoming.id.clone());
    let (event, answer, reason) = match &incoming.reply {
        Reply::Answer(p) => (Event::Answered, Some(p.clone()), None),
        Reply::Refused(r) => (Event::Refused, None, Some(r.clone())),
    };
    for _ in 0..10 {
        let seen: Option<RecordId> =
            db.query("SELECT VALUE id FROM ONLY $id").bind(("id", inbox.clone())).one("exchange inbox").await?;
        if seen.is_some() {
            return Ok(Applied::Duplicate);
        }
        let request = load(db, &incoming.reply_to).await?;
        let step = match &request {
            Some(r) => transition(r.state, event, u32::try_from(r.attempts).unwrap_or(u32::MAX), max_attempts(s)),
            None => Step::Stay,
        };
        let (Some(request), Step::To(to)) = (&request, step) else {
            // Kept too, so a second delivery is a plain duplicate.
            let outcome = if request.is_some() { Applied::Late } else { Applied::Unknown };
            let kept = db
                .query("CREATE $id SET reply_to = $reply_to, outcome = $outcome, received_at = $now")
                .bind(("id", inbox.clone()))
                .bind(("reply_to", incoming.reply_to.clone()))
                .bind(("outcome", if outcome == Applied::Late { "late" } else { "unknown" }))
                .bind(("now", now))
                .exec_unless_taken("exchange inbox")
                .await?;
            if kept {
                tracing::warn!(answer = %incoming.id, reply_to = %incoming.reply_to, ?outcome, "exchange: answer not applied");
            }
            return Ok(if kept { outcome } else { Applied::Duplicate });
        };
        let res = db
            .query(
                "BEGIN;
                 LET $moved = (UPDATE $req SET state = $to, answer = $answer, answer_id = $answer_id,
                        error = IF $reason = NONE THEN error ELSE $reason END,
                        settled_at = $now, answer_due_at = NONE, lease_until = NONE
                     WHERE state = $from AND attempts = $attempts RETURN VALUE id);
                 IF array::len($moved) > 0 {
                     CREATE $inbox SET reply_to = $reply_to, outcome = 'applied', received_at = $now;
                 };
                 RETURN array::len($moved);
                 COMMIT;",
            )
            .bind(("req", request.id.clone()))
            .bind(("to", to))
            .bind(("answer", answer.clone()))
            .bind(("answer_id", incoming.id.clone()))
            .bind(("reason", reason.clone()))
            .bind(("now", now))
            .bind(("from", request.state))
            .bind(("attempts", request.attempts))
            .bind(("inbox", inbox.clone()))
            .bind(("reply_to", incoming.reply_to.clone()))
            .await;
        // A conflict, the inbox row written by someone else, or the request
        // moved: look again from the start.
        let Ok(mut res) = res else { continue };
        if !res.take_errors().is_empty() {
            continue;
        }
        // BEGIN, LET, IF, RETURN: the count is statement 3.
        let moved: Option<i64> = res.take(3).map_err(|e| internal("exchange apply", e))?;
        if moved.unwrap_or(0) > 0 {
            return Ok(Applied::New(to));
        }
    }
    Err(internal("exchange apply", format!("answer {} kept racing", incoming.id)))
}

/// Reads the waiting answers, applies each at most once and acknowledges
/// it after that (a duplicate too). Returns how many were read.
pub async fn receive<T: Transport>(
    db: &Db,
    transport: &T,
    s: &ExchangeSettings,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let answers = match tokio::time::timeout(CALL_TIMEOUT, transport.receive(now)).await {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => {
            tracing::warn!("exchange receive: {e}");
            return Ok(0);
        }
        Err(_) => {
            tracing::warn!("exchange receive: no answer in time");
            return Ok(0);
        }
    };
    for incoming in &answers {
        // Not acknowledged unless applied: the exchange delivers it again.
        // One answer that cannot be applied does not hold up the others.
        let applied = match apply(db, incoming, s, now).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(answer = %incoming.id, "exchange apply: {e}");
                continue;
            }
        };
        if applied == Applied::Duplicate {
            tracing::info!(answer = %incoming.id, "exchange: duplicate answer acknowledged and ignored");
        }
        match tokio::time::timeout(CALL_TIMEOUT, transport.acknowledge(&incoming.id, now)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(answer = %incoming.id, "exchange acknowledge: {e}"),
            Err(_) => tracing::warn!(answer = %incoming.id, "exchange acknowledge: no answer in time"),
        }
    }
    Ok(answers.len())
}

/// Hands the requests of `systems` that reached a final state to the
/// consumer, until it has taken each (then `consumed_at` is set).
pub async fn hand_over<C: Consumer>(
    db: &Db,
    consumer: &C,
    systems: &[&str],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let rows: Vec<RequestRow> = db
        .query(
            "SELECT * FROM exchange_request
             WHERE consumed_at IS NONE AND system IN $systems AND state IN $finals
             ORDER BY settled_at LIMIT $batch",
        )
        .bind(("systems", systems.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
        .bind(("finals", ExchangeState::ALL.into_iter().filter(|s| s.is_final()).collect::<Vec<_>>()))
        .bind(("batch", BATCH))
        .all("exchange settled")
        .await?;
    let mut done = 0;
    for row in &rows {
        match consumer.settled(db, row, now).await {
            Ok(()) => {
                db.query("UPDATE $id SET consumed_at = $now")
                    .bind(("id", row.id.clone()))
                    .bind(("now", now))
                    .exec("exchange consumed")
                    .await?;
                done += 1;
            }
            // Tried again next round.
            Err(e) => tracing::warn!(message_id = %row.message_id(), "exchange consumer: {e}"),
        }
    }
    Ok(done)
}

/// One round of the worker: send what is due, take the answers, requeue
/// the overdue, hand the settled over. Returns how much was done.
pub async fn round<T: Transport, C: Consumer>(
    db: &Db,
    transport: &T,
    consumer: &C,
    systems: &[&str],
    s: &ExchangeSettings,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    // Each phase on its own: a failure of one (a claim lost to another
    // server, a transport that is down) must not skip the others.
    let phase = |what: &str, r: Result<usize, AppError>| match r {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!("exchange worker, {what}: {e}");
            0
        }
    };
    let sent = phase("send", send_due(db, transport, systems, s, now).await);
    // Answers read are not work done (a transport may deliver duplicates
    // again and again): they do not make the worker run again at once.
    let _received = phase("receive", receive(db, transport, s, now).await);
    let overdue = phase("overdue", overdue(db, systems, s, now).await);
    let handed = phase("hand over", hand_over(db, consumer, systems, now).await);
    Ok(sent + overdue + handed)
}

/// Runs rounds until the process ends: at once when woken (a request was
/// queued), else every second.
pub async fn run_worker<T: Transport, C: Consumer>(
    db: Arc<Db>,
    transport: T,
    consumer: C,
    systems: &'static [&'static str],
    settings: ExchangeSettings,
    wake: Arc<tokio::sync::Notify>,
) {
    loop {
        match round(&db, &transport, &consumer, systems, &settings, super::clock::now()).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!("exchange worker: {e}"),
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::collections::VecDeque;
    use std::sync::Mutex;

    use super::*;
    use crate::platform::db;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z").unwrap().with_timezone(&Utc)
    }

    #[test]
    fn every_state_is_reached_only_by_its_events() {
        use ExchangeState::*;
        assert_eq!(transition(Queued, Event::Accepted, 1, 3), Step::To(Sent));
        assert_eq!(transition(Queued, Event::SendFailed, 1, 3), Step::Retry);
        assert_eq!(transition(Queued, Event::SendFailed, 3, 3), Step::To(Failed));
        assert_eq!(transition(Sent, Event::AnswerOverdue, 2, 3), Step::Retry);
        assert_eq!(transition(Sent, Event::AnswerOverdue, 3, 3), Step::To(TimedOut));
        assert_eq!(transition(Sent, Event::Answered, 1, 3), Step::To(Answered));
        assert_eq!(transition(Queued, Event::Answered, 2, 3), Step::To(Answered));
        assert_eq!(transition(Sent, Event::Refused, 1, 3), Step::To(Rejected));
        assert_eq!(transition(Sent, Event::Accepted, 1, 3), Step::Stay);
        assert_eq!(transition(Queued, Event::AnswerOverdue, 1, 3), Step::Stay);
        for s in ExchangeState::ALL.into_iter().filter(|s| s.is_final()) {
            for e in [Event::Accepted, Event::SendFailed, Event::Refused, Event::Answered, Event::AnswerOverdue] {
                assert_eq!(transition(s, e, 1, 3), Step::Stay, "{s:?} {e:?}");
            }
        }
    }

    #[test]
    fn retries_wait_longer_each_time_with_jitter_and_a_cap() {
        let (first, max) = (TimeDelta::seconds(2), TimeDelta::seconds(60));
        assert_eq!(backoff(1, first, max, 0.5), TimeDelta::seconds(2));
        assert_eq!(backoff(2, first, max, 0.5), TimeDelta::seconds(4));
        assert_eq!(backoff(4, first, max, 0.5), TimeDelta::seconds(16));
        assert_eq!(backoff(20, first, max, 0.5), TimeDelta::seconds(60));
        assert_eq!(backoff(1, first, max, 0.0), TimeDelta::milliseconds(1500));
        assert_eq!(backoff(1, first, max, 1.0), TimeDelta::milliseconds(2500));
    }

    /// A transport that does what the test tells it, and records every send.
    #[derive(Default)]
    struct Scripted {
        /// Outcomes of the next sends (Ok when empty).
        sends: Mutex<VecDeque<Result<(), SendError>>>,
        sent: Mutex<Vec<String>>,
        waiting: Mutex<Vec<Incoming>>,
        acked: Mutex<Vec<String>>,
    }

    impl Transport for Scripted {
        async fn send(&self, r: Outgoing<'_>, _: DateTime<Utc>) -> Result<(), SendError> {
            self.sent.lock().unwrap().push(r.message_id.to_string());
            self.sends.lock().unwrap().pop_front().unwrap_or(Ok(()))
        }
        async fn receive(&self, _: DateTime<Utc>) -> Result<Vec<Incoming>, String> {
            Ok(self.waiting.lock().unwrap().clone())
        }
        async fn acknowledge(&self, id: &str, _: DateTime<Utc>) -> Result<(), String> {
            self.acked.lock().unwrap().push(id.to_string());
            self.waiting.lock().unwrap().retain(|i| i.id != id);
            Ok(())
        }
    }

    #[derive(Default)]
    struct Recorder(Mutex<Vec<(String, ExchangeState)>>);

    impl Consumer for Recorder {
        async fn settled(&self, _: &Db, r: &RequestRow, _: DateTime<Utc>) -> Result<(), AppError> {
            self.0.lock().unwrap().push((r.message_id(), r.state));
            Ok(())
        }
    }

    const SYSTEMS: &[&str] = &["test.registry"];

    fn settings() -> ExchangeSettings {
        ExchangeSettings { attempts: 3, ..ExchangeSettings::default() }
    }

    async fn queued(db: &Db) -> String {
        let id = new_message_id();
        let r = NewRequest { message_id: &id, system: SYSTEMS[0], subject: "s1", payload: "{}".into() };
        enqueue_in(db.query("BEGIN"), 0, r, t0()).query("COMMIT").exec("test enqueue").await.unwrap();
        id
    }

    fn answer(id: &str, to: &str) -> Incoming {
        Incoming { id: id.into(), reply_to: to.into(), reply: Reply::Answer("{\"found\":true}".into()) }
    }

    #[tokio::test]
    async fn states_are_stored_by_their_names() {
        let db = db::memory().await.unwrap();
        let id = queued(&db).await;
        for s in ExchangeState::ALL {
            db.query("UPDATE $id SET state = $s")
                .bind(("id", request_rid(&id)))
                .bind(("s", s))
                .await
                .unwrap()
                .check()
                .unwrap();
            let name: Option<String> = db
                .query("SELECT VALUE state FROM ONLY $id")
                .bind(("id", request_rid(&id)))
                .await
                .unwrap()
                .take(0)
                .unwrap();
            assert_eq!(name.as_deref(), Some(s.as_str()));
            assert_eq!(load(&db, &id).await.unwrap().unwrap().state, s);
        }
    }

    /// A transport whose every call hangs.
    struct Hanging;

    impl Transport for Hanging {
        async fn send(&self, _: Outgoing<'_>, _: DateTime<Utc>) -> Result<(), SendError> {
            std::future::pending().await
        }
        async fn receive(&self, _: DateTime<Utc>) -> Result<Vec<Incoming>, String> {
            std::future::pending().await
        }
        async fn acknowledge(&self, _: &str, _: DateTime<Utc>) -> Result<(), String> {
            std::future::pending().await
        }
    }

    #[tokio::test]
    async fn a_transport_that_hangs_does_not_hold_the_worker() {
        let db = db::memory().await.unwrap();
        let id = queued(&db).await;
        let s = settings();
        let round = tokio::time::timeout(
            Duration::from_secs(10),
            round(&db, &Hanging, &Recorder::default(), SYSTEMS, &s, t0()),
        )
        .await;
        assert!(round.is_ok(), "the round waited on the transport");
        // The send counts as not accepted: retried later with the same id.
        let row = load(&db, &id).await.unwrap().unwrap();
        assert_eq!(row.state, ExchangeState::Queued, "{row:?}");
        assert_eq!(row.attempts, 1);
    }

    #[tokio::test]
    async fn a_send_that_times_out_is_retried_later_with_the_same_message_id() {
        let db = db::memory().await.unwrap();
        let t = Scripted::default();
        t.sends.lock().unwrap().push_back(Err(SendError::Timeout));
        let id = queued(&db).await;
        let s = settings();
        assert_eq!(send_due(&db, &t, SYSTEMS, &s, t0()).await.unwrap(), 1);
        let row = load(&db, &id).await.unwrap().unwrap();
        assert_eq!((row.state, row.attempts), (ExchangeState::Queued, 1));
        // Not before the backoff.
        assert_eq!(send_due(&db, &t, SYSTEMS, &s, t0() + TimeDelta::seconds(1)).await.unwrap(), 0);
        let later = t0() + TimeDelta::seconds(3);
        assert_eq!(send_due(&db, &t, SYSTEMS, &s, later).await.unwrap(), 1);
        assert_eq!(*t.sent.lock().unwrap(), vec![id.clone(), id.clone()]);
        let row = load(&db, &id).await.unwrap().unwrap();
        assert_eq!((row.state, row.attempts), (ExchangeState::Sent, 2));
    }

    #[tokio::test]
    async fn an_answer_is_applied_once_and_a_duplicate_is_acknowledged_and_ignored() {
        let db = db::memory().await.unwrap();
        let t = Scripted::default();
        let id = queued(&db).await;
        let s = settings();
        send_due(&db, &t, SYSTEMS, &s, t0()).await.unwrap();
        // The same answer delivered twice in one batch, then once more.
        t.waiting.lock().unwrap().extend([answer("a1", &id), answer("a1", &id)]);
        let rec = Recorder::default();
        round(&db, &t, &rec, SYSTEMS, &s, t0() + TimeDelta::seconds(1)).await.unwrap();
        t.waiting.lock().unwrap().push(answer("a1", &id));
        round(&db, &t, &rec, SYSTEMS, &s, t0() + TimeDelta::seconds(2)).await.unwrap();
        assert_eq!(*t.acked.lock().unwrap(), vec!["a1", "a1", "a1"]);
        assert_eq!(*rec.0.lock().unwrap(), vec![(id.clone(), ExchangeState::Answered)]);
        let inbox: Vec<RecordId> = db.query("SELECT VALUE id FROM exchange_inbox").await.unwrap().take(0).unwrap();
        assert_eq!(inbox.len(), 1);
        // A second answer (another id) to the same, settled request changes nothing.
        assert_eq!(apply(&db, &answer("a2", &id), &s, t0()).await.unwrap(), Applied::Late);
        assert_eq!(apply(&db, &answer("a3", "nobody"), &s, t0()).await.unwrap(), Applied::Unknown);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_same_answer_taken_by_several_workers_at_once_is_applied_once() {
        let db = Arc::new(db::memory().await.unwrap());
        let t = Scripted::default();
        let id = queued(&db).await;
        let s = settings();
        send_due(&db, &t, SYSTEMS, &s, t0()).await.unwrap();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (db, id, s) = (db.clone(), id.clone(), s.clone());
            tasks.push(tokio::spawn(async move { apply(&db, &answer("a1", &id), &s, t0()).await.unwrap() }));
        }
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        assert_eq!(results.iter().filter(|a| **a == Applied::New(ExchangeState::Answered)).count(), 1, "{results:?}");
        assert!(results.iter().all(|a| matches!(a, Applied::New(_) | Applied::Duplicate)), "{results:?}");
    }

    #[tokio::test]
    async fn no_answer_in_time_resends_the_same_id_then_times_out() {
        let db = db::memory().await.unwrap();
        let t = Scripted::default();
        let id = queued(&db).await;
        let s = settings();
        let rec = Recorder::default();
        let mut now = t0();
        for _ in 0..6 {
            round(&db, &t, &rec, SYSTEMS, &s, now).await.unwrap();
            now += s.answer_wait + s.retry_max;
        }
        assert_eq!(*t.sent.lock().unwrap(), vec![id.clone(); 3]);
        assert_eq!(load(&db, &id).await.unwrap().unwrap().state, ExchangeState::TimedOut);
        assert_eq!(*rec.0.lock().unwrap(), vec![(id, ExchangeState::TimedOut)]);
    }

    #[tokio::test]
    async fn a_late_answer_to_an_earlier_send_still_counts() {
        let db = db::memory().await.unwrap();
        let t = Scripted::default();
        let id = queued(&db).await;
        let s = settings();
        send_due(&db, &t, SYSTEMS, &s, t0()).await.unwrap();
        overdue(&db, SYSTEMS, &s, t0() + s.answer_wait).await.unwrap();
        assert_eq!(load(&db, &id).await.unwrap().unwrap().state, ExchangeState::Queued);
        assert_eq!(apply(&db, &answer("a1", &id), &s, t0()).await.unwrap(), Applied::New(ExchangeState::Answered));
        // The queued resend is not made.
        send_due(&db, &t, SYSTEMS, &s, t0() + TimeDelta::hours(1)).await.unwrap();
        assert_eq!(t.sent.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_system_that_keeps_failing_ends_in_failed_and_a_refusal_in_rejected() {
        let db = db::memory().await.unwrap();
        let t = Scripted::default();
        let s = settings();
        let id = queued(&db).await;
        t.sends.lock().unwrap().extend((0..3).map(|_| Err(SendError::Unavailable("503".into()))));
        let mut now = t0();
        for _ in 0..5 {
            send_due(&db, &t, SYSTEMS, &s, now).await.unwrap();
            now += s.retry_max * 2;
        }
        let row = load(&db, &id).await.unwrap().unwrap();
        assert_eq!((row.state, row.attempts, row.error.as_deref()), (ExchangeState::Failed, 3, Some("503")));

        let id = queued(&db).await;
        t.sends.lock().unwrap().push_back(Err(SendError::Refused("нет доступа".into())));
        send_due(&db, &t, SYSTEMS, &s, now).await.unwrap();
        assert_eq!(load(&db, &id).await.unwrap().unwrap().state, ExchangeState::Rejected);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_request_claimed_by_one_worker_is_not_sent_by_another() {
        let db = Arc::new(db::memory().await.unwrap());
        for _ in 0..5 {
            queued(&db).await;
        }
        let t = Arc::new(Scripted::default());
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let (db, t) = (db.clone(), t.clone());
            tasks.push(tokio::spawn(async move { send_due(&db, &*t, SYSTEMS, &settings(), t0()).await }));
        }
        for task in tasks {
            // A worker that lost the race may get a conflict: it tries next round.
            let _ = task.await.unwrap();
        }
        let mut sent = t.sent.lock().unwrap().clone();
        let n = sent.len();
        sent.sort();
        sent.dedup();
        assert_eq!(sent.len(), n, "a request was sent twice at once");
    }
}
