//! The rules of paying: what a person may see and pay, how an attempt
//! becomes one payment, how the acquirer's answers and callbacks move it
//! (each applied once), and the job that asks the acquirer about payments
//! left open or in processing — never guessing their outcome.

use chrono::{DateTime, Datelike, TimeDelta, Utc};

use super::acquirer::{AcqError, Acquirer, Callback, Confirmed, OpStatus, Source, Started};
use super::dto::*;
use super::model::{self, Method, PayEvent, PayStatus};
use super::store::{self, NewPayment, NotCreated, PaymentRow};
use crate::auth::caller::Caller;
use crate::auth::model::Level;
use crate::charges::gisgmp::{self, ChargesQuery};
use crate::charges::model::{
    ChargeKind, ChargeState, left_text, parse_licence, parse_sts, parse_uin, rubles, uin_text,
};
use crate::charges::store::{self as charges, ChargeRow};
use crate::error::AppError;
use crate::format::{date_ru, msk};
use crate::platform::db::{Db, QueryExt};

/// The level the section needs (seed 000 §4.3: «только при наличии
/// подтверждённого профиля»).
pub const LEVEL: Level = Level::Confirmed;

fn not_found() -> AppError {
    AppError::NotFound
}

fn citizen(caller: &Caller) -> Result<(), AppError> {
    caller.require_level(LEVEL)
}

fn item(c: &ChargeRow, account: &str, now: DateTime<Utc>) -> ChargeItem {
    let due = c.due_now(now);
    let discount = c.discount_until.filter(|u| *u > now && c.state.payable()).map(|u| Discount {
        full: rubles(c.amount),
        until: format!("до {}", msk(u - TimeDelta::seconds(1)).split(' ').next().unwrap_or_default()),
        left: left_text(u, now),
        until_iso: u.to_rfc3339(),
    });
    let own = c.account.as_deref() == Some(account);
    let today = crate::format::msk_date(now).format("%Y-%m-%d").to_string();
    ChargeItem {
        uin: c.uin.clone(),
        uin_text: uin_text(&c.uin),
        kind: c.kind,
        title: c.title.clone(),
        details: c.details.clone(),
        department: c.department.clone(),
        amount: rubles(if c.state.payable() { due } else { c.amount }),
        discount,
        due_on: date_ru(&c.due_on),
        overdue: c.state.payable() && c.due_on < today,
        state: c.state,
        href: format!("/payments/charge/{}", c.uin),
        appeal_href: c
            .kind
            .appeal_service()
            .filter(|_| own && c.state == ChargeState::Open)
            .map(|s| format!("/services/{s}/apply?uin={}", c.uin)),
        application_href: if own {
            c.appeal.clone().or(c.application.clone()).map(|k| format!("/applications/{k}"))
        } else {
            None
        },
    }
}

fn payee_item(c: &ChargeRow) -> PayeeItem {
    PayeeItem {
        key: String::new(),
        name: c.payee_name.clone(),
        inn: c.payee_inn.clone(),
        kpp: c.payee_kpp.clone(),
        account: c.payee_account.clone(),
        bik: c.payee_bik.clone(),
        bank: c.payee_bank.clone(),
    }
}

fn doc_label(kind: &str) -> &'static str {
    if kind == "sts" {
        "Свидетельство о регистрации ТС (СТС)"
    } else {
        "Водительское удостоверение"
    }
}

/// What ГИС ГМП is asked about the person: their ИНН and documents.
async fn query_of(db: &Db, caller: &Caller) -> Result<ChargesQuery, AppError> {
    let docs = store::docs(db, &caller.key()).await?;
    Ok(ChargesQuery {
        inn: caller.account.inn.clone(),
        sts: docs.iter().filter(|d| d.kind == "sts").map(|d| d.number.clone()).collect(),
        vu: docs.iter().filter(|d| d.kind == "vu").map(|d| d.number.clone()).collect(),
        uin: None,
    })
}

/// «Задолженности и штрафы»: what is known now, and ГИС ГМП asked again
/// when the last answer is older than `gisgmp::ASK_EVERY`.
pub async fn debts(db: &Db, caller: &Caller, gis: bool, now: DateTime<Utc>) -> Result<Debts, AppError> {
    citizen(caller)?;
    let account = caller.key();
    // ГИС ГМП is asked only when the portal can reach it (`gis`).
    let request = if gis {
        let query = query_of(db, caller).await?;
        let message = gisgmp::ask_mine(db, &account, &query, false, now).await?;
        gisgmp::request_state(db, &message).await?
    } else {
        None
    };
    let asking = request.as_ref().is_some_and(|r| !r.state.is_final());
    let ask_failed = !gis || request.as_ref().is_some_and(|r| r.state.is_final() && r.answer.is_none());
    let rows = charges::of_account(db, &account).await?;
    let (unpaid, done): (Vec<_>, Vec<_>) = rows.iter().partition(|c| c.state.payable());
    let total: i64 = unpaid.iter().map(|c| c.due_now(now)).sum();
    let docs = store::docs(db, &account)
        .await?
        .into_iter()
        .map(|d| DocItem { key: d.key(), label: doc_label(&d.kind).into(), number: d.number.clone() })
        .collect();
    Ok(Debts {
        unpaid: unpaid.iter().map(|c| item(c, &account, now)).collect(),
        done: done.iter().map(|c| item(c, &account, now)).collect(),
        total: rubles(total),
        docs,
        inn: caller.account.inn.clone(),
        asking,
        ask_failed,
        payees: payees(db, caller).await?,
        cards: cards(db, caller).await?,
    })
}

async fn payees(db: &Db, caller: &Caller) -> Result<Vec<PayeeItem>, AppError> {
    Ok(store::payees(db, &caller.key())
        .await?
        .into_iter()
        .map(|p| PayeeItem {
            key: p.key(),
            name: p.name,
            inn: p.inn,
            kpp: p.kpp,
            account: p.bank_account,
            bik: p.bik,
            bank: p.bank,
        })
        .collect())
}

async fn cards(db: &Db, caller: &Caller) -> Result<Vec<CardItem>, AppError> {
    Ok(store::cards(db, &caller.key())
        .await?
        .into_iter()
        .map(|c| CardItem {
            key: c.key(),
            label: if c.expiry.is_empty() {
                format!("{} •••• {}", c.brand, c.last4)
            } else {
                format!("{} •••• {}, до {}", c.brand, c.last4, c.expiry)
            },
        })
        .collect())
}

/// Adds a vehicle certificate or driver's licence and asks ГИС ГМП again.
pub async fn add_doc(
    db: &Db,
    caller: &Caller,
    kind: &str,
    number: &str,
    gis: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    citizen(caller)?;
    let parsed = match kind {
        "sts" => parse_sts(number),
        "vu" => parse_licence(number),
        _ => return Err(AppError::field("kind", "Выберите вид документа")),
    };
    let number = parsed.map_err(|m| AppError::field("number", m).with_values(&[("number", number), ("kind", kind)]))?;
    if store::docs(db, &caller.key()).await?.len() >= 10 {
        return Err(AppError::field("number", "Можно добавить до 10 документов"));
    }
    if !store::add_doc(db, &caller.key(), kind, &number, now).await? {
        return Err(
            AppError::field("number", "Этот документ уже добавлен").with_values(&[("number", &number), ("kind", kind)])
        );
    }
    if gis {
        let query = query_of(db, caller).await?;
        gisgmp::ask_mine(db, &caller.key(), &query, true, now).await?;
    }
    Ok(())
}

pub async fn remove_doc(db: &Db, caller: &Caller, key: &str) -> Result<(), AppError> {
    citizen(caller)?;
    store::remove_doc(db, &caller.key(), key).await
}

/// «Обновить»: ask ГИС ГМП now.
pub async fn refresh(db: &Db, caller: &Caller, gis: bool, now: DateTime<Utc>) -> Result<(), AppError> {
    citizen(caller)?;
    if !gis {
        return Err(AppError::invalid("Сведения из ГИС ГМП сейчас недоступны"));
    }
    let query = query_of(db, caller).await?;
    gisgmp::ask_mine(db, &caller.key(), &query, false, now).await?;
    Ok(())
}

/// A search by УИН: the charge if known, else a request to ГИС ГМП (the
/// page then waits for its answer). Returns the УИН and the request.
pub async fn find(
    db: &Db,
    caller: &Caller,
    uin: &str,
    gis: bool,
    now: DateTime<Utc>,
) -> Result<(String, Option<String>), AppError> {
    citizen(caller)?;
    let uin = parse_uin(uin).map_err(|m| AppError::field("uin", m).with_values(&[("uin", uin)]))?;
    if charges::load(db, &uin).await?.is_some() {
        return Ok((uin, None));
    }
    if !gis {
        return Err(AppError::field("uin", "Поиск в ГИС ГМП сейчас недоступен. Оплатите по УИН в банке"));
    }
    let message = gisgmp::ask_uin(db, &caller.key(), &uin, now).await?;
    Ok((uin, Some(message)))
}

pub async fn find_state(db: &Db, caller: &Caller, uin: &str, message: &str) -> Result<FindState, AppError> {
    citizen(caller)?;
    let uin = parse_uin(uin).map_err(|m| AppError::field("uin", m))?;
    if charges::load(db, &uin).await?.is_some() {
        return Ok(FindState { found: Some(format!("/payments/charge/{uin}")), uin, waiting: false, failed: false });
    }
    let request = gisgmp::request_state(db, message).await?.filter(|r| r.subject == format!("uin:{}", caller.key()));
    let waiting = request.as_ref().is_some_and(|r| !r.state.is_final());
    let failed = request.as_ref().is_some_and(|r| r.state.is_final() && r.answer.is_none());
    Ok(FindState { uin, found: None, waiting, failed })
}

/// A charge is opened by its УИН by whoever knows it — a fine of a
/// friend's car is paid as at a bank; only the person's own charges are
/// listed, and only they may appeal one.
async fn visible(db: &Db, _caller: &Caller, uin: &str) -> Result<ChargeRow, AppError> {
    charges::load(db, uin).await?.ok_or_else(not_found)
}

pub async fn charge_view(
    db: &Db,
    caller: &Caller,
    uin: &str,
    available: bool,
    now: DateTime<Utc>,
) -> Result<ChargeView, AppError> {
    citizen(caller)?;
    let c = visible(db, caller, uin).await?;
    let account = caller.key();
    let open = store::open_of(db, &c.uin).await?.filter(|p| p.account == account);
    let saved =
        store::payees(db, &account).await?.iter().any(|p| p.inn == c.payee_inn && p.bank_account == c.payee_account);
    Ok(ChargeView {
        item: item(&c, &account, now),
        payee: payee_item(&c),
        kbk: c.kbk.clone(),
        oktmo: c.oktmo.clone(),
        own: c.account.as_deref() == Some(account.as_str()),
        payable: c.state.payable(),
        open_payment: open.map(|p| format!("/payments/p/{}", p.key())),
        paid_payment: c.paid_by.as_ref().filter(|_| !c.state.payable()).map(|k| format!("/payments/p/{k}")),
        cards: cards(db, caller).await?,
        attempt: uuid::Uuid::new_v4().simple().to_string(),
        available,
        payee_saved: saved,
    })
}

/// How a payment is to be made.
pub enum Pay<'a> {
    Card {
        number: &'a str,
        expiry: &'a str,
        cvc: &'a str,
        save: bool,
    },
    /// A card or an account kept earlier (its key).
    Saved {
        card: &'a str,
    },
    Account {
        number: &'a str,
        bik: &'a str,
        save: bool,
    },
    Sbp,
}

/// What the acquirer is sent, typed now (never stored).
enum Typed {
    Card(model::Card),
    Account(model::BankAccount),
}

fn attempt_key(attempt: &str) -> Result<String, AppError> {
    let a = attempt.trim();
    if a.len() < 16 || a.len() > 64 || !a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(AppError::invalid("Обновите страницу и попробуйте ещё раз"));
    }
    Ok(a.to_string())
}

/// «Оплатить»: one payment per attempt and one open per charge, then the
/// card (or the QR) goes to the acquirer. Returns the payment's key.
pub async fn pay<A: Acquirer>(
    db: &Db,
    acq: &A,
    caller: &Caller,
    uin: &str,
    attempt: &str,
    how: Pay<'_>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    citizen(caller)?;
    let attempt = attempt_key(attempt)?;
    if let Some(p) = store::by_attempt(db, &attempt).await? {
        // The same attempt again (a double click, a retry): the same payment.
        return if p.account == caller.key() { Ok(p.key()) } else { Err(not_found()) };
    }
    let c = visible(db, caller, uin).await?;
    if !c.state.payable() {
        return Err(AppError::invalid("Начисление уже оплачено или отменено"));
    }
    let account = caller.key();
    // Check the card or account before anything is made; its secrets are
    // never echoed.
    let (method, means, typed, token, save) = match &how {
        Pay::Card { number, expiry, cvc, save } => {
            let card = model::parse_card(number, expiry, cvc, now).map_err(|p| {
                AppError::fields(p.iter().map(|(f, m)| (*f, m.clone())).collect()).with_values(&[("method", "card")])
            })?;
            (Method::Card, card.means(), Some(Typed::Card(card)), None, *save)
        }
        Pay::Account { number, bik, save } => {
            let acc = model::parse_account(number, bik).map_err(|p| {
                AppError::fields(p.iter().map(|(f, m)| (*f, m.clone())).collect())
                    .with_values(&[("method", "account"), ("bik", bik)])
            })?;
            (Method::Account, acc.means(), Some(Typed::Account(acc)), None, *save)
        }
        Pay::Saved { card } => {
            let saved = store::cards(db, &account).await?.into_iter().find(|c| c.key() == *card);
            let saved = saved.ok_or_else(|| AppError::field("saved", "Выберите карту или счёт из списка"))?;
            let method = if saved.brand == ACCOUNT_BRAND { Method::Account } else { Method::Card };
            (method, format!("{} •••• {}", saved.brand, saved.last4), None, Some(saved.token), false)
        }
        Pay::Sbp => (Method::Sbp, "СБП".to_string(), None, None, false),
    };
    let key = uuid::Uuid::now_v7().simple().to_string();
    let amount = c.due_now(now);
    let ttl = if method == Method::Sbp { model::SBP_TTL } else { model::PAYMENT_TTL };
    let made = store::create(
        db,
        NewPayment {
            key: &key,
            account: &account,
            attempt: &attempt,
            charge: &c,
            amount,
            method,
            means: &means,
            save_card: save,
            expires_at: now + ttl,
        },
        now,
    )
    .await?;
    match made {
        Ok(()) => {}
        Err(NotCreated::SameAttempt) => {
            let p = store::by_attempt(db, &attempt).await?.ok_or_else(not_found)?;
            return if p.account == account { Ok(p.key()) } else { Err(not_found()) };
        }
        Err(NotCreated::ChargeBusy) => {
            return match store::open_of(db, &c.uin).await? {
                Some(p) if p.account == account => Ok(p.key()),
                _ => Err(AppError::invalid(
                    "Это начисление уже оплачивается в другом окне или другим человеком. Подождите несколько минут",
                )),
            };
        }
    }
    // Sent: «started» is written before the acquirer is called, so a lost
    // answer leaves a payment the job asks about, never one left «created».
    store::apply(db, &key, PayEvent::Start, PayStatus::Started, "", &|q| q, &|q| q, now).await?;
    match method {
        Method::Sbp => match acq.start_sbp(&key, amount, now + ttl, now).await {
            Ok(link) => {
                db.query("UPDATE $id SET sbp_link = $link")
                    .bind(("id", store::payment_id(&key)))
                    .bind(("link", link))
                    .exec("sbp link")
                    .await?;
            }
            Err(_) => return Ok(key), // the job asks the acquirer; the page says «в обработке»
        },
        Method::Card | Method::Account => {
            let source = match (&typed, &token) {
                (Some(Typed::Card(c)), _) => Source::Card(c),
                (Some(Typed::Account(a)), _) => Source::Account(a),
                (None, Some(t)) => Source::Token(t),
                (None, None) => return Err(not_found()),
            };
            let phone = caller.account.phone.as_deref().filter(|_| caller.account.phone_confirmed);
            match acq.start_card(&key, amount, source, phone, &account, now).await {
                Ok(Started::Challenge) | Err(AcqError::Timeout | AcqError::Unavailable) => {}
                Ok(Started::Captured { token }) => {
                    captured(db, &key, token.as_deref(), expiry_of(&typed), now).await?;
                }
                Ok(Started::Declined(code)) => {
                    declined(db, &key, &code, now).await?;
                }
            }
        }
    }
    Ok(key)
}

/// The brand a saved account is kept under («Счёт •••• 1234»).
pub const ACCOUNT_BRAND: &str = "Счёт";

fn expiry_of(typed: &Option<Typed>) -> Option<String> {
    match typed {
        Some(Typed::Card(c)) => Some(c.expiry()),
        _ => None,
    }
}

/// The payment of `key` if it is the caller's.
async fn own(db: &Db, caller: &Caller, key: &str) -> Result<PaymentRow, AppError> {
    store::load(db, key).await?.filter(|p| p.account == caller.key()).ok_or_else(not_found)
}

/// The code from the bank's SMS.
pub async fn confirm<A: Acquirer>(
    db: &Db,
    acq: &A,
    caller: &Caller,
    key: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    citizen(caller)?;
    let p = own(db, caller, key).await?;
    if p.status != PayStatus::Started || p.method == Method::Sbp {
        return Ok(()); // a repeat: the page shows where it is
    }
    let code = code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::field("code", "Код — 6 цифр из SMS банка"));
    }
    match acq.confirm(key, code, p.save_card, now).await {
        Ok(Confirmed::WrongCode { left }) => {
            Err(AppError::field("code", format!("Неверный код. Осталось попыток: {left}")))
        }
        Ok(Confirmed::Captured { token }) => {
            store::apply(db, key, PayEvent::Submit, PayStatus::Submitted, "", &|q| q, &|q| q, now).await?;
            captured(db, key, token.as_deref(), None, now).await
        }
        Ok(Confirmed::Declined(code)) => declined(db, key, &code, now).await,
        Ok(Confirmed::Pending) | Err(AcqError::Timeout) => {
            // The bank has the code but no answer came: «в обработке» until
            // its callback or its answer to the job.
            store::apply(db, key, PayEvent::Submit, PayStatus::Submitted, "", &|q| q, &|q| q, now).await?;
            Ok(())
        }
        // Nothing reached the bank: the code can be sent again.
        Err(AcqError::Unavailable) => Err(AppError::invalid("Банк не ответил. Введите код ещё раз через минуту")),
    }
}

/// «Отменить»: the acquirer releases what it holds, unless it has taken
/// the money — then the payment is what the acquirer says.
pub async fn cancel<A: Acquirer>(
    db: &Db,
    acq: &A,
    caller: &Caller,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    citizen(caller)?;
    let p = own(db, caller, key).await?;
    model::next(p.status, PayEvent::Cancel).map_err(AppError::invalid)?;
    match acq.cancel(key, now).await {
        Ok(OpStatus::Captured) => captured(db, key, None, None, now).await,
        Ok(OpStatus::Declined(code)) => declined(db, key, &code, now).await,
        Ok(OpStatus::Processing) => Err(AppError::invalid("Платёж уже в обработке у банка: дождитесь его результата")),
        Ok(_) => {
            store::apply(db, key, PayEvent::Cancel, PayStatus::Cancelled, "", &|q| q, &|q| q, now).await?;
            Ok(())
        }
        Err(_) => Err(AppError::invalid("Банк не ответил. Попробуйте отменить ещё раз через минуту")),
    }
}

/// The money was taken: success, the charge paid, the report to ГИС ГМП,
/// the card kept if asked, the notice — one transaction, applied once.
pub async fn captured(
    db: &Db,
    key: &str,
    token: Option<&str>,
    expiry: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(p) = store::load(db, key).await? else { return Ok(()) };
    let Some(a) = crate::auth::accounts::load(db, &p.account).await? else { return Ok(()) };
    let report = gisgmp::PaymentReport { payment: key.to_string(), uin: p.uin.clone(), amount: p.amount, paid_at: now };
    let text = format!("Оплачено {}: {}. Электронный чек — в «Истории платежей».", rubles(p.amount), p.title);
    let link = format!("/payments/p/{key}");
    let keep = token.filter(|_| p.save_card).map(str::to_string);
    let expiry = expiry.unwrap_or_default();
    store::apply(
        db,
        key,
        PayEvent::Capture,
        PayStatus::Success,
        "paid_at = $now",
        &|q| q,
        &|q| {
            let q = charges::paid_in(q, &p.uin, key, now);
            let q = gisgmp::report_in(q, &report, now);
            let q = match &keep {
                Some(t) => store::save_card_in(q, &p.account, t, &p.means, &expiry, now),
                None => q,
            };
            crate::notify::notice_in(
                q,
                0,
                &a,
                crate::notify::NoticeKind::Status,
                "Платёж выполнен",
                &text,
                Some(&link),
                now,
            )
        },
        now,
    )
    .await?;
    Ok(())
}

/// The bank declined: «Неуспешно» with its reason, the charge free again.
pub async fn declined(db: &Db, key: &str, code: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let Some(p) = store::load(db, key).await? else { return Ok(()) };
    let Some(a) = crate::auth::accounts::load(db, &p.account).await? else { return Ok(()) };
    let text = format!("Платёж {} не прошёл: {}.", rubles(p.amount), model::failure_text(code));
    let link = format!("/payments/p/{key}");
    store::apply(
        db,
        key,
        PayEvent::Decline,
        PayStatus::Failed,
        "failure = $code",
        &|q| q.bind(("code", code.to_string())),
        &|q| {
            crate::notify::notice_in(
                q,
                0,
                &a,
                crate::notify::NoticeKind::Status,
                "Платёж не прошёл",
                &text,
                Some(&link),
                now,
            )
        },
        now,
    )
    .await?;
    Ok(())
}

/// A callback of the acquirer: applied once (a repeat, or one for a
/// payment already ended, changes nothing).
pub async fn on_callback(db: &Db, cb: &Callback, now: DateTime<Utc>) -> Result<(), AppError> {
    let Some(p) = store::by_op(db, &cb.op).await? else { return Ok(()) };
    if p.status.is_final() {
        return Ok(());
    }
    if cb.captured {
        captured(db, &p.key(), None, None, now).await
    } else {
        declined(db, &p.key(), cb.decline.as_deref().unwrap_or("declined"), now).await
    }
}

/// Payments in processing are asked about after this long without news.
pub const QUIET: TimeDelta = TimeDelta::seconds(20);

/// The job: payments past their lifetime and payments in processing are
/// asked of the acquirer; what it says is applied. An open payment the
/// acquirer holds nothing of expires (its hold released first).
pub async fn check_open<A: Acquirer>(db: &Db, acq: &A, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut done = 0;
    for p in store::to_check(db, now, QUIET).await? {
        // One payment's trouble must not stop the others.
        match check_one(db, acq, &p, now).await {
            Ok(true) => done += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(payment = %p.key(), error = %e, "payment check"),
        }
    }
    Ok(done)
}

async fn check_one<A: Acquirer>(db: &Db, acq: &A, p: &PaymentRow, now: DateTime<Utc>) -> Result<bool, AppError> {
    let key = p.key();
    let past = p.expires_at <= now;
    let expired = past && matches!(p.status, PayStatus::Created | PayStatus::Started);
    let status = if expired { acq.cancel(&key, now).await } else { acq.status(&key, now).await };
    match status {
        Ok(OpStatus::Captured) => captured(db, &key, None, None, now).await?,
        Ok(OpStatus::Declined(code)) => declined(db, &key, &code, now).await?,
        Ok(OpStatus::Unknown) if p.status == PayStatus::Submitted => {
            declined(db, &key, "unknown_operation", now).await?
        }
        // «В обработке» but the bank never got the code through and its time
        // is over: released at the bank, then failed, so the charge is free.
        Ok(OpStatus::Waiting | OpStatus::Cancelled) if p.status == PayStatus::Submitted && past => {
            match acq.cancel(&key, now).await {
                Ok(OpStatus::Captured) => captured(db, &key, None, None, now).await?,
                Ok(OpStatus::Cancelled) => declined(db, &key, "expired", now).await?,
                _ => return Ok(false),
            }
        }
        Ok(OpStatus::Cancelled | OpStatus::Unknown | OpStatus::Waiting) if expired => {
            store::apply(db, &key, PayEvent::Expire, PayStatus::Expired, "", &|q| q, &|q| q, now).await?;
        }
        Ok(_) => {
            // Still processing: touch it so it is asked again after QUIET.
            db.query("UPDATE $id SET updated_at = $now WHERE status = 'submitted'")
                .bind(("id", store::payment_id(&key)))
                .bind(("now", now))
                .exec("payment asked")
                .await?;
            return Ok(false);
        }
        Err(_) => return Ok(false),
    }
    Ok(true)
}

pub async fn payment_view(db: &Db, caller: &Caller, key: &str, now: DateTime<Utc>) -> Result<PaymentView, AppError> {
    citizen(caller)?;
    let p = own(db, caller, key).await?;
    let charge = charges::load(db, &p.uin).await?;
    let settled = charge.as_ref().is_some_and(|c| c.state == ChargeState::Settled && c.paid_by.as_deref() == Some(key));
    let waiting =
        matches!(p.status, PayStatus::Submitted) || (p.status == PayStatus::Started && p.method == Method::Sbp);
    Ok(PaymentView {
        key: key.to_string(),
        title: p.title.clone(),
        uin_text: uin_text(&p.uin),
        charge_href: format!("/payments/charge/{}", p.uin),
        amount: rubles(p.amount),
        method: p.method.label().to_string(),
        means: p.means.clone(),
        status: p.status,
        failure: p.failure.as_deref().map(|f| model::failure_text(f).to_string()),
        created_at: msk(p.created_at),
        paid_at: p.paid_at.map(msk),
        settled,
        until: crate::format::moscow_time(p.expires_at, now),
        sbp_link: p.sbp_link.clone().filter(|_| p.status == PayStatus::Started),
        sbp_qr: p
            .sbp_link
            .as_deref()
            .filter(|_| p.status == PayStatus::Started)
            .and_then(crate::auth::model::totp::qr_data_url),
        receipt_href: (p.status == PayStatus::Success).then(|| format!("/api/payments/{key}/receipt")),
        payee: PayeeItem {
            key: String::new(),
            name: p.payee_name.clone(),
            inn: p.payee_inn.clone(),
            kpp: p.payee_kpp.clone(),
            account: p.payee_account.clone(),
            bik: p.payee_bik.clone(),
            bank: p.payee_bank.clone(),
        },
        waiting,
        has_email: caller.account.email.is_some() && caller.account.email_confirmed,
    })
}

/// «История платежей» with filters by kind and period (`YYYY-MM-DD`, Moscow days).
pub async fn history(db: &Db, caller: &Caller, kind: &str, from: &str, to: &str) -> Result<History, AppError> {
    citizen(caller)?;
    let day = |s: &str, end: bool| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2100).contains(&d.year()))
            .and_then(|d| {
                let d = if end { d + TimeDelta::days(1) } else { d };
                // Midnight in Moscow is 21:00 UTC the day before.
                d.and_hms_opt(0, 0, 0).map(|t| t.and_utc() - TimeDelta::hours(3))
            })
    };
    let filter = store::HistoryFilter { kind: ChargeKind::parse(kind), from: day(from, false), to: day(to, true) };
    if !from.trim().is_empty() && filter.from.is_none() {
        return Err(AppError::field("from", "Дата — в виде ГГГГ-ММ-ДД, с 2000 по 2100 год"));
    }
    if !to.trim().is_empty() && filter.to.is_none() {
        return Err(AppError::field("to", "Дата — в виде ГГГГ-ММ-ДД, с 2000 по 2100 год"));
    }
    let rows = store::history(db, &caller.key(), &filter, 200).await?;
    let mut settled = std::collections::HashSet::new();
    for p in rows.iter().filter(|p| p.status == PayStatus::Success) {
        if let Some(c) = charges::load(db, &p.uin).await?
            && c.state == ChargeState::Settled
            && c.paid_by.as_deref() == Some(p.key().as_str())
        {
            settled.insert(p.key());
        }
    }
    let total: i64 = rows.iter().filter(|p| p.status == PayStatus::Success).map(|p| p.amount).sum();
    Ok(History {
        items: rows
            .iter()
            .map(|p| HistoryItem {
                key: p.key(),
                href: format!("/payments/p/{}", p.key()),
                title: p.title.clone(),
                kind: p.kind,
                amount: rubles(p.amount),
                status: p.status,
                settled: settled.contains(&p.key()),
                at: msk(p.created_at),
                means: p.means.clone(),
            })
            .collect(),
        kind: filter.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        from: from.trim().to_string(),
        to: to.trim().to_string(),
        total: rubles(total),
    })
}

/// The receipt of the caller's successful payment, as PDF.
pub async fn receipt(db: &Db, caller: &Caller, key: &str, public_url: &str) -> Result<(String, Vec<u8>), AppError> {
    citizen(caller)?;
    let p = own(db, caller, key).await?;
    if p.status != PayStatus::Success {
        return Err(not_found());
    }
    let c = charges::load(db, &p.uin).await?;
    let settled = c.as_ref().is_some_and(|c| c.state == ChargeState::Settled && c.paid_by.as_deref() == Some(key));
    let link = format!("{}/payments/p/{key}", public_url.trim_end_matches('/'));
    let bytes = super::receipt::render(&p, &caller.account.full_name(), settled, &link)?;
    Ok((format!("chek-{}.pdf", &key[key.len().saturating_sub(12)..]), bytes))
}

/// «Отправить чек на почту»: a letter with the payment's facts and a link
/// to the receipt in the personal account (the outbox sends no files).
pub async fn email_receipt(
    db: &Db,
    caller: &Caller,
    key: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    citizen(caller)?;
    let p = own(db, caller, key).await?;
    if p.status != PayStatus::Success {
        return Err(AppError::invalid("Чек будет, когда платёж пройдёт"));
    }
    let Some(email) = caller.account.email.clone().filter(|_| caller.account.email_confirmed) else {
        return Err(AppError::invalid("Подтвердите адрес электронной почты в профиле, чтобы получать чеки"));
    };
    let body = format!(
        "Электронный чек\n\nОплачено: {}\nНазначение: {}\nУИН: {}\nДата: {}\nПолучатель: {}\n\nЧек в PDF: {}/api/payments/{key}/receipt (после входа в личный кабинет)",
        rubles(p.amount),
        p.title,
        uin_text(&p.uin),
        p.paid_at.map(msk).unwrap_or_default(),
        p.payee_name,
        public_url.trim_end_matches('/')
    );
    let msg = crate::platform::outbox::NewMessage {
        channel: crate::platform::outbox::Channel::Email,
        recipient: email,
        subject: Some("Электронный чек об оплате на Госуслугах".into()),
        body,
        sensitive: false,
        expires_at: None,
    };
    crate::platform::outbox::enqueue_for_in(db.query("RETURN NONE"), msg, Some(&caller.key()), None, now, 0)
        .exec("receipt e-mail")
        .await?;
    Ok(())
}

/// «Сохранить получателя».
pub async fn save_payee(db: &Db, caller: &Caller, uin: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    citizen(caller)?;
    let c = visible(db, caller, uin).await?;
    store::save_payee(db, &caller.key(), &c, now).await
}

pub async fn forget_payee(db: &Db, caller: &Caller, key: &str) -> Result<(), AppError> {
    citizen(caller)?;
    store::forget_payee(db, &caller.key(), key).await
}

pub async fn forget_card(db: &Db, caller: &Caller, key: &str) -> Result<(), AppError> {
    citizen(caller)?;
    store::forget_card(db, &caller.key(), key).await
}

/// Reminders (the person's notification settings decide the channels):
/// three days before a due date, and three days before a fine's discount
/// ends. Each is sent once (`reminded`, set in the notice's transaction).
pub async fn remind(db: &Db, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut sent = 0;
    for what in ["due", "discount"] {
        for c in charges::to_remind(db, what, 3, now).await? {
            let Some(account) = c.account.as_deref() else { continue };
            let Some(a) = crate::auth::accounts::load(db, account).await? else { continue };
            let (subject, text) = if what == "due" {
                ("Срок оплаты", format!("{} — {}: оплатите до {}.", c.title, rubles(c.amount), date_ru(&c.due_on)))
            } else {
                let until = c.discount_until.unwrap_or(now);
                (
                    "Скидка на штраф заканчивается",
                    format!(
                        "{}: скидка 50 % действует {} ({}). Сейчас к оплате {} вместо {}.",
                        c.title,
                        left_text(until, now),
                        msk(until),
                        rubles(c.due_now(now)),
                        rubles(c.amount)
                    ),
                )
            };
            let link = format!("/payments/charge/{}", c.uin);
            let mut res = db
                .query("BEGIN")
                .query("LET $fresh = array::len(UPDATE $rem_id SET reminded += $rem_what WHERE reminded CONTAINSNOT $rem_what RETURN VALUE id) > 0")
                .bind(("rem_id", charges::charge_id(&c.uin)))
                .bind(("rem_what", what.to_string()))
                .query("IF $fresh {");
            res = crate::notify::notice_in(
                res,
                0,
                &a,
                crate::notify::NoticeKind::Deadline,
                subject,
                &text,
                Some(&link),
                now,
            );
            res.query("}").query("COMMIT").exec("charge reminder").await?;
            sent += 1;
        }
    }
    Ok(sent)
}
