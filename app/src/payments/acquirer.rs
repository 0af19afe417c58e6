//! The acquirer (the bank that takes card and СБП payments for the portal)
//! as the portal sees it: a trait of five calls, and `Simulated`, the
//! simulated bank of dev mode and tests. A production portal has no
//! acquirer contract yet and offers no payment.
//!
//! The simulation keeps its own ledger (`acq_op`, one operation per payment,
//! keyed by the payment's key, captured at most once), sends the
//! confirmation code as the card's bank would (an SMS through the outbox to
//! the person's phone), and answers each test card as its fixture says
//! (the numbers are in README «Платежи»):
//!
//! | card | what the bank does |
//! |---|---|
//! | any other valid card | asks a code, then captures |
//! | 4000 0000 0000 0002 | declines after the code |
//! | 4000 0000 0000 9995 | «insufficient funds» after the code |
//! | 4000 0000 0000 0069 | «card expired» after the code |
//! | 4000 0000 0000 0119 | does not answer the code in time; captures later and says so in a late callback |
//! | 5555 5555 5555 4444 | captures and sends its callback twice |
//! | account 40817810400000000000 (БИК 044525225) | «insufficient funds» after the code |
//!
//! Callbacks (the bank telling the portal what became of a payment) come
//! from a task after `CALLBACK_DELAY`; the portal applies each once.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{BankAccount, CODE_TRIES, Card};
use crate::charges::model::Kopecks;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};

/// What the acquirer is paid with.
pub enum Source<'a> {
    Card(&'a Card),
    /// A bank account of the person at this bank.
    Account(&'a BankAccount),
    /// A card saved earlier: the acquirer's token.
    Token(&'a str),
}

/// The answer to a card or an account sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    /// A code was sent to the card holder.
    Challenge,
    /// The bank needs no code (no phone to send it to): captured.
    Captured { token: Option<String> },
    /// Refused at once (a saved card the bank no longer knows).
    Declined(String),
}

/// The answer to a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    Captured {
        token: Option<String>,
    },
    Declined(String),
    WrongCode {
        left: i64,
    },
    /// No answer in time: the callback or a later status tells.
    Pending,
}

/// What the acquirer says of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpStatus {
    /// It never arrived.
    Unknown,
    Waiting,
    Processing,
    Captured,
    Declined(String),
    Cancelled,
}

/// A callback: the outcome of an operation, with its own id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub op: String,
    pub captured: bool,
    pub decline: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcqError {
    /// No answer in time: it may or may not have happened.
    Timeout,
    Unavailable,
}

pub trait Acquirer: Send + Sync {
    /// Sends a card payment of `amount` (operation `op` = the payment key;
    /// the same `op` again is the same operation).
    fn start_card(
        &self,
        op: &str,
        amount: Kopecks,
        source: Source<'_>,
        holder_phone: Option<&str>,
        account: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Started, AcqError>> + Send;
    /// The code the holder typed.
    fn confirm(
        &self,
        op: &str,
        code: &str,
        save: bool,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Confirmed, AcqError>> + Send;
    /// A СБП payment: the link of its one-time QR code.
    fn start_sbp(
        &self,
        op: &str,
        amount: Kopecks,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<String, AcqError>> + Send;
    fn status(&self, op: &str, now: DateTime<Utc>) -> impl Future<Output = Result<OpStatus, AcqError>> + Send;
    /// Releases what the operation holds, unless it was captured.
    fn cancel(&self, op: &str, now: DateTime<Utc>) -> impl Future<Output = Result<OpStatus, AcqError>> + Send;
}

/// The bank answers a late operation after this.
pub const LATE_AFTER: TimeDelta = TimeDelta::seconds(5);
/// Callbacks come this long after the outcome.
pub const CALLBACK_DELAY: std::time::Duration = std::time::Duration::from_millis(700);

/// Receives callbacks (the portal's payments service; tests may drop them).
pub type Sink = Arc<dyn Fn(Callback) + Send + Sync>;

pub struct Simulated {
    db: Arc<Db>,
    public_url: String,
    sink: Option<Sink>,
}

#[derive(Debug, Clone, SurrealValue)]
struct Op {
    kind: String,
    amount: i64,
    state: String,
    decline: Option<String>,
    code_hash: Option<String>,
    tries: i64,
    fault: Option<String>,
    token: Option<String>,
    expires_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

/// What the bank knows of a saved card or account.
#[derive(Debug, Clone, SurrealValue)]
struct TokenRow {
    fault: Option<String>,
}

fn op_id(op: &str) -> RecordId {
    RecordId::new("acq_op", op)
}

fn hash(op: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{op}:{code}").as_bytes()))
}

/// What a test card does (see the table above).
fn fault_of(number: &str) -> Option<&'static str> {
    match number {
        "4000000000000002" => Some("declined"),
        "4000000000009995" => Some("insufficient_funds"),
        "4000000000000069" => Some("expired_card"),
        "4000000000000119" => Some("late"),
        "5555555555554444" => Some("twice"),
        "40817810400000000000" => Some("insufficient_funds"),
        _ => None,
    }
}

fn db_err(e: AppError) -> AcqError {
    tracing::warn!(error = %e, "simulated acquirer: database");
    AcqError::Unavailable
}

impl Simulated {
    /// `sink` gets the callbacks; `None` keeps them (tests send their own).
    pub fn new(db: Arc<Db>, public_url: &str, sink: Option<Sink>) -> Simulated {
        Simulated { db, public_url: public_url.trim_end_matches('/').to_string(), sink }
    }

    /// The simulated bank of a running portal: its callbacks reach the
    /// payments service (`service::on_callback`).
    pub fn with_callbacks(db: Arc<Db>, public_url: &str) -> Simulated {
        let sink_db = db.clone();
        let sink: Sink = Arc::new(move |cb| {
            let db = sink_db.clone();
            tokio::spawn(async move {
                if let Err(e) = super::service::on_callback(&db, &cb, crate::platform::clock::now()).await {
                    tracing::warn!(error = %e, "payment callback");
                }
            });
        });
        Simulated::new(db, public_url, Some(sink))
    }

    async fn op(&self, op: &str) -> Result<Option<Op>, AcqError> {
        self.db.query("SELECT * FROM ONLY $id").bind(("id", op_id(op))).one("acquirer op").await.map_err(db_err)
    }

    fn call_back(&self, cb: Callback, times: usize, after: std::time::Duration) {
        let Some(sink) = self.sink.clone() else { return };
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            for _ in 0..times {
                sink(cb.clone());
            }
        });
    }

    /// Captures `op` once (from `challenge` or `processing`); the token
    /// when the card is to be kept.
    async fn capture(&self, op: &str, save: bool) -> Result<Option<String>, AcqError> {
        let token = save.then(|| format!("tok_{}", uuid::Uuid::new_v4().simple()));
        let done: Vec<RecordId> = self
            .db
            .query(
                "UPDATE $id SET state = 'captured', token = IF token = NONE THEN $tk ELSE token END
                 WHERE state IN ['challenge', 'processing'] RETURN VALUE id",
            )
            .bind(("id", op_id(op)))
            .bind(("tk", token.clone()))
            .all("acquirer capture")
            .await
            .map_err(db_err)?;
        if done.is_empty() {
            return Ok(None);
        }
        let kept = self.op(op).await?.and_then(|o| o.token);
        Ok(kept.or(token))
    }

    /// The simulated bank app («Оплатить» or «Отклонить» on the QR's page).
    pub async fn sbp_answer(&self, op: &str, pay: bool, now: DateTime<Utc>) -> Result<OpStatus, AcqError> {
        let Some(o) = self.op(op).await? else { return Ok(OpStatus::Unknown) };
        if o.kind != "sbp" {
            return Ok(OpStatus::Unknown);
        }
        if o.expires_at <= now && o.state == "challenge" {
            self.cancel(op, now).await?;
            return Ok(OpStatus::Cancelled);
        }
        if pay {
            self.capture(op, false).await?;
        } else {
            self.db
                .query("UPDATE $id SET state = 'declined', decline = 'sbp_declined' WHERE state = 'challenge'")
                .bind(("id", op_id(op)))
                .exec("acquirer sbp decline")
                .await
                .map_err(db_err)?;
        }
        let status = self.status(op, now).await?;
        match &status {
            OpStatus::Captured => {
                self.call_back(Callback { op: op.into(), captured: true, decline: None }, 1, CALLBACK_DELAY)
            }
            OpStatus::Declined(d) => {
                self.call_back(Callback { op: op.into(), captured: false, decline: Some(d.clone()) }, 1, CALLBACK_DELAY)
            }
            _ => {}
        }
        Ok(status)
    }

    /// What the QR page of the bank app shows: amount and whether it waits.
    pub async fn sbp_view(&self, op: &str, now: DateTime<Utc>) -> Result<Option<(Kopecks, OpStatus)>, AcqError> {
        let Some(o) = self.op(op).await? else { return Ok(None) };
        if o.kind != "sbp" {
            return Ok(None);
        }
        let status = if o.state == "challenge" && o.expires_at <= now {
            OpStatus::Cancelled
        } else {
            self.status(op, now).await?
        };
        Ok(Some((o.amount, status)))
    }
}

impl Acquirer for Simulated {
    async fn start_card(
        &self,
        op: &str,
        amount: Kopecks,
        source: Source<'_>,
        holder_phone: Option<&str>,
        account: &str,
        now: DateTime<Utc>,
    ) -> Result<Started, AcqError> {
        use rand::Rng;
        let (fault, token) = match source {
            Source::Card(c) => (fault_of(&c.number).map(str::to_string), None),
            Source::Account(a) => (fault_of(&a.number).map(str::to_string), None),
            Source::Token(t) => {
                let known: Option<TokenRow> = self
                    .db
                    .query("SELECT fault FROM acq_op WHERE token = $t LIMIT 1")
                    .bind(("t", t.to_string()))
                    .one("acquirer token")
                    .await
                    .map_err(db_err)?;
                match known {
                    Some(row) => (row.fault, Some(t.to_string())),
                    None => return Ok(Started::Declined("declined".into())),
                }
            }
        };
        let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
        let created: Vec<RecordId> = self
            .db
            .query(
                "IF (SELECT VALUE id FROM ONLY $id) = NONE {
                    RETURN (CREATE $id SET kind = 'card', amount = $amount, state = 'challenge', code_hash = $hash,
                        tries = 0, fault = $fault, token = $tk, expires_at = $until, created_at = $now RETURN VALUE id)
                 } ELSE { RETURN [] }",
            )
            .bind(("id", op_id(op)))
            .bind(("amount", amount))
            .bind(("hash", hash(op, &code)))
            .bind(("fault", fault))
            .bind(("tk", token))
            .bind(("until", now + super::model::PAYMENT_TTL))
            .bind(("now", now))
            .all("acquirer start")
            .await
            .map_err(db_err)?;
        if created.is_empty() {
            // The same operation again: its code was sent already.
            return Ok(Started::Challenge);
        }
        let Some(phone) = holder_phone else {
            // Nowhere to send a code: a frictionless payment.
            let token = self.capture(op, false).await?;
            return Ok(Started::Captured { token });
        };
        let msg = crate::platform::outbox::NewMessage {
            channel: crate::platform::outbox::Channel::Sms,
            recipient: phone.to_string(),
            subject: None,
            body: format!(
                "Оплата {} на Госуслугах. Код подтверждения: {code}. Никому не сообщайте его. Платёж …{}",
                crate::charges::rubles(amount),
                &op[op.len().saturating_sub(8)..]
            ),
            sensitive: true,
            expires_at: Some(now + TimeDelta::minutes(5)),
        };
        crate::platform::outbox::enqueue_for_in(self.db.query("RETURN NONE"), msg, Some(account), None, now, 0)
            .exec("acquirer code")
            .await
            .map_err(db_err)?;
        Ok(Started::Challenge)
    }

    async fn confirm(&self, op: &str, code: &str, save: bool, now: DateTime<Utc>) -> Result<Confirmed, AcqError> {
        // A try is taken before the code is compared (parallel guesses share the budget).
        let taken: Option<Op> = self
            .db
            .query("UPDATE ONLY $id SET tries += 1 WHERE state = 'challenge' AND tries < $max RETURN AFTER")
            .bind(("id", op_id(op)))
            .bind(("max", CODE_TRIES))
            .one("acquirer try")
            .await
            .map_err(db_err)?;
        let Some(o) = taken else {
            return Ok(match self.status(op, now).await? {
                OpStatus::Captured => Confirmed::Captured { token: self.op(op).await?.and_then(|o| o.token) },
                OpStatus::Declined(d) => Confirmed::Declined(d),
                OpStatus::Processing => Confirmed::Pending,
                _ => Confirmed::Declined("code_failed".into()),
            });
        };
        if o.code_hash.as_deref() != Some(hash(op, code.trim()).as_str()) {
            let left = CODE_TRIES - o.tries;
            if left <= 0 {
                self.db
                    .query("UPDATE $id SET state = 'declined', decline = 'code_failed' WHERE state = 'challenge'")
                    .bind(("id", op_id(op)))
                    .exec("acquirer code failed")
                    .await
                    .map_err(db_err)?;
                return Ok(Confirmed::Declined("code_failed".into()));
            }
            return Ok(Confirmed::WrongCode { left });
        }
        match o.fault.as_deref() {
            Some(d @ ("declined" | "insufficient_funds" | "expired_card")) => {
                self.db
                    .query("UPDATE $id SET state = 'declined', decline = $d WHERE state = 'challenge'")
                    .bind(("id", op_id(op)))
                    .bind(("d", d.to_string()))
                    .exec("acquirer decline")
                    .await
                    .map_err(db_err)?;
                self.call_back(Callback { op: op.into(), captured: false, decline: Some(d.into()) }, 1, CALLBACK_DELAY);
                Ok(Confirmed::Declined(d.into()))
            }
            Some("late") => {
                self.db
                    .query("UPDATE $id SET state = 'processing', created_at = $now WHERE state = 'challenge'")
                    .bind(("id", op_id(op)))
                    .bind(("now", now))
                    .exec("acquirer late")
                    .await
                    .map_err(db_err)?;
                let late = LATE_AFTER.to_std().unwrap_or_default();
                self.call_back(Callback { op: op.into(), captured: true, decline: None }, 1, late);
                Err(AcqError::Timeout)
            }
            fault => {
                let token = self.capture(op, save).await?;
                let times = if fault == Some("twice") { 2 } else { 1 };
                self.call_back(Callback { op: op.into(), captured: true, decline: None }, times, CALLBACK_DELAY);
                Ok(Confirmed::Captured { token })
            }
        }
    }

    async fn start_sbp(
        &self,
        op: &str,
        amount: Kopecks,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<String, AcqError> {
        self.db
            .query(
                "IF (SELECT VALUE id FROM ONLY $id) = NONE {
                    CREATE $id SET kind = 'sbp', amount = $amount, state = 'challenge', tries = 0,
                        expires_at = $until, created_at = $now
                 }",
            )
            .bind(("id", op_id(op)))
            .bind(("amount", amount))
            .bind(("until", until))
            .bind(("now", now))
            .exec("acquirer sbp")
            .await
            .map_err(db_err)?;
        Ok(format!("{}/sim/sbp/{op}", self.public_url))
    }

    async fn status(&self, op: &str, now: DateTime<Utc>) -> Result<OpStatus, AcqError> {
        let Some(o) = self.op(op).await? else { return Ok(OpStatus::Unknown) };
        Ok(match o.state.as_str() {
            "challenge" => OpStatus::Waiting,
            "processing" if now - o.created_at >= LATE_AFTER => {
                self.capture(op, false).await?;
                OpStatus::Captured
            }
            "processing" => OpStatus::Processing,
            "captured" => OpStatus::Captured,
            "declined" => OpStatus::Declined(o.decline.unwrap_or_else(|| "declined".into())),
            _ => OpStatus::Cancelled,
        })
    }

    async fn cancel(&self, op: &str, now: DateTime<Utc>) -> Result<OpStatus, AcqError> {
        self.db
            .query("UPDATE $id SET state = 'cancelled' WHERE state = 'challenge'")
            .bind(("id", op_id(op)))
            .exec("acquirer cancel")
            .await
            .map_err(db_err)?;
        self.status(op, now).await
    }
}
