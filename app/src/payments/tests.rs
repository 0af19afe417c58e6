//! Payments on the real engine in memory, with the simulated ГИС ГМП and
//! the simulated bank: charges found once, 20 attempts at once paying one
//! charge once, callbacks (twice, late) applied once, a payment left open
//! expiring with its hold released, СБП, reminders, appeals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::RecordId;

use super::acquirer::{Callback, Simulated};
use super::model::PayStatus;
use super::service::{self, Pay};
use super::store;
use crate::auth::caller::Caller;
use crate::charges::gisgmp::{self, Gisgmp, SYSTEMS};
use crate::charges::model::{ChargeState, with_control};
use crate::charges::store as charges;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};
use crate::platform::exchange;
use crate::platform::exchange_settings::{ExchangeSettings, RegistrySimulation};
use crate::testing::{caller, t0, with_people};

/// Runs the ГИС ГМП exchange every second for `secs` seconds from `from`.
async fn gis(db: &Db, from: DateTime<Utc>, secs: i64) -> DateTime<Utc> {
    let sim = gisgmp::simulator(RegistrySimulation { delay: TimeDelta::seconds(1), ..Default::default() });
    let settings = ExchangeSettings::default();
    let mut now = from;
    for _ in 0..secs {
        exchange::round(db, &sim, &Gisgmp, SYSTEMS, &settings, now).await.unwrap();
        now += TimeDelta::seconds(1);
    }
    now
}

/// Ivanov with his taxes found (ИНН 500100732259: both fixture taxes).
async fn ivanov(db: &Db) -> (Caller, DateTime<Utc>) {
    let me = caller(db, "demo_ivanov", false, t0()).await;
    let d = service::debts(db, &me, t0()).await.unwrap();
    assert!(d.asking, "ГИС ГМП is asked on the first visit");
    let now = gis(db, t0(), 5).await;
    (me, now)
}

fn bank(db: &Arc<Db>) -> Simulated {
    // No callbacks of its own: tests send them when they want them.
    Simulated::new(db.clone(), "http://localhost", None)
}

/// The confirmation code the bank sent for payment `key` (its SMS names
/// the payment by its last eight characters).
async fn code(db: &Db, key: &str) -> String {
    let tail = format!("Платёж …{}", &key[key.len() - 8..]);
    let bodies: Vec<String> = db
        .query("SELECT VALUE body FROM outbox WHERE body CONTAINS $tail LIMIT 1")
        .bind(("tail", tail))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    let body = bodies.first().cloned().unwrap();
    body.split("Код подтверждения: ").nth(1).unwrap()[..6].to_string()
}

fn card(number: &str) -> Pay<'_> {
    Pay::Card { number, expiry: "12/30", cvc: "123", save: false }
}

async fn notices(db: &Db, account: &str, subject: &str) -> usize {
    let n: Vec<RecordId> = db
        .query("SELECT VALUE id FROM notification WHERE account = $a AND subject = $s")
        .bind(("a", account.to_string()))
        .bind(("s", subject.to_string()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    n.len()
}

fn attempt(n: usize) -> String {
    format!("attempt{n:0>20}")
}

#[tokio::test]
async fn a_persons_charges_come_from_gisgmp_and_keep_their_state_when_asked_again() {
    let db = with_people().await;
    let (me, now) = ivanov(&db).await;
    let d = service::debts(&db, &me, now).await.unwrap();
    assert!(!d.asking);
    assert_eq!(d.unpaid.len(), 2, "property and transport tax");
    assert_eq!(d.total, "6\u{a0}093\u{a0}₽");
    // A vehicle certificate adds its fines (…3: a fresh one and an old one).
    service::add_doc(&db, &me, "sts", "77 ук 123453", now).await.unwrap();
    assert!(matches!(service::add_doc(&db, &me, "sts", "77УК123453", now).await, Err(AppError::Invalid { .. })));
    let wrong = service::add_doc(&db, &me, "sts", "77 UK 12", now).await.unwrap_err();
    assert!(wrong.field_message("number").unwrap().contains("СТС"));
    let now = gis(&db, now, 5).await;
    let d = service::debts(&db, &me, now).await.unwrap();
    assert_eq!(d.unpaid.len(), 4);
    let fresh = d.unpaid.iter().find(|c| c.discount.is_some()).expect("the fresh fine shows its discount");
    assert_eq!(fresh.amount, "250\u{a0}₽", "half of 500 ₽ while the discount lasts");
    assert!(fresh.discount.as_ref().unwrap().left.contains("17"));
    // Asked again later: nothing is made twice.
    service::refresh(&db, &me, now + TimeDelta::minutes(6)).await.unwrap();
    let later = gis(&db, now + TimeDelta::minutes(6), 5).await;
    let rows = charges::of_account(&db, "demo_ivanov").await.unwrap();
    assert_eq!(rows.len(), 4);
    // The discount ends by itself, with the clock moved past the 20th day.
    let row = rows.iter().find(|c| c.discount_until.is_some_and(|u| u > later)).unwrap();
    assert_eq!(row.due_now(later), 25_000);
    assert_eq!(row.due_now(later + TimeDelta::days(18)), 50_000);
}

#[tokio::test]
async fn a_uin_found_by_search_is_payable_by_anyone_but_listed_for_nobody() {
    let db = with_people().await;
    let me = caller(&db, "demo_sidorov", false, t0()).await;
    let friend = with_control("188101771990000012"); // not 19 digits: refused
    assert!(service::find(&db, &me, &friend, t0()).await.unwrap_err().field_message("uin").is_some());
    let bad = service::find(&db, &me, "18810177261200000017", t0()).await.unwrap_err();
    assert!(bad.field_message("uin").unwrap().contains("контрольная"));
    // A friend's fine: the УИН of a fixture fine (variant 2, СТС 77…654322).
    let uin = with_control("1881017727765432226");
    let (_, message) = service::find(&db, &me, &uin, t0()).await.unwrap();
    let message = message.unwrap();
    let waiting = service::find_state(&db, &me, &uin, &message).await.unwrap();
    assert!(waiting.waiting && waiting.found.is_none());
    gis(&db, t0(), 4).await;
    let found = service::find_state(&db, &me, &uin, &message).await.unwrap();
    assert_eq!(found.found, Some(format!("/payments/charge/{uin}")));
    let view = service::charge_view(&db, &me, &uin, true, t0()).await.unwrap();
    assert!(view.payable && !view.own && view.item.appeal_href.is_none(), "only the owner appeals");
    assert!(charges::of_account(&db, "demo_sidorov").await.unwrap().is_empty());
    // An unknown УИН is not found, and says so.
    let none = with_control("1881017729771234526");
    let (_, m) = service::find(&db, &me, &none, t0()).await.unwrap();
    gis(&db, t0(), 4).await;
    let s = service::find_state(&db, &me, &none, &m.unwrap()).await.unwrap();
    assert!(!s.waiting && s.found.is_none() && !s.failed, "{s:?}");
}

#[tokio::test]
async fn twenty_attempts_to_pay_one_charge_at_once_make_one_payment_and_one_success() {
    let db = Arc::new(with_people().await);
    let (me, now) = ivanov(&db).await;
    let uin = charges::of_account(&db, "demo_ivanov").await.unwrap()[0].uin.clone();
    let acq = Arc::new(bank(&db));
    let tries: Vec<_> = (0..20)
        .map(|n| {
            let (db, acq, me, uin) = (db.clone(), acq.clone(), me.clone(), uin.clone());
            tokio::spawn(async move {
                service::pay(&db, &*acq, &me, &uin, &attempt(n), card("2200000000000004"), now).await
            })
        })
        .collect();
    let mut keys = Vec::new();
    for t in tries {
        keys.push(t.await.unwrap().unwrap());
    }
    assert!(keys.iter().all(|k| *k == keys[0]), "two tabs, one payment: {keys:?}");
    let all: Vec<RecordId> = db.query("SELECT VALUE id FROM payment").await.unwrap().take(0).unwrap();
    assert_eq!(all.len(), 1);
    let code = code(&db, &keys[0]).await;
    let confirms: Vec<_> = (0..20)
        .map(|_| {
            let (db, acq, me, key, code) = (db.clone(), acq.clone(), me.clone(), keys[0].clone(), code.clone());
            tokio::spawn(async move { service::confirm(&db, &*acq, &me, &key, &code, now).await })
        })
        .collect();
    for t in confirms {
        t.await.unwrap().unwrap();
    }
    let p = store::load(&db, &keys[0]).await.unwrap().unwrap();
    assert_eq!(p.status, PayStatus::Success);
    let c = charges::load(&db, &uin).await.unwrap().unwrap();
    assert_eq!((c.state, c.paid_by.as_deref()), (ChargeState::Paid, Some(keys[0].as_str())));
    assert_eq!(notices(&db, "demo_ivanov", "Платёж выполнен").await, 1);
    let captured: Vec<RecordId> =
        db.query("SELECT VALUE id FROM acq_op WHERE state = 'captured'").await.unwrap().take(0).unwrap();
    assert_eq!(captured.len(), 1, "the bank took the money once");
    // Paid: a new attempt is refused; the same attempt finds its payment.
    assert!(service::pay(&db, &*acq, &me, &uin, &attempt(99), card("2200000000000004"), now).await.is_err());
    assert_eq!(service::pay(&db, &*acq, &me, &uin, &p.attempt, card("2200000000000004"), now).await.unwrap(), keys[0]);
    // ГИС ГМП matches it: «квитировано».
    gis(&db, now, 4).await;
    let c = charges::load(&db, &uin).await.unwrap().unwrap();
    assert_eq!(c.state, ChargeState::Settled);
    let v = service::payment_view(&db, &me, &keys[0], now).await.unwrap();
    assert!(v.settled && v.receipt_href.is_some());
}

#[tokio::test]
async fn a_duplicated_and_a_late_callback_are_applied_once() {
    let db = Arc::new(with_people().await);
    let (me, now) = ivanov(&db).await;
    let rows = charges::of_account(&db, "demo_ivanov").await.unwrap();
    let acq = bank(&db);
    // A card whose bank calls back twice.
    let key = service::pay(&db, &acq, &me, &rows[0].uin, &attempt(1), card("5555555555554444"), now).await.unwrap();
    service::confirm(&db, &acq, &me, &key, &code(&db, &key).await, now).await.unwrap();
    let cb = Callback { op: key.clone(), captured: true, decline: None };
    service::on_callback(&db, &cb, now).await.unwrap();
    service::on_callback(&db, &cb, now).await.unwrap();
    let p = store::load(&db, &key).await.unwrap().unwrap();
    assert_eq!((p.status, p.version), (PayStatus::Success, 3), "started, submitted, success: nothing more");
    assert_eq!(notices(&db, "demo_ivanov", "Платёж выполнен").await, 1);
    // A card whose bank does not answer the code in time.
    let late = service::pay(&db, &acq, &me, &rows[1].uin, &attempt(2), card("4000000000000119"), now).await.unwrap();
    service::confirm(&db, &acq, &me, &late, &code(&db, &late).await, now).await.unwrap();
    assert_eq!(
        store::load(&db, &late).await.unwrap().unwrap().status,
        PayStatus::Submitted,
        "«в обработке», not guessed"
    );
    // Past its lifetime it still does not expire: the job asks the bank.
    let later = now + TimeDelta::minutes(20);
    service::check_open(&db, &acq, later).await.unwrap();
    assert_eq!(store::load(&db, &late).await.unwrap().unwrap().status, PayStatus::Success);
    // The bank's late callback after that changes nothing.
    service::on_callback(&db, &Callback { op: late.clone(), captured: true, decline: None }, later).await.unwrap();
    assert_eq!(notices(&db, "demo_ivanov", "Платёж выполнен").await, 2);
    let c = charges::load(&db, &rows[1].uin).await.unwrap().unwrap();
    assert_eq!(c.paid_by.as_deref(), Some(late.as_str()));
}

#[tokio::test]
async fn a_declined_card_fails_with_its_reason_and_the_charge_can_be_paid_again() {
    let db = Arc::new(with_people().await);
    let (me, now) = ivanov(&db).await;
    let uin = charges::of_account(&db, "demo_ivanov").await.unwrap()[0].uin.clone();
    let acq = bank(&db);
    // Bad input is refused before anything is made, field by field.
    let e = service::pay(
        &db,
        &acq,
        &me,
        &uin,
        &attempt(1),
        Pay::Card { number: "4111 1111 1111 1112", expiry: "01/20", cvc: "1", save: false },
        now,
    )
    .await
    .unwrap_err();
    assert!(
        e.field_message("number").is_some()
            && e.field_message("expiry").unwrap().contains("истёк")
            && e.field_message("cvc").is_some()
    );
    assert!(store::open_of(&db, &uin).await.unwrap().is_none());
    let key = service::pay(&db, &acq, &me, &uin, &attempt(2), card("4000000000000002"), now).await.unwrap();
    // A wrong code first: its tries are counted.
    let wrong = service::confirm(&db, &acq, &me, &key, "000000", now).await.unwrap_err();
    assert!(wrong.field_message("code").unwrap().contains("Осталось попыток: 2"));
    service::confirm(&db, &acq, &me, &key, &code(&db, &key).await, now).await.unwrap();
    let v = service::payment_view(&db, &me, &key, now).await.unwrap();
    assert_eq!(v.status, PayStatus::Failed);
    assert!(v.failure.unwrap().contains("Банк отклонил"));
    assert_eq!(charges::load(&db, &uin).await.unwrap().unwrap().state, ChargeState::Open);
    // «Повторить»: a new attempt with a good card pays.
    let again = service::pay(&db, &acq, &me, &uin, &attempt(3), card("4111111111111111"), now).await.unwrap();
    assert_ne!(again, key);
    service::confirm(&db, &acq, &me, &again, &code(&db, &again).await, now).await.unwrap();
    assert_eq!(store::load(&db, &again).await.unwrap().unwrap().status, PayStatus::Success);
    // History shows both, the failed one as «Неуспешно».
    let h = service::history(&db, &me, "", "", "").await.unwrap();
    assert_eq!(h.items.len(), 2);
    assert!(h.items.iter().any(|i| i.status == PayStatus::Failed));
    assert!(service::history(&db, &me, "fine", "", "").await.unwrap().items.is_empty());
}

#[tokio::test]
async fn a_payment_left_open_expires_and_the_bank_releases_its_hold() {
    let db = Arc::new(with_people().await);
    let (me, now) = ivanov(&db).await;
    let uin = charges::of_account(&db, "demo_ivanov").await.unwrap()[0].uin.clone();
    let acq = bank(&db);
    let key = service::pay(&db, &acq, &me, &uin, &attempt(1), card("2200000000000004"), now).await.unwrap();
    assert_eq!(service::check_open(&db, &acq, now + TimeDelta::minutes(5)).await.unwrap(), 0, "still alive");
    service::check_open(&db, &acq, now + TimeDelta::minutes(16)).await.unwrap();
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().status, PayStatus::Expired);
    let state: Vec<String> = db.query("SELECT VALUE state FROM acq_op").await.unwrap().take(0).unwrap();
    assert_eq!(state, vec!["cancelled".to_string()], "the hold is released");
    // The code arriving late does not take money.
    let e = service::confirm(&db, &acq, &me, &key, &code(&db, &key).await, now + TimeDelta::minutes(17)).await;
    assert!(e.is_ok());
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().status, PayStatus::Expired);
    assert!(store::open_of(&db, &uin).await.unwrap().is_none(), "the charge is free for a new payment");
}

#[tokio::test]
async fn an_sbp_payment_is_paid_once_in_the_bank_app() {
    let db = Arc::new(with_people().await);
    let (me, now) = ivanov(&db).await;
    let uin = charges::of_account(&db, "demo_ivanov").await.unwrap()[1].uin.clone();
    let acq = bank(&db);
    let key = service::pay(&db, &acq, &me, &uin, &attempt(1), Pay::Sbp, now).await.unwrap();
    let v = service::payment_view(&db, &me, &key, now).await.unwrap();
    assert!(v.sbp_link.as_deref().unwrap().ends_with(&format!("/sim/sbp/{key}")));
    assert!(v.sbp_qr.is_some() && v.waiting);
    acq.sbp_answer(&key, true, now).await.unwrap();
    acq.sbp_answer(&key, true, now).await.unwrap();
    let cb = Callback { op: key.clone(), captured: true, decline: None };
    service::on_callback(&db, &cb, now).await.unwrap();
    service::on_callback(&db, &cb, now).await.unwrap();
    assert_eq!(store::load(&db, &key).await.unwrap().unwrap().status, PayStatus::Success);
    assert_eq!(notices(&db, "demo_ivanov", "Платёж выполнен").await, 1);
    // A QR code past its lifetime cannot be paid.
    let other = charges::of_account(&db, "demo_ivanov")
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.state == ChargeState::Open)
        .unwrap();
    let k2 = service::pay(&db, &acq, &me, &other.uin, &attempt(2), Pay::Sbp, now).await.unwrap();
    acq.sbp_answer(&k2, true, now + TimeDelta::minutes(11)).await.unwrap();
    service::check_open(&db, &acq, now + TimeDelta::minutes(11)).await.unwrap();
    assert_eq!(store::load(&db, &k2).await.unwrap().unwrap().status, PayStatus::Expired);
}

#[tokio::test]
async fn another_persons_payment_is_not_found_and_a_simplified_account_cannot_pay() {
    let db = Arc::new(with_people().await);
    let (me, now) = ivanov(&db).await;
    let uin = charges::of_account(&db, "demo_ivanov").await.unwrap()[0].uin.clone();
    let acq = bank(&db);
    let key = service::pay(&db, &acq, &me, &uin, &attempt(1), card("2200000000000004"), now).await.unwrap();
    let other = caller(&db, "demo_sidorov", false, now).await;
    assert!(matches!(service::payment_view(&db, &other, &key, now).await, Err(AppError::NotFound)));
    assert!(matches!(service::confirm(&db, &acq, &other, &key, "123456", now).await, Err(AppError::NotFound)));
    assert!(matches!(service::receipt(&db, &other, &key).await, Err(AppError::NotFound)));
    // Someone else cannot start a second payment of a charge being paid.
    let busy = service::pay(&db, &acq, &other, &uin, &attempt(2), card("2200000000000004"), now).await.unwrap_err();
    assert!(busy.to_string().contains("уже оплачивается"));
    let petrova = caller(&db, "demo_petrova", false, now).await;
    assert!(matches!(service::debts(&db, &petrova, now).await, Err(AppError::LevelTooLow { .. })));
}

#[tokio::test]
async fn the_receipt_is_a_pdf_with_the_uin_and_the_amount() {
    let db = Arc::new(with_people().await);
    let (me, now) = ivanov(&db).await;
    let c = charges::of_account(&db, "demo_ivanov").await.unwrap()[0].clone();
    let acq = bank(&db);
    let key = service::pay(&db, &acq, &me, &c.uin, &attempt(1), card("2200000000000004"), now).await.unwrap();
    assert!(service::receipt(&db, &me, &key).await.is_err(), "no receipt before it is paid");
    service::confirm(&db, &acq, &me, &key, &code(&db, &key).await, now).await.unwrap();
    let (name, pdf) = service::receipt(&db, &me, &key).await.unwrap();
    assert!(name.ends_with(".pdf") && pdf.starts_with(b"%PDF"));
    let p = store::load(&db, &key).await.unwrap().unwrap();
    let qr = super::receipt::gost_qr(&p);
    assert!(
        qr.starts_with("ST00012|")
            && qr.contains(&format!("UIN={}", c.uin))
            && qr.contains(&format!("Sum={}", p.amount))
    );
    service::email_receipt(&db, &me, &key, "http://localhost", now).await.unwrap();
    let mails: Vec<String> = db
        .query("SELECT VALUE body FROM outbox WHERE channel = 'email' AND subject CONTAINS 'чек'")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert!(mails[0].contains(&crate::charges::model::uin_text(&c.uin)));
}

#[tokio::test]
async fn reminders_of_a_due_date_and_an_ending_discount_are_sent_once() {
    let db = with_people().await;
    let (me, now) = ivanov(&db).await;
    service::add_doc(&db, &me, "sts", "77УК123451", now).await.unwrap();
    let now = gis(&db, now, 5).await;
    // The property tax is due in 2 days: a reminder now, once.
    assert_eq!(service::remind(&db, now).await.unwrap(), 1);
    assert_eq!(service::remind(&db, now).await.unwrap(), 0);
    assert_eq!(notices(&db, "demo_ivanov", "Срок оплаты").await, 1);
    // The fine's discount ends 17 days after; 3 days before it, a reminder.
    let near = now + TimeDelta::days(15);
    assert!(service::remind(&db, near).await.unwrap() >= 1);
    assert_eq!(notices(&db, "demo_ivanov", "Скидка на штраф заканчивается").await, 1);
    service::remind(&db, near).await.unwrap();
    assert_eq!(notices(&db, "demo_ivanov", "Скидка на штраф заканчивается").await, 1);
}

#[tokio::test]
async fn an_appeal_disputes_the_charge_and_its_end_opens_or_annuls_it() {
    let db = with_people().await;
    let (_me, now) = ivanov(&db).await;
    let rows = charges::of_account(&db, "demo_ivanov").await.unwrap();
    let (a, b) = (rows[0].uin.clone(), rows[1].uin.clone());
    assert!(charges::disputable(&db, &a, "demo_ivanov").await.unwrap());
    assert!(!charges::disputable(&db, &a, "demo_sidorov").await.unwrap(), "only one's own");
    for (uin, app) in [(&a, "app1"), (&b, "app2")] {
        charges::dispute_in(db.query("BEGIN"), uin, "demo_ivanov", app, now).query("COMMIT").exec("t").await.unwrap();
    }
    assert_eq!(charges::load(&db, &a).await.unwrap().unwrap().state, ChargeState::Disputed);
    // Disputed twice: the second fails as a whole.
    let twice = charges::dispute_in(db.query("BEGIN"), &a, "demo_ivanov", "app3", now).query("COMMIT").exec("t").await;
    assert!(twice.is_err());
    charges::appeal_ended_in(db.query("RETURN NONE"), "app1", false, now).exec("t").await.unwrap();
    charges::appeal_ended_in(db.query("RETURN NONE"), "app2", true, now).exec("t").await.unwrap();
    assert_eq!(charges::load(&db, &a).await.unwrap().unwrap().state, ChargeState::Open);
    assert_eq!(charges::load(&db, &b).await.unwrap().unwrap().state, ChargeState::Annulled);
}

#[tokio::test]
async fn a_duty_is_made_once_per_application() {
    let db = with_people().await;
    for _ in 0..2 {
        charges::duty_in(
            db.query("RETURN NONE"),
            "demo_ivanov",
            "appkey",
            "123456789",
            "Загранпаспорт",
            "МВД России",
            600_000,
            t0(),
        )
        .exec("duty")
        .await
        .unwrap();
    }
    let rows = charges::of_account(&db, "demo_ivanov").await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].amount, rows[0].kind.as_str()), (600_000, "duty"));
    assert!(crate::charges::model::parse_uin(&rows[0].uin).is_ok());
    assert_eq!(rows[0].application.as_deref(), Some("appkey"));
}

#[tokio::test]
async fn a_linked_bank_account_pays_with_the_banks_code_and_is_kept_as_a_token() {
    let db = Arc::new(with_people().await);
    let (me, now) = ivanov(&db).await;
    let rows = charges::of_account(&db, "demo_ivanov").await.unwrap();
    let acq = bank(&db);
    // A wrong control key is told by the field, with the БИК kept.
    let e = service::pay(
        &db,
        &acq,
        &me,
        &rows[0].uin,
        &attempt(1),
        Pay::Account { number: "40817810100000001234", bik: "044525225", save: true },
        now,
    )
    .await
    .unwrap_err();
    assert!(e.field_message("account").unwrap().contains("не подходит"));
    assert_eq!(e.value("bik").as_deref(), Some("044525225"));
    let key = service::pay(
        &db,
        &acq,
        &me,
        &rows[0].uin,
        &attempt(2),
        Pay::Account { number: "4081 7810 0000 0000 1234", bik: "044525225", save: true },
        now,
    )
    .await
    .unwrap();
    service::confirm(&db, &acq, &me, &key, &code(&db, &key).await, now).await.unwrap();
    let v = service::payment_view(&db, &me, &key, now).await.unwrap();
    assert_eq!(
        (v.status, v.means.as_str(), v.method.as_str()),
        (PayStatus::Success, "Счёт •••• 1234", "Привязанный счёт")
    );
    // Kept: only the bank's token and four digits; the next charge is paid from it.
    let saved = store::cards(&db, "demo_ivanov").await.unwrap();
    assert_eq!((saved.len(), saved[0].brand.as_str(), saved[0].last4.as_str()), (1, "Счёт", "1234"));
    assert!(saved[0].token.starts_with("tok_"));
    let stored: Vec<String> = db.query("SELECT VALUE means FROM payment").await.unwrap().take(0).unwrap();
    assert!(stored.iter().all(|m| !m.contains("40817810")), "the account number is not kept");
    let again = service::pay(&db, &acq, &me, &rows[1].uin, &attempt(3), Pay::Saved { card: &saved[0].key() }, now)
        .await
        .unwrap();
    service::confirm(&db, &acq, &me, &again, &code(&db, &again).await, now).await.unwrap();
    assert_eq!(store::load(&db, &again).await.unwrap().unwrap().method, super::model::Method::Account);
    assert_eq!(store::load(&db, &again).await.unwrap().unwrap().status, PayStatus::Success);
}
