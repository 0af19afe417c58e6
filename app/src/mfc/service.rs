//! The operator's work, each step through the visit's task (`auth::access`):
//! find a citizen, register one, confirm one's identity with a code the
//! citizen types on the PIN pad, print the sheet, end the visit.

use chrono::{DateTime, TimeDelta, Utc};

use super::dto::{Card, Issued, PinPad, Visit};
use super::model::{RegisterForm, Search, parse_search};
use super::store;
use crate::auth::access::{self, TaskKind, TaskRow};
use crate::auth::accounts::{self, AccountRow};
use crate::auth::caller::StaffCaller;
use crate::auth::flows::{self, FlowPurpose, NewFlow};
use crate::auth::identifier::Identifier;
use crate::auth::lockout::TEMPORARY_PASSWORD_TTL;
use crate::auth::{Level, LevelRoute, Role};
use crate::error::AppError;
use crate::format::{mask_email, mask_phone, msk};
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{Db, QueryExt};
use crate::platform::outbox::Channel;
use crate::platform::request::internal;

/// How long the sheet with the one-time password can be printed.
pub const SHEET_MINUTES: i64 = 30;

const NOT_FOUND: &str = "Гражданин не найден. Проверьте данные или зарегистрируйте его";
const SNILS_TAKEN: &str = "С этим СНИЛС уже есть учётная запись. Найдите гражданина по СНИЛС";
const ALREADY_CONFIRMED: &str = "Личность этого гражданина уже подтверждена";
const NO_CONTACT: &str = "У гражданина нет подтверждённого телефона или почты: код отправить некуда. \
     Попросите его подтвердить телефон в разделе «Личные данные» или восстановить доступ";

/// «Приём в МФЦ «…»»: why, as the citizen reads it.
fn visit_subject(op: &StaffCaller) -> String {
    match op.account.office.as_deref().filter(|o| !o.is_empty()) {
        Some(office) => format!("Приём в МФЦ: {office}"),
        None => "Приём в МФЦ".to_string(),
    }
}

fn new_key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Finds a citizen by СНИЛС, phone or passport and opens a visit with them.
/// Returns the visit's task.
pub async fn find(db: &Db, op: &StaffCaller, query: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let search = parse_search(query).map_err(|m| AppError::field("query", m))?;
    let found = match &search {
        Search::Snils(s) => store::find_by_login(db, &Identifier::Snils(s.clone())).await?,
        Search::Phone(p) => store::find_by_login(db, &Identifier::Phone(p.clone())).await?,
        Search::Passport(d) => store::find_by_passport(db, d).await?,
    };
    let Some(citizen) = found else {
        return Err(AppError::field("query", NOT_FOUND).with_values(&[("query", query)]));
    };
    let task = new_key();
    access::open_task(db, &task, TaskKind::MfcVisit, &citizen.key(), Role::Operator, &visit_subject(op), now).await?;
    let what = format!("Поиск по {}: ФИО, дата рождения, СНИЛС, паспорт, уровень учётной записи", search.label());
    access::look(db, op, &citizen.key(), &task, &what, now).await?;
    Ok(task)
}

/// The task of a visit, if `op` may work in it; the citizen's account.
async fn visit_task(db: &Db, op: &StaffCaller, task: &str) -> Result<(TaskRow, AccountRow), AppError> {
    // The task names its citizen; `task_for` checks it is open and an operator's.
    let row = load_task(db, task).await?;
    let row = access::task_for(db, op, &row.citizen, task).await?;
    if row.kind != TaskKind::MfcVisit {
        return Err(AppError::Forbidden);
    }
    let account = accounts::load(db, &row.citizen).await?.ok_or(AppError::NotFound)?;
    Ok((row, account))
}

async fn load_task(db: &Db, task: &str) -> Result<TaskRow, AppError> {
    // No such visit: «Страница не найдена» (one of another role or
    // citizen is refused by `task_for`).
    if task.is_empty() || task.len() > 64 {
        return Err(AppError::NotFound);
    }
    let row: Option<TaskRow> = db
        .query("SELECT * FROM ONLY $id")
        .bind(("id", surrealdb::types::RecordId::new("staff_task", task)))
        .one("task load")
        .await?;
    row.ok_or(AppError::NotFound)
}

fn card(a: &AccountRow) -> Card {
    Card {
        full_name: a.full_name(),
        birth_date: a.birth().map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|| a.birth_date.clone()),
        snils: a.snils.clone(),
        passport: a.passport.clone(),
        phone: a.phone.as_deref().map(mask_phone),
        phone_confirmed: a.phone_confirmed,
        level: a.level.label().to_string(),
        confirmed: a.level == Level::Confirmed,
    }
}

/// The visit page. Its data was written to the citizen's list when the
/// visit opened (the find or the registration): reading it again in the
/// same visit adds no row.
pub async fn visit(db: &Db, op: &StaffCaller, task: &str, now: DateTime<Utc>) -> Result<Visit, AppError> {
    let (row, account) = visit_task(db, op, task).await?;
    let issued = match store::issue(db, task, now).await? {
        Some(i) if i.operator == op.key() => {
            let password =
                crate::platform::secrets::open(&i.secret).ok_or_else(|| internal("mfc issue", "sealed password"))?;
            Some(Issued {
                login: i.login,
                password,
                sheet_until: msk(i.expires_at),
                password_until: msk(i.created_at + TEMPORARY_PASSWORD_TTL),
            })
        }
        _ => None,
    };
    Ok(Visit { task: task.to_string(), subject: row.subject, card: card(&account), issued, closed: false })
}

/// Registers a person in person. Returns the visit's task.
pub async fn register(
    db: &Db,
    s: &AuthSettings,
    op: &StaffCaller,
    form: &RegisterForm,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let person = form.check(now.date_naive()).map_err(AppError::fields)?;
    let password = accounts::temporary_password(&s.policy);
    let sealed = crate::platform::secrets::seal(&password).ok_or_else(|| internal("mfc register", "seal"))?;
    let password_hash = crate::platform::password::hash(password).await?;
    let (key, task) = (new_key(), new_key());
    let subject = format!("Регистрация в МФЦ{}", visit_subject(op).trim_start_matches("Приём в МФЦ"));
    let r = store::Registration {
        key: &key,
        task: &task,
        subject: &subject,
        person: &person,
        password_hash,
        sealed_password: sealed,
        sheet_until: now + TimeDelta::minutes(SHEET_MINUTES),
    };
    if !store::register(db, op, r, now).await? {
        return Err(AppError::field("snils", SNILS_TAKEN));
    }
    tracing::info!(operator = %op.key(), account = %key, "registered at an МФЦ");
    Ok(task)
}

/// «Подтвердить личность»: a code to the citizen's own phone (or e-mail).
/// Returns the PIN pad's flow.
pub async fn start_confirm(
    db: &Db,
    s: &AuthSettings,
    op: &StaffCaller,
    task: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (_, a) = visit_task(db, op, task).await?;
    if a.level == Level::Confirmed {
        return Err(AppError::invalid(ALREADY_CONFIRMED));
    }
    let phone = a.phone.clone().filter(|_| a.phone_confirmed);
    let email = a.email.clone().filter(|_| a.email_confirmed);
    let channel = match (&phone, &email) {
        (Some(_), _) => Channel::Sms,
        (None, Some(_)) => Channel::Email,
        (None, None) => return Err(AppError::invalid(NO_CONTACT)),
    };
    let new = NewFlow {
        purpose: FlowPurpose::MfcConfirm,
        account: Some(a.key()),
        data: Some(task.to_string()),
        phone,
        email,
        channel,
        taken: Vec::new(),
    };
    flows::start(db, s, new, now).await
}

/// The flow of a PIN pad, if it belongs to a visit `op` may work in.
async fn pin_flow(
    db: &Db,
    op: &StaffCaller,
    flow: &str,
    now: DateTime<Utc>,
) -> Result<(flows::FlowRow, TaskRow, AccountRow), AppError> {
    let row = flows::load(db, flow, now).await?;
    if row.purpose != FlowPurpose::MfcConfirm {
        return Err(AppError::invalid(flows::EXPIRED_FLOW));
    }
    let task = row.data.clone().unwrap_or_default();
    let (task, account) = visit_task(db, op, &task).await?;
    if row.account.as_deref() != Some(task.citizen.as_str()) {
        return Err(AppError::Forbidden);
    }
    Ok((row, task, account))
}

pub async fn pin_pad(db: &Db, op: &StaffCaller, flow: &str, now: DateTime<Utc>) -> Result<PinPad, AppError> {
    let (row, task, a) = pin_flow(db, op, flow, now).await?;
    let sent_to = match row.channel {
        Channel::Email => format!("письмо на {}", row.email.as_deref().map(mask_email).unwrap_or_default()),
        Channel::Sms | Channel::Voice => format!("SMS на {}", row.phone.as_deref().map(mask_phone).unwrap_or_default()),
    };
    Ok(PinPad { task: task.key(), short_name: a.short_name(), sent_to })
}

/// The citizen typed the code: the level becomes «Подтверждённая», the
/// citizen's list gets the row and a notice goes to them. Returns the task.
pub async fn finish_confirm(
    db: &Db,
    op: &StaffCaller,
    flow: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (_, task, a) = pin_flow(db, op, flow, now).await?;
    flows::check(db, flow, code, now).await?;
    let key = a.key();
    let q = db.query("BEGIN");
    let q = crate::auth::levels::raise_in(q, 0, &key, Level::Confirmed, LevelRoute::Mfc, Some(op.key()), now);
    let q = access::record_in(q, 0, op, &task, "Подтверждение личности по паспорту: уровень учётной записи", now);
    let q = crate::notify::notice_in(
        q,
        0,
        &a,
        "Личность подтверждена",
        "Ваша личность подтверждена в МФЦ. Уровень учётной записи — «Подтверждённая»: вам доступны все услуги портала.",
        Some("/profile#level"),
        now,
    );
    q.query("DELETE $flow; COMMIT")
        .bind(("flow", surrealdb::types::RecordId::new("flow", flow)))
        .exec("mfc confirm")
        .await?;
    tracing::info!(operator = %op.key(), account = %key, "identity confirmed at an МФЦ");
    Ok(task.key())
}

/// «Завершить приём»: the visit's task closes; the data is closed to the operator.
pub async fn end_visit(db: &Db, op: &StaffCaller, task: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    visit_task(db, op, task).await?;
    store::end_visit(db, task, now).await
}

/// The sheet (PDF) of a registration made at this visit by `op`.
pub async fn sheet(
    db: &Db,
    op: &StaffCaller,
    task: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, AppError> {
    let (row, a) = visit_task(db, op, task).await?;
    let issue = store::issue(db, task, now).await?.filter(|i| i.operator == op.key()).ok_or(AppError::NotFound)?;
    let password =
        crate::platform::secrets::open(&issue.secret).ok_or_else(|| internal("mfc sheet", "sealed password"))?;
    let base = public_url.trim_end_matches('/');
    let data = super::sheet::Sheet {
        full_name: a.full_name(),
        login: issue.login.clone(),
        password,
        sign_in_url: format!("{base}/login"),
        qr: format!("{base}/login?login={}", crate::format::encode_component(&issue.login)),
        issued_at: msk(issue.created_at),
        password_until: msk(issue.created_at + TEMPORARY_PASSWORD_TTL),
        office: op.account.office.clone().unwrap_or_default(),
    };
    let pdf = super::sheet::render(&data)?;
    access::record_in(db.query("BEGIN"), 0, op, &row, "Печать листа с логином и временным паролем", now)
        .query("COMMIT")
        .exec("mfc sheet access")
        .await?;
    Ok(pdf)
}
