//! The operator's work, each step through the visit's task (`auth::access`):
//! find a citizen, register one, put the СНИЛС and passport from the
//! originals on an account, confirm a contact or the identity with a code
//! the citizen types on the PIN pad, print the sheet, end the visit.
//!
//! A visit belongs to the operator who opened it, in their office, until
//! it ends or `VISIT_HOURS` pass.

use chrono::{DateTime, TimeDelta, Utc};

use super::dto::{Card, Issued, PinPad, Visit};
use super::model::{RegisterForm, Search, parse_search};
use super::store;
use crate::auth::access::{self, NewTask, TaskKind, TaskRow};
use crate::auth::accounts::{self, AccountRow};
use crate::auth::caller::StaffCaller;
use crate::auth::flows::{self, FlowPurpose, NewFlow};
use crate::auth::identifier::{Identifier, normalize_snils};
use crate::auth::lockout::TEMPORARY_PASSWORD_TTL;
use crate::auth::personal::PassportInput;
use crate::auth::{Level, Role};
use crate::error::AppError;
use crate::format::{mask_email, mask_phone, msk};
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{Db, QueryExt};
use crate::platform::outbox::Channel;
use crate::platform::request::internal;

/// Searches one operator may make in an hour: a desk serves a few dozen
/// people a day; a flood of searches is someone walking the registry.
pub const FINDS_PER_HOUR: u32 = 120;

/// How long the sheet with the one-time password can be printed.
pub const SHEET_MINUTES: i64 = 30;

/// How long a visit opens the citizen's data if nobody ends it.
pub const VISIT_HOURS: i64 = 4;

/// What the visit page records once per visit.
const CARD: &str = "Карточка гражданина: ФИО, дата рождения, СНИЛС, паспорт, телефон, уровень учётной записи";

const NOT_FOUND: &str = "Гражданин не найден. Проверьте данные или зарегистрируйте его";
const SEVERAL: &str = "С этим паспортом найдено несколько учётных записей. Найдите гражданина по СНИЛС";
const SNILS_TAKEN: &str = "С этим СНИЛС уже есть учётная запись. Найдите гражданина по СНИЛС";
const PASSPORT_TAKEN: &str = "Этот паспорт уже указан в другой учётной записи. Найдите гражданина по паспорту";
const CONTACT_TAKEN: &str = "Этот контакт уже используется для входа в другую учётную запись. Укажите другой";
const ALREADY_CONFIRMED: &str = "Личность этого гражданина уже подтверждена";
const NEEDS_DOCUMENTS: &str = "Сначала внесите СНИЛС и паспорт с оригиналов документов";
const NO_CONTACT: &str = "У гражданина нет подтверждённого телефона или почты: код отправить некуда. \
     Сначала подтвердите его телефон кодом";

/// «Приём в МФЦ района Тверской…»: why, as the citizen reads it.
fn visit_subject(op: &StaffCaller) -> String {
    match op.account.office.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(office) if office.starts_with("МФЦ") => format!("Приём в {office}"),
        Some(office) => format!("Приём в МФЦ: {office}"),
        None => "Приём в МФЦ".to_string(),
    }
}

fn new_key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A visit of `op` with `citizen`, theirs alone, for `VISIT_HOURS`.
fn visit_task<'a>(
    key: &'a str,
    citizen: &'a str,
    subject: &'a str,
    op: &'a StaffCaller,
    now: DateTime<Utc>,
) -> NewTask<'a> {
    NewTask {
        key,
        kind: TaskKind::MfcVisit,
        citizen,
        role: Role::Operator,
        subject,
        assignee: Some(op.key_ref()),
        unit: op.account.office.as_deref(),
        expires_at: Some(now + TimeDelta::hours(VISIT_HOURS)),
    }
}

/// Finds a citizen by СНИЛС, phone or passport and opens a visit with them.
/// Returns the visit's task.
pub async fn find(db: &Db, op: &StaffCaller, query: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let tries = parse_search(query).map_err(|m| AppError::field("query", m).with_values(&[("query", query)]))?;
    if !crate::platform::budget::take_sliding(db, "mfc-find", &op.key(), FINDS_PER_HOUR, TimeDelta::hours(1), now)
        .await?
    {
        tracing::warn!(operator = %op.key(), "МФЦ search budget spent");
        return Err(AppError::field(
            "query",
            "Слишком много поисков за час. Повторите позже или обратитесь к администратору",
        ));
    }
    let mut found = None;
    for search in &tries {
        let hit = match search {
            Search::Snils(s) => store::find_by_login(db, &Identifier::Snils(s.clone())).await?,
            Search::Phone(p) => store::find_by_login(db, &Identifier::Phone(p.clone())).await?,
            Search::Passport(d) => {
                let mut rows = store::find_by_passport(db, d).await?;
                if rows.len() > 1 {
                    return Err(AppError::field("query", SEVERAL).with_values(&[("query", query)]));
                }
                rows.pop()
            }
        };
        if let Some(a) = hit {
            found = Some((search.label(), a));
            break;
        }
    }
    let Some((by, citizen)) = found else {
        tracing::info!(operator = %op.key(), "МФЦ search found nobody");
        return Err(AppError::field("query", NOT_FOUND).with_values(&[("query", query)]));
    };
    let (task, subject) = (new_key(), visit_subject(op));
    let key = citizen.key();
    let what = format!("Поиск по {by}: ФИО, дата рождения, СНИЛС, паспорт, уровень учётной записи");
    store::open_visit(db, op, &visit_task(&task, &key, &subject, op, now), &what, now).await?;
    tracing::info!(operator = %op.key(), account = %key, "МФЦ visit opened");
    Ok(task)
}

/// The task of a visit, if `op` may work in it now; the citizen's account.
async fn open_visit(
    db: &Db,
    op: &StaffCaller,
    task: &str,
    now: DateTime<Utc>,
) -> Result<(TaskRow, AccountRow), AppError> {
    let citizen = task_citizen(db, task).await?;
    let row = access::task_for(db, op, &citizen, task, now).await?;
    if row.kind != TaskKind::MfcVisit {
        return Err(AppError::Forbidden);
    }
    let account = accounts::load(db, &row.citizen).await?.ok_or(AppError::NotFound)?;
    Ok((row, account))
}

/// Whose a task is; «Страница не найдена» for no task at all (one of
/// another operator, role or citizen is refused by `task_for`).
async fn task_citizen(db: &Db, task: &str) -> Result<String, AppError> {
    if task.is_empty() || task.len() > 64 {
        return Err(AppError::NotFound);
    }
    let citizen: Option<String> = db
        .query("SELECT VALUE citizen FROM ONLY $id")
        .bind(("id", surrealdb::types::RecordId::new("staff_task", task)))
        .one("task citizen")
        .await?;
    citizen.ok_or(AppError::NotFound)
}

fn card(a: &AccountRow) -> Card {
    let (contact, confirmed) = match (&a.phone, &a.email) {
        (Some(p), _) => (Some(mask_phone(p)), a.phone_confirmed),
        (None, Some(e)) => (Some(mask_email(e)), a.email_confirmed),
        (None, None) => (None, false),
    };
    Card {
        full_name: a.full_name(),
        birth_date: a.birth().map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|| a.birth_date.clone()),
        snils: a.snils.clone(),
        passport: a.passport.clone(),
        phone: contact,
        phone_confirmed: confirmed,
        has_documents: a.snils.is_some() && a.passport.is_some(),
        level: a.level.label().to_string(),
        confirmed: a.level == Level::Confirmed,
    }
}

/// The visit page. The card is written to the citizen's list once per
/// visit (`access::look` adds no row when the page is read again).
pub async fn visit(db: &Db, op: &StaffCaller, task: &str, now: DateTime<Utc>) -> Result<Visit, AppError> {
    let (row, account) = open_visit(db, op, task, now).await?;
    access::look(db, op, &row.citizen, task, CARD, now).await?;
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
    Ok(Visit { task: task.to_string(), subject: row.subject, card: card(&account), issued })
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
    let passport_key: String = person.passport.series_number().chars().filter(char::is_ascii_digit).collect();
    if store::passport_taken(db, &passport_key).await? {
        return Err(AppError::field("passport_number", PASSPORT_TAKEN));
    }
    let password = accounts::temporary_password(&s.policy);
    let sealed = crate::platform::secrets::seal(&password).ok_or_else(|| internal("mfc register", "seal"))?;
    let password_hash = crate::platform::password::hash(password).await?;
    let (key, task) = (new_key(), new_key());
    let subject = visit_subject(op).replacen("Приём в", "Регистрация в", 1);
    let t = visit_task(&task, &key, &subject, op, now);
    let r = store::Registration {
        key: &key,
        task: &t,
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

/// «Внести СНИЛС и паспорт»: from the originals, onto an account that has
/// neither (registered online), before its identity is confirmed.
pub async fn set_documents(
    db: &Db,
    op: &StaffCaller,
    task: &str,
    snils: &str,
    passport: &PassportInput,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (row, a) = open_visit(db, op, task, now).await?;
    if a.snils.is_some() || a.passport.is_some() {
        return Err(AppError::invalid(
            "СНИЛС и паспорт уже внесены. Изменить их можно по запросу в разделе «Документы»",
        ));
    }
    let snils_checked = normalize_snils(snils).map_err(str::to_string);
    let passport_checked = passport.validate(a.birth(), now.date_naive());
    let (snils, passport) = match (snils_checked, passport_checked) {
        (Ok(s), Ok(p)) => (s, p),
        (s, p) => {
            let mut errors = Vec::new();
            if let Err(e) = s {
                errors.push(("snils", e));
            }
            if let Err(mut e) = p {
                errors.append(&mut e);
            }
            return Err(AppError::fields(errors));
        }
    };
    let digits: String = passport.series_number().chars().filter(char::is_ascii_digit).collect();
    if store::passport_taken(db, &digits).await? {
        return Err(AppError::field("passport_number", PASSPORT_TAKEN));
    }
    if !store::set_documents(db, op, &row, &snils, &passport.display(), now).await? {
        return Err(AppError::field("snils", SNILS_TAKEN));
    }
    Ok(())
}

/// What a PIN-pad code is for (`flow.data` = «<kind>:<task>»).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFor {
    /// The phone (or e-mail) typed at the desk becomes confirmed.
    Contact,
    /// The identity: the level becomes «Подтверждённая».
    Identity,
}

impl CodeFor {
    fn as_str(self) -> &'static str {
        match self {
            CodeFor::Contact => "contact",
            CodeFor::Identity => "identity",
        }
    }
}

fn flow_data(data: Option<&str>) -> Option<(CodeFor, &str)> {
    let (kind, task) = data?.split_once(':')?;
    let kind = match kind {
        "contact" => CodeFor::Contact,
        "identity" => CodeFor::Identity,
        _ => return None,
    };
    Some((kind, task))
}

/// Sends a code for `what` to the citizen of the visit. Returns the PIN
/// pad's flow.
pub async fn start_code(
    db: &Db,
    s: &AuthSettings,
    op: &StaffCaller,
    task: &str,
    what: CodeFor,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (_, a) = open_visit(db, op, task, now).await?;
    let (phone, email) = match what {
        // The contact typed at the desk: the phone, else the e-mail.
        CodeFor::Contact => match (&a.phone, &a.email) {
            (Some(p), _) if !a.phone_confirmed => (Some(p.clone()), None),
            (None, Some(e)) if !a.email_confirmed => (None, Some(e.clone())),
            _ => return Err(AppError::invalid("Контакт уже подтверждён")),
        },
        CodeFor::Identity => {
            if a.level == Level::Confirmed {
                return Err(AppError::invalid(ALREADY_CONFIRMED));
            }
            if a.snils.is_none() || a.passport.is_none() {
                return Err(AppError::invalid(NEEDS_DOCUMENTS));
            }
            (a.phone.clone().filter(|_| a.phone_confirmed), a.email.clone().filter(|_| a.email_confirmed))
        }
    };
    let channel = match (&phone, &email) {
        (Some(_), _) => Channel::Sms,
        (None, Some(_)) => Channel::Email,
        (None, None) => return Err(AppError::invalid(NO_CONTACT)),
    };
    let new = NewFlow {
        purpose: FlowPurpose::MfcConfirm,
        account: Some(a.key()),
        data: Some(format!("{}:{task}", what.as_str())),
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
) -> Result<(flows::FlowRow, CodeFor, TaskRow, AccountRow), AppError> {
    let row = flows::load(db, flow, now).await?;
    let Some((what, task)) = flow_data(row.data.as_deref()).filter(|_| row.purpose == FlowPurpose::MfcConfirm) else {
        return Err(AppError::invalid(flows::EXPIRED_FLOW));
    };
    let task = task.to_string();
    let (task, account) = open_visit(db, op, &task, now).await?;
    if row.account.as_deref() != Some(task.citizen.as_str()) {
        return Err(AppError::Forbidden);
    }
    Ok((row, what, task, account))
}

pub async fn pin_pad(db: &Db, op: &StaffCaller, flow: &str, now: DateTime<Utc>) -> Result<PinPad, AppError> {
    let (row, what, task, a) = pin_flow(db, op, flow, now).await?;
    let sent_to = match row.channel {
        Channel::Email => format!("письмо на {}", row.email.as_deref().map(mask_email).unwrap_or_default()),
        Channel::Sms | Channel::Voice | Channel::Push => {
            format!("SMS на {}", row.phone.as_deref().map(mask_phone).unwrap_or_default())
        }
    };
    let title = match what {
        CodeFor::Contact if row.channel == Channel::Email => "Подтверждение электронной почты",
        CodeFor::Contact => "Подтверждение телефона",
        CodeFor::Identity => "Подтверждение личности",
    };
    Ok(PinPad { task: task.key(), short_name: a.short_name(), sent_to, title: title.to_string() })
}

/// «Отправить код ещё раз» on the PIN pad (the usual cooldown and cap).
pub async fn resend(
    db: &Db,
    s: &AuthSettings,
    op: &StaffCaller,
    flow: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (row, ..) = pin_flow(db, op, flow, now).await?;
    flows::send(db, s, flow, row.channel, now).await
}

/// The citizen typed the code. Returns the task and what was confirmed.
pub async fn finish_code(
    db: &Db,
    op: &StaffCaller,
    flow: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(String, CodeFor), AppError> {
    let (row, what, task, a) = pin_flow(db, op, flow, now).await?;
    flows::check(db, flow, &[FlowPurpose::MfcConfirm], code, now).await?;
    match what {
        CodeFor::Contact => {
            let ident = match (&row.phone, &row.email) {
                (Some(p), _) => Identifier::Phone(p.clone()),
                (None, Some(e)) => Identifier::Email(e.clone()),
                (None, None) => return Err(AppError::invalid(flows::EXPIRED_FLOW)),
            };
            if !store::confirm_contact(db, op, &task, flow, &ident, now).await? {
                return Err(AppError::invalid(CONTACT_TAKEN));
            }
        }
        CodeFor::Identity => {
            store::confirm_identity(db, op, &task, &a, flow, now).await?;
            tracing::info!(operator = %op.key(), account = %a.key(), "identity confirmed at an МФЦ");
        }
    }
    Ok((task.key(), what))
}

/// «Завершить приём»: the visit's task closes; the data is closed to the operator.
pub async fn end_visit(db: &Db, op: &StaffCaller, task: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    open_visit(db, op, task, now).await?;
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
    let (row, a) = open_visit(db, op, task, now).await?;
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
    access::seen_in(db.query("BEGIN"), 0, op, &row, "Печать листа с логином и временным паролем", now)
        .query("COMMIT")
        .exec("mfc sheet access")
        .await?;
    Ok(pdf)
}
