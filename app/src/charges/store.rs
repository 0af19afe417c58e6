//! The `charge` table: every query of charges. A charge is created once per
//! УИН (the record key), found by a person's documents, by its УИН, or made
//! for an application's state duty; its state changes by guarded `UPDATE`s
//! that can be part of the caller's transaction (`*_in`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{ChargeKind, ChargeState, Kopecks};
use crate::error::AppError;
use crate::platform::db::{Db, Query, QueryExt};

#[derive(Debug, Clone, SurrealValue)]
pub struct ChargeRow {
    pub id: RecordId,
    pub uin: String,
    pub kind: ChargeKind,
    pub account: Option<String>,
    pub found_by: String,
    pub title: String,
    pub details: String,
    pub amount: Kopecks,
    pub decided_on: String,
    pub due_on: String,
    pub discount_until: Option<DateTime<Utc>>,
    pub state: ChargeState,
    pub department: String,
    pub payee_name: String,
    pub payee_inn: String,
    pub payee_kpp: String,
    pub payee_account: String,
    pub payee_bik: String,
    pub payee_bank: String,
    pub kbk: String,
    pub oktmo: String,
    pub application: Option<String>,
    pub appeal: Option<String>,
    pub paid_by: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
    pub settled_at: Option<DateTime<Utc>>,
    pub reminded: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl ChargeRow {
    /// What is to pay at `now` (half while a fine's discount lasts).
    pub fn due_now(&self, now: DateTime<Utc>) -> Kopecks {
        super::model::amount_due(self.amount, self.discount_until, now)
    }
}

/// An accrual as ГИС ГМП gives it (the simulator's answers, a real
/// adapter's mapping): everything but the portal's own bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accrual {
    pub uin: String,
    pub kind: ChargeKind,
    pub title: String,
    pub details: String,
    pub amount: Kopecks,
    pub decided_on: String,
    pub due_on: String,
    /// A fine eligible for half price until then.
    pub discount_until: Option<DateTime<Utc>>,
    pub department: String,
    pub payee: Payee,
    /// Paid already, as ГИС ГМП knows it (paid elsewhere).
    #[serde(default)]
    pub paid: bool,
}

/// A recipient's details (реквизиты получателя).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payee {
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub account: String,
    pub bik: String,
    pub bank: String,
    pub kbk: String,
    pub oktmo: String,
}

pub fn charge_id(uin: &str) -> RecordId {
    RecordId::new("charge", uin)
}

pub async fn load(db: &Db, uin: &str) -> Result<Option<ChargeRow>, AppError> {
    db.query("SELECT * FROM ONLY $id").bind(("id", charge_id(uin))).one("charge").await
}

/// The person's charges: unpaid first (soonest due first), then the rest.
pub async fn of_account(db: &Db, account: &str) -> Result<Vec<ChargeRow>, AppError> {
    db.query(
        "SELECT *, (state IN ['open', 'disputed']) AS unpaid FROM charge WHERE account = $account
         ORDER BY unpaid DESC, due_on ASC LIMIT 200",
    )
    .bind(("account", account.to_string()))
    .all("charges of a person")
    .await
}

/// Keeps what ГИС ГМП answered: a new accrual is created; a known one keeps
/// its state and dates (the portal's payment or an appeal may be under
/// way) and gains its owner if `account` found it by their documents; one
/// ГИС ГМП says is paid elsewhere becomes paid. One statement per accrual.
pub async fn keep_found(
    db: &Db,
    account: Option<&str>,
    found_by: &str,
    found: &[Accrual],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for a in found {
        db.query(
            "IF (SELECT VALUE id FROM ONLY $id) = NONE {
                CREATE $id SET uin = $uin, kind = $kind, account = $account, found_by = $found_by, title = $title,
                    details = $details, amount = $amount, decided_on = $decided_on, due_on = $due_on,
                    discount_until = $discount_until, state = IF $paid THEN 'paid' ELSE 'open' END,
                    department = $department, payee_name = $p.name, payee_inn = $p.inn, payee_kpp = $p.kpp,
                    payee_account = $p.account, payee_bik = $p.bik, payee_bank = $p.bank, kbk = $p.kbk,
                    oktmo = $p.oktmo, created_at = $now, updated_at = $now
             } ELSE {
                UPDATE $id SET
                    account = IF account = NONE THEN $account ELSE account END,
                    state = IF $paid AND state IN ['open', 'disputed'] THEN 'paid' ELSE state END,
                    updated_at = $now
             }",
        )
        .bind(("id", charge_id(&a.uin)))
        .bind(("uin", a.uin.clone()))
        .bind(("kind", a.kind))
        .bind(("account", account.map(str::to_string)))
        .bind(("found_by", found_by.to_string()))
        .bind(("title", a.title.clone()))
        .bind(("details", a.details.clone()))
        .bind(("amount", a.amount))
        .bind(("decided_on", a.decided_on.clone()))
        .bind(("due_on", a.due_on.clone()))
        .bind(("discount_until", a.discount_until))
        .bind(("paid", a.paid))
        .bind(("department", a.department.clone()))
        .bind(("p", serde_json::to_value(&a.payee).unwrap_or_default()))
        .bind(("now", now))
        .exec("keep a found charge")
        .await?;
    }
    Ok(())
}

/// Appends the state duty of an application sent on the portal (for the
/// caller's transaction): created once, its УИН made from the application
/// number, due in 20 days.
#[allow(clippy::too_many_arguments)]
pub fn duty_in<'a>(
    q: Query<'a>,
    account: &str,
    application: &str,
    number: &str,
    service_title: &str,
    department: &str,
    amount: Kopecks,
    now: DateTime<Utc>,
) -> Query<'a> {
    let uin = super::gisgmp::duty_uin(number);
    let payee = super::gisgmp::payee_of(department);
    let today = crate::format::msk_date(now);
    let due = (today + chrono::TimeDelta::days(20)).format("%Y-%m-%d").to_string();
    q.query(
        "IF (SELECT VALUE id FROM ONLY $duty_id) = NONE {
            CREATE $duty_id SET uin = $duty_uin, kind = 'duty', account = $duty_account, found_by = 'duty',
                title = $duty_title, details = $duty_details, amount = $duty_amount, decided_on = $duty_today,
                due_on = $duty_due, state = 'open', department = $duty_dept, payee_name = $duty_p.name,
                payee_inn = $duty_p.inn, payee_kpp = $duty_p.kpp, payee_account = $duty_p.account,
                payee_bik = $duty_p.bik, payee_bank = $duty_p.bank, kbk = $duty_p.kbk, oktmo = $duty_p.oktmo,
                application = $duty_app, created_at = $duty_now, updated_at = $duty_now
        }",
    )
    .bind(("duty_id", charge_id(&uin)))
    .bind(("duty_uin", uin))
    .bind(("duty_account", account.to_string()))
    .bind(("duty_title", format!("Госпошлина: {service_title}")))
    .bind(("duty_details", format!("Заявление № {}", number)))
    .bind(("duty_amount", amount))
    .bind(("duty_today", today.format("%Y-%m-%d").to_string()))
    .bind(("duty_due", due))
    .bind(("duty_dept", department.to_string()))
    .bind(("duty_p", serde_json::to_value(&payee).unwrap_or_default()))
    .bind(("duty_app", application.to_string()))
    .bind(("duty_now", now))
}

/// Appends «обжалуется» for the person's own open charge `uin`, disputed by
/// the application `appeal` (for the caller's transaction; THROWs, so the
/// transaction fails, when the charge is not theirs or not open).
pub fn dispute_in<'a>(q: Query<'a>, uin: &str, account: &str, appeal: &str, now: DateTime<Utc>) -> Query<'a> {
    q.query(
        "IF array::len(UPDATE $disp_id SET state = 'disputed', appeal = $disp_app, updated_at = $disp_now
             WHERE account = $disp_account AND state = 'open' RETURN VALUE id) = 0 {
            THROW 'charge not disputable'
        }",
    )
    .bind(("disp_id", charge_id(uin)))
    .bind(("disp_app", appeal.to_string()))
    .bind(("disp_account", account.to_string()))
    .bind(("disp_now", now))
}

/// Appends the end of an appeal (for the caller's transaction): a granted
/// one annuls the charge, a refused or withdrawn one opens it again (a
/// charge paid meanwhile stays paid). Nothing when `appeal` disputes none.
pub fn appeal_ended_in<'a>(q: Query<'a>, appeal: &str, granted: bool, now: DateTime<Utc>) -> Query<'a> {
    q.query(
        "UPDATE charge SET
            state = IF state = 'disputed' THEN (IF $end_granted THEN 'annulled' ELSE 'open' END) ELSE state END,
            appeal = NONE, updated_at = $end_now
         WHERE appeal = $end_app",
    )
    .bind(("end_app", appeal.to_string()))
    .bind(("end_granted", granted))
    .bind(("end_now", now))
}

/// Whether `uin` is the person's own open charge that the appeal `service`
/// (the one of its kind) may dispute.
pub async fn disputable(db: &Db, uin: &str, account: &str, service: &str) -> Result<bool, AppError> {
    let row = load(db, uin).await?;
    Ok(row.is_some_and(|c| {
        c.account.as_deref() == Some(account)
            && c.state == ChargeState::Open
            && c.kind.appeal_service() == Some(service)
    }))
}

/// Appends «оплачено» by `payment` (for the caller's transaction), when
/// the charge is still payable. The money is taken by then: a charge paid
/// elsewhere or annulled meanwhile stays as it is and the payment still
/// succeeds (the surplus is the department's to return), so the statement
/// never fails the payment's transaction. One open payment per charge
/// (a unique index) keeps the portal from paying one charge twice.
pub fn paid_in<'a>(q: Query<'a>, uin: &str, payment: &str, now: DateTime<Utc>) -> Query<'a> {
    q.query(
        "UPDATE $paid_id SET state = 'paid', paid_by = $paid_payment, paid_at = $paid_now, updated_at = $paid_now
             WHERE state IN ['open', 'disputed']",
    )
    .bind(("paid_id", charge_id(uin)))
    .bind(("paid_payment", payment.to_string()))
    .bind(("paid_now", now))
}

/// ГИС ГМП matched the payment to the charge: «квитировано». Once.
pub async fn settled(db: &Db, uin: &str, payment: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    let done: Vec<RecordId> = db
        .query(
            "UPDATE $id SET state = 'settled', settled_at = $now, updated_at = $now
             WHERE state = 'paid' AND paid_by = $payment RETURN VALUE id",
        )
        .bind(("id", charge_id(uin)))
        .bind(("payment", payment.to_string()))
        .bind(("now", now))
        .all("charge settled")
        .await?;
    Ok(!done.is_empty())
}

/// Open charges of people whose due date (`what` = "due", within
/// `days`) or discount end ("discount", within `days`) comes after `now`,
/// with no reminder `what` yet.
pub async fn to_remind(db: &Db, what: &str, days: i64, now: DateTime<Utc>) -> Result<Vec<ChargeRow>, AppError> {
    let cond = if what == "discount" {
        "discount_until != NONE AND discount_until > $now AND discount_until <= $until"
    } else {
        "due_on >= $today AND due_on <= $until_date"
    };
    let today = crate::format::msk_date(now);
    db.query(format!(
        "SELECT * FROM charge WHERE account != NONE AND state IN ['open', 'disputed'] AND reminded CONTAINSNOT $what AND {cond} LIMIT 200"
    ))
    .bind(("what", what.to_string()))
    .bind(("now", now))
    .bind(("until", now + chrono::TimeDelta::days(days)))
    .bind(("today", today.format("%Y-%m-%d").to_string()))
    .bind(("until_date", (today + chrono::TimeDelta::days(days)).format("%Y-%m-%d").to_string()))
    .all("charges to remind of")
    .await
}
