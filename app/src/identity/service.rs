//! The rules of the identity check that need data: what the page shows,
//! sending a check (one pending per account; a person already at
//! «Стандартная» or higher needs none), and the verdict once both
//! registries have settled (the exchange hands each settled request to
//! `Registries`, which may be called more than once: the verdict is written
//! only while the check is pending).

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::dto::{CheckView, VerifyView};
use super::model::{
    ALREADY_CONFIRMED, ALREADY_PENDING, CheckState, Finding, NOT_CONNECTED, Passport, Refusal, Verdict, VerifyInput,
    verdict,
};
use super::registry::Answer;
use super::store::{self, CheckRow, Outcome};
use crate::auth::caller::Caller;
use crate::auth::identifier::Identifier;
use crate::auth::{Level, accounts};
use crate::error::AppError;
use crate::platform::db::Db;
use crate::platform::exchange::{self, Consumer, ExchangeState, RequestRow};
use crate::platform::request::internal;

/// The date in Moscow (a passport issued «today» there is not in the future).
fn moscow_today(now: DateTime<Utc>) -> chrono::NaiveDate {
    (now + TimeDelta::hours(3)).date_naive()
}

/// The page: the level, the newest check and the form's values.
pub async fn view(db: &Db, caller: &Caller, available: bool) -> Result<VerifyView, AppError> {
    let a = &caller.account;
    let latest = store::latest(db, &caller.key()).await?;
    let values = match &latest {
        Some(c) => c.input(),
        None => VerifyInput { snils: a.snils.clone().unwrap_or_default(), ..VerifyInput::default() },
    };
    let birth_date = a.birth().map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|| a.birth_date.clone());
    Ok(VerifyView {
        level: caller.level(),
        full_name: a.full_name(),
        birth_date,
        check: latest.map(|c| CheckView {
            state: c.state,
            sent_at: crate::format::msk(c.created_at),
            settled_at: c.settled_at.map(crate::format::msk),
            refusals: c.refusals,
        }),
        values,
        available,
    })
}

/// Checks one account may send in a day.
pub const CHECKS_PER_DAY: u32 = 5;

const TOO_MANY_CHECKS: &str = "Проверку можно отправить не больше 5 раз в сутки. Проверьте данные по паспорту и СНИЛС и повторите завтра или подтвердите личность в МФЦ";

/// «Отправить на проверку»: the form is checked (the passport's date of
/// issue against the account's birth date), then the check and its two
/// requests are stored at once. Returns the check's key.
pub async fn submit(
    db: &Db,
    caller: &Caller,
    input: &VerifyInput,
    available: bool,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    if caller.level() >= Level::Standard {
        return Err(AppError::invalid(ALREADY_CONFIRMED));
    }
    // Staff accounts confirm nothing about themselves here.
    if caller.is_staff() {
        return Err(AppError::invalid(
            "Учётная запись сотрудника не подтверждается через ведомства: обратитесь к администратору портала",
        ));
    }
    if !available {
        return Err(AppError::invalid(NOT_CONNECTED));
    }
    let verified = input.validate(caller.account.birth(), moscow_today(now)).map_err(AppError::fields)?;
    // Each check asks two registries and sends a notice: a few a day, so
    // the form cannot be used to guess someone's СНИЛС or passport.
    if !crate::platform::budget::take_sliding(
        db,
        "identity-check",
        &caller.key(),
        CHECKS_PER_DAY,
        TimeDelta::days(1),
        now,
    )
    .await?
    {
        return Err(AppError::invalid(TOO_MANY_CHECKS));
    }
    let key = uuid::Uuid::new_v4().simple().to_string();
    if !store::create(db, &caller.account, &key, &verified, now).await? {
        return Err(AppError::invalid(ALREADY_PENDING));
    }
    Ok(key)
}

/// What one registry said, once its request has settled.
fn finding(requests: &[RequestRow], message_id: &str) -> Option<Finding> {
    let r = requests.iter().find(|r| r.message_id() == message_id)?;
    match r.state {
        ExchangeState::Queued | ExchangeState::Sent => None,
        ExchangeState::Answered => {
            let answer = r.answer.as_deref().and_then(|a| serde_json::from_str::<Answer>(a).ok());
            Some(match answer {
                Some(Answer { found: true }) => Finding::Found,
                Some(Answer { found: false }) => Finding::NotFound,
                // An answer the portal cannot read says nothing.
                None => Finding::NoAnswer,
            })
        }
        ExchangeState::Rejected | ExchangeState::Failed | ExchangeState::TimedOut => Some(Finding::NoAnswer),
    }
}

/// The notice of a verdict: subject and text.
fn notice(v: &Verdict) -> (String, String) {
    match v {
        Verdict::Confirmed => (
            "Личность подтверждена".into(),
            "Социальный фонд России и МВД России подтвердили ваши СНИЛС и паспорт. Уровень учётной записи — «Стандартная»."
                .into(),
        ),
        Verdict::Refused(refusals) => (
            "Данные не подтверждены".into(),
            format!(
                "Ведомства не подтвердили данные, отправленные для подтверждения личности: {}. Проверьте их и отправьте ещё раз в разделе «Подтверждение личности».",
                refusals.iter().map(|r| r.short()).collect::<Vec<_>>().join("; ")
            ),
        ),
        Verdict::Failed => (
            "Проверка данных не завершена".into(),
            "Ведомства не ответили на запрос о ваших СНИЛС и паспорте. Отправьте данные ещё раз в разделе «Подтверждение личности».".into(),
        ),
    }
}

/// Gives the check `key` its verdict once both of its requests have
/// settled; does nothing while one is still under way or when the check
/// has its verdict already.
pub async fn settle(db: &Db, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let Some(check) = store::load(db, key).await? else { return Ok(()) };
    if check.state != CheckState::Pending {
        return Ok(());
    }
    let requests = exchange::of_subject(db, key).await?;
    let (Some(snils), Some(passport)) =
        (finding(&requests, &check.snils_request), finding(&requests, &check.passport_request))
    else {
        return Ok(());
    };
    let Some(account) = accounts::load(db, &check.account).await? else {
        tracing::warn!(check = %key, "identity check of an account that is gone");
        return Ok(());
    };
    let mut v = verdict(snils, passport);
    if v == Verdict::Confirmed && snils_elsewhere(db, &check, &account.key()).await? {
        v = Verdict::Refused(vec![Refusal::SnilsOnAnotherAccount]);
    }
    let Some(to) = check.state.settle(&v) else { return Ok(()) };
    let (subject, text) = notice(&v);
    let outcome = Outcome {
        to,
        refusals: match &v {
            Verdict::Refused(r) => r.clone(),
            _ => Vec::new(),
        },
        passport: passport_display(&check),
        subject,
        text,
    };
    if store::settle(db, &check, &account, &outcome, now).await? {
        tracing::info!(check = %key, state = to.as_str(), "identity check settled");
        return Ok(());
    }
    // Someone else settled it (fine), or the СНИЛС became another
    // account's meanwhile (the next call refuses it).
    match store::load(db, key).await? {
        Some(c) if c.state == CheckState::Pending => {
            Err(internal("identity settle", format!("check {key} stays pending")))
        }
        _ => Ok(()),
    }
}

/// The СНИЛС signs in to another account already.
async fn snils_elsewhere(db: &Db, check: &CheckRow, account: &str) -> Result<bool, AppError> {
    let holder = accounts::find_by_login(db, &Identifier::Snils(check.snils.clone())).await?;
    Ok(holder.is_some_and(|h| h != account))
}

/// The passport as the profile keeps it: «45 12 654321, выдан … 20.03.2011,
/// код подразделения 770-005».
fn passport_display(c: &CheckRow) -> String {
    match chrono::NaiveDate::parse_from_str(&c.passport_issued_on, "%Y-%m-%d") {
        Ok(issued_on) => Passport {
            series: c.passport_series.clone(),
            number: c.passport_number.clone(),
            issued_on,
            issued_by: c.passport_issued_by.clone(),
            division_code: c.passport_division.clone(),
        }
        .display(),
        Err(_) => format!("{} {}", c.passport_series, c.passport_number),
    }
}

/// The identity area as the exchange's consumer: a settled request of the
/// registries may complete its check. Wakes the outbox for the notice.
pub struct Registries {
    pub outbox_wake: Arc<tokio::sync::Notify>,
}

impl Consumer for Registries {
    async fn settled(&self, db: &Db, request: &RequestRow, now: DateTime<Utc>) -> Result<(), AppError> {
        settle(db, &request.subject, now).await?;
        self.outbox_wake.notify_one();
        Ok(())
    }
}
