//! Every query of payments: the `payment` rows (one open per charge by the
//! unique index on `open_charge`, one per attempt by the unique index on
//! `attempt`), status changes guarded by the states `model::next` allows
//! (with the charge, the notice and the report to ГИС ГМП in the same
//! transaction), saved cards and saved recipients.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{Method, PayEvent, PayStatus, from_states};
use crate::charges::model::{ChargeKind, Kopecks};
use crate::charges::store::ChargeRow;
use crate::error::AppError;
use crate::platform::db::{Db, Query, QueryExt, is_unique, record_key, retrying_transaction};

#[derive(Debug, Clone, SurrealValue)]
pub struct PaymentRow {
    pub id: RecordId,
    pub account: String,
    pub uin: String,
    pub kind: ChargeKind,
    pub title: String,
    pub amount: Kopecks,
    pub method: Method,
    pub status: PayStatus,
    pub version: i64,
    pub failure: Option<String>,
    pub attempt: String,
    pub op: Option<String>,
    pub means: String,
    pub sbp_link: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub settled_at: Option<DateTime<Utc>>,
    pub payee_name: String,
    pub payee_inn: String,
    pub payee_kpp: String,
    pub payee_account: String,
    pub payee_bik: String,
    pub payee_bank: String,
    pub kbk: String,
    pub oktmo: String,
    pub save_card: bool,
}

impl PaymentRow {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }
}

pub fn payment_id(key: &str) -> RecordId {
    RecordId::new("payment", key)
}

pub async fn load(db: &Db, key: &str) -> Result<Option<PaymentRow>, AppError> {
    db.query("SELECT * FROM ONLY $id").bind(("id", payment_id(key))).one("payment").await
}

pub async fn by_op(db: &Db, op: &str) -> Result<Option<PaymentRow>, AppError> {
    // The acquirer's operation id is the payment's key.
    load(db, op).await
}

pub async fn by_attempt(db: &Db, attempt: &str) -> Result<Option<PaymentRow>, AppError> {
    db.query("SELECT * FROM payment WHERE attempt = $attempt LIMIT 1")
        .bind(("attempt", attempt.to_string()))
        .one("payment by attempt")
        .await
}

/// The open payment of a charge, if any.
pub async fn open_of(db: &Db, uin: &str) -> Result<Option<PaymentRow>, AppError> {
    db.query("SELECT * FROM payment WHERE open_charge = $uin LIMIT 1")
        .bind(("uin", uin.to_string()))
        .one("open payment of a charge")
        .await
}

/// What a new payment is made of.
pub struct NewPayment<'a> {
    pub key: &'a str,
    pub account: &'a str,
    pub attempt: &'a str,
    pub charge: &'a ChargeRow,
    pub amount: Kopecks,
    pub method: Method,
    pub means: &'a str,
    pub save_card: bool,
    pub expires_at: DateTime<Utc>,
}

/// Why a payment was not made.
#[derive(Debug, PartialEq, Eq)]
pub enum NotCreated {
    /// This attempt made one already (a double click, a retry).
    SameAttempt,
    /// Another payment of the charge is open (two tabs, two people).
    ChargeBusy,
}

/// Creates the payment (status `created`): one statement, refused by the
/// unique indexes when the attempt was used or the charge has an open one.
pub async fn create(db: &Db, p: NewPayment<'_>, now: DateTime<Utc>) -> Result<Result<(), NotCreated>, AppError> {
    use rand::Rng;
    let c = p.charge;
    let payee = serde_json::json!({
        "payee_name": c.payee_name, "payee_inn": c.payee_inn, "payee_kpp": c.payee_kpp,
        "payee_account": c.payee_account, "payee_bik": c.payee_bik, "payee_bank": c.payee_bank,
        "kbk": c.kbk, "oktmo": c.oktmo,
    });
    let mut last = String::new();
    for attempt in 0..40u64 {
        let mut res = db
            .query(
                "CREATE $id SET account = $account, uin = $uin, kind = $kind, title = $title, amount = $amount,
                    method = $method, status = 'created', attempt = $attempt, open_charge = $uin, op = $key,
                    means = $means, expires_at = $expires, created_at = $now, updated_at = $now,
                    payee_name = $c.payee_name, payee_inn = $c.payee_inn, payee_kpp = $c.payee_kpp,
                    payee_account = $c.payee_account, payee_bik = $c.payee_bik, payee_bank = $c.payee_bank,
                    kbk = $c.kbk, oktmo = $c.oktmo, save_card = $save",
            )
            .bind(("id", payment_id(p.key)))
            .bind(("key", p.key.to_string()))
            .bind(("account", p.account.to_string()))
            .bind(("uin", c.uin.clone()))
            .bind(("kind", c.kind))
            .bind(("title", c.title.clone()))
            .bind(("amount", p.amount))
            .bind(("method", p.method))
            .bind(("attempt", p.attempt.to_string()))
            .bind(("means", p.means.to_string()))
            .bind(("expires", p.expires_at))
            .bind(("now", now))
            .bind(("save", p.save_card))
            .bind(("c", payee.clone()))
            .await
            .map_err(|e| crate::platform::request::internal("payment create", e))?;
        let errors = res.take_errors();
        if errors.is_empty() {
            return Ok(Ok(()));
        }
        if let Some(e) = errors.values().find(|e| is_unique(e)) {
            let same = e.to_string().contains("payment_attempt");
            return Ok(Err(if same { NotCreated::SameAttempt } else { NotCreated::ChargeBusy }));
        }
        last = errors.values().next().map(|e| e.to_string()).unwrap_or_default();
        if !errors.values().any(crate::platform::db::is_conflict) {
            break;
        }
        let ms = 1 + attempt.min(10) * 2 + rand::rng().random_range(0..5u64);
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    Err(crate::platform::request::internal("payment create", last))
}

/// Moves the payment by `event` when it is in a state `event` may start
/// from; `set` adds columns. Final states free the charge for a new
/// payment. Returns whether it moved (false: a repeat, a late callback).
#[allow(clippy::too_many_arguments)]
pub async fn apply<'a>(
    db: &'a Db,
    key: &str,
    event: PayEvent,
    to: PayStatus,
    set: &str,
    bind: &(dyn Fn(Query<'a>) -> Query<'a> + Sync),
    more: &(dyn Fn(Query<'a>) -> Query<'a> + Sync),
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let from = from_states(event);
    let what = "payment status";
    let extra = if set.is_empty() { String::new() } else { format!(", {set}") };
    let (mut res, ()) = retrying_transaction(what, || {
        let q = db
            .query("BEGIN")
            .query(format!(
                "LET $moved = (UPDATE $pay SET status = $to, version += 1, updated_at = $now,
                    open_charge = IF $final THEN NONE ELSE open_charge END{extra}
                 WHERE status IN $from RETURN AFTER)"
            ))
            .query("IF array::len($moved) > 0 {")
            .bind(("pay", payment_id(key)))
            .bind(("to", to))
            .bind(("final", to.is_final()))
            .bind(("from", from.clone()))
            .bind(("now", now));
        let q = more(bind(q)).query("}").query("RETURN array::len($moved) > 0").query("COMMIT");
        (q, ())
    })
    .await?;
    let n = res.num_statements();
    let moved: Option<bool> = res.take(n - 2).map_err(|e| crate::platform::request::internal(what, e))?;
    Ok(moved.unwrap_or(false))
}

/// Open payments whose lifetime is over, and payments in processing not
/// heard of for `quiet` (the acquirer is asked about both).
pub async fn to_check(db: &Db, now: DateTime<Utc>, quiet: chrono::TimeDelta) -> Result<Vec<PaymentRow>, AppError> {
    db.query(
        "SELECT * FROM payment WHERE
            (status IN ['created', 'started'] AND expires_at <= $now)
            OR (status = 'submitted' AND updated_at <= $quiet)
         LIMIT 100",
    )
    .bind(("now", now))
    .bind(("quiet", now - quiet))
    .all("payments to check")
    .await
}

/// A filter of «История платежей».
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub kind: Option<ChargeKind>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The person's payments, newest first (attempts never sent are left out).
pub async fn history(db: &Db, account: &str, f: &HistoryFilter, limit: u32) -> Result<Vec<PaymentRow>, AppError> {
    let mut sql = String::from("SELECT * FROM payment WHERE account = $account AND status != 'created'");
    if f.kind.is_some() {
        sql.push_str(" AND kind = $kind");
    }
    if f.from.is_some() {
        sql.push_str(" AND created_at >= $from");
    }
    if f.to.is_some() {
        sql.push_str(" AND created_at < $to");
    }
    sql.push_str(" ORDER BY created_at DESC LIMIT $limit");
    db.query(sql)
        .bind(("account", account.to_string()))
        .bind(("kind", f.kind))
        .bind(("from", f.from))
        .bind(("to", f.to))
        .bind(("limit", limit))
        .all("payment history")
        .await
}

// ---------------------------------------------------------------- saved cards

#[derive(Debug, Clone, SurrealValue)]
pub struct SavedCard {
    pub id: RecordId,
    pub account: String,
    pub token: String,
    pub brand: String,
    pub last4: String,
    pub expiry: String,
}

impl SavedCard {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }
}

pub fn save_card_in<'a>(
    q: Query<'a>,
    account: &str,
    token: &str,
    means: &str,
    expiry: &str,
    now: DateTime<Utc>,
) -> Query<'a> {
    let (brand, last4) = means.split_once(" •••• ").unwrap_or((means, ""));
    q.query(
        "IF array::len(SELECT id FROM saved_card WHERE account = $sc_account AND token = $sc_token) = 0 {
            CREATE saved_card SET account = $sc_account, token = $sc_token, brand = $sc_brand, last4 = $sc_last4,
                expiry = $sc_expiry, created_at = $sc_now
        }",
    )
    .bind(("sc_account", account.to_string()))
    .bind(("sc_token", token.to_string()))
    .bind(("sc_brand", brand.to_string()))
    .bind(("sc_last4", last4.to_string()))
    .bind(("sc_expiry", expiry.to_string()))
    .bind(("sc_now", now))
}

pub async fn cards(db: &Db, account: &str) -> Result<Vec<SavedCard>, AppError> {
    db.query("SELECT * FROM saved_card WHERE account = $account ORDER BY created_at DESC LIMIT 10")
        .bind(("account", account.to_string()))
        .all("saved cards")
        .await
}

pub async fn forget_card(db: &Db, account: &str, key: &str) -> Result<(), AppError> {
    db.query("DELETE $id WHERE account = $account")
        .bind(("id", RecordId::new("saved_card", key)))
        .bind(("account", account.to_string()))
        .exec("forget a card")
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- saved recipients

#[derive(Debug, Clone, SurrealValue)]
pub struct PayeeRow {
    pub id: RecordId,
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub bank_account: String,
    pub bik: String,
    pub bank: String,
}

impl PayeeRow {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }
}

/// «Сохранить получателя»: kept once per person and recipient.
pub async fn save_payee(db: &Db, account: &str, c: &ChargeRow, now: DateTime<Utc>) -> Result<(), AppError> {
    let res = db
        .query(
            "CREATE payee SET account = $account, name = $name, inn = $inn, kpp = $kpp, bank_account = $acc,
                bik = $bik, bank = $bank, created_at = $now",
        )
        .bind(("account", account.to_string()))
        .bind(("name", c.payee_name.clone()))
        .bind(("inn", c.payee_inn.clone()))
        .bind(("kpp", c.payee_kpp.clone()))
        .bind(("acc", c.payee_account.clone()))
        .bind(("bik", c.payee_bik.clone()))
        .bind(("bank", c.payee_bank.clone()))
        .bind(("now", now))
        .await;
    match res.and_then(|mut r| r.take::<Option<surrealdb::types::Value>>(0)) {
        Ok(_) => Ok(()),
        Err(e) if is_unique(&e) => Ok(()),
        Err(e) => Err(crate::platform::request::internal("save payee", e)),
    }
}

pub async fn payees(db: &Db, account: &str) -> Result<Vec<PayeeRow>, AppError> {
    db.query("SELECT * FROM payee WHERE account = $account ORDER BY created_at DESC LIMIT 50")
        .bind(("account", account.to_string()))
        .all("saved payees")
        .await
}

pub async fn forget_payee(db: &Db, account: &str, key: &str) -> Result<(), AppError> {
    db.query("DELETE $id WHERE account = $account")
        .bind(("id", RecordId::new("payee", key)))
        .bind(("account", account.to_string()))
        .exec("forget a payee")
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- documents for fines

#[derive(Debug, Clone, SurrealValue)]
pub struct PayerDoc {
    pub id: RecordId,
    pub kind: String,
    pub number: String,
}

impl PayerDoc {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }
}

pub async fn docs(db: &Db, account: &str) -> Result<Vec<PayerDoc>, AppError> {
    db.query("SELECT id, kind, number, created_at FROM payer_doc WHERE account = $account ORDER BY created_at LIMIT 20")
        .bind(("account", account.to_string()))
        .all("payer documents")
        .await
}

/// Adds a document; false when the person has it already.
pub async fn add_doc(db: &Db, account: &str, kind: &str, number: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    crate::platform::db::retrying_unless_taken("payer document", || {
        db.query("CREATE payer_doc SET account = $account, kind = $kind, number = $number, created_at = $now")
            .bind(("account", account.to_string()))
            .bind(("kind", kind.to_string()))
            .bind(("number", number.to_string()))
            .bind(("now", now))
    })
    .await
}

pub async fn remove_doc(db: &Db, account: &str, key: &str) -> Result<(), AppError> {
    db.query("DELETE $id WHERE account = $account")
        .bind(("id", RecordId::new("payer_doc", key)))
        .bind(("account", account.to_string()))
        .exec("remove payer document")
        .await?;
    Ok(())
}
