//! The rules of applications that need data: a draft per person and
//! service prefilled from the account, steps kept as typed (even wrong: a
//! draft keeps everything) and judged by the form's definition, «Отправить»
//! once, the department's hand-over, «Мои заявления», the request for more
//! and its answer, withdrawal, the official's claim and decision, the
//! result document and its check page.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::catalog::{self, ServiceDef};
use super::dto::*;
use super::form::{Answers, FieldDef, FieldKind, Prefill};
use super::model::{self, Action, Status};
use super::store::{self, AppRow};
use crate::auth::Role;
use crate::auth::access::{self, NewTask, TaskKind};
use crate::auth::accounts::{self, AccountRow};
use crate::auth::caller::{Caller, StaffCaller};
use crate::error::AppError;
use crate::format::msk;
use crate::platform::db::Db;
use crate::platform::files::Files;

/// What the citizen reads when an application is not theirs or not there.
pub fn not_found() -> AppError {
    AppError::NotFound
}

fn today(now: DateTime<Utc>) -> NaiveDate {
    (now + TimeDelta::hours(3)).date_naive()
}

fn date_text(d: &str) -> String {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default()
}

fn service_of(row: &AppRow) -> Result<&'static ServiceDef, AppError> {
    catalog::find(&row.service).ok_or_else(not_found)
}

/// The passport as the profile keeps it («45 12 654321, выдан … 20.03.2011,
/// код подразделения 770-005»), split into what forms ask.
fn passport_part(stored: &str, part: Prefill) -> Option<String> {
    let (number, rest) = stored.split_once(", выдан ")?;
    let (issued, division) = match rest.rsplit_once(", код подразделения ") {
        Some((i, d)) => (i, Some(d)),
        None => (rest, None),
    };
    let (by, on) = issued.rsplit_once(' ')?;
    match part {
        Prefill::PassportSeriesNumber => Some(number.to_string()),
        Prefill::PassportIssuedBy => Some(by.to_string()),
        Prefill::PassportIssuedOn => Some(on.to_string()),
        Prefill::PassportDivisionCode => division.map(str::to_string),
        _ => None,
    }
}

/// What the portal knows for `p`, exactly as stored.
pub fn prefill(a: &AccountRow, p: Prefill) -> Option<String> {
    let confirmed = |v: &Option<String>, ok: bool| v.clone().filter(|_| ok);
    match p {
        Prefill::Surname => Some(a.surname.clone()),
        Prefill::Name => Some(a.name.clone()),
        Prefill::Patronymic => a.patronymic.clone(),
        Prefill::BirthDate => a.birth().map(|d| d.format("%d.%m.%Y").to_string()),
        Prefill::Snils => a.snils.clone(),
        Prefill::Inn => a.inn.clone(),
        Prefill::Phone => confirmed(&a.phone, a.phone_confirmed),
        Prefill::Email => confirmed(&a.email, a.email_confirmed),
        Prefill::RegistrationAddress => a.registration_address.clone(),
        Prefill::PostalAddress => a.postal_address.clone(),
        part => a.passport.as_deref().and_then(|s| passport_part(s, part)),
    }
    .filter(|v| !v.trim().is_empty())
}

fn prefilled(s: &ServiceDef, a: &AccountRow) -> Answers {
    s.form.fields().filter_map(|f| Some((f.id.clone(), prefill(a, f.prefill?)?))).collect()
}

/// A field whose value comes from the account and may not be changed here.
fn locked(f: &FieldDef, a: &AccountRow) -> bool {
    !f.editable && f.prefill.and_then(|p| prefill(a, p)).is_some()
}

/// Staff accounts apply for nothing: an official could otherwise send an
/// application to their own department and decide it.
fn applicant(caller: &Caller) -> Result<(), AppError> {
    if caller.is_staff() { Err(AppError::Forbidden) } else { Ok(()) }
}

/// «Получить услугу»: the person's draft of the service (made, prefilled,
/// if there is none). Refused below the service's account level.
pub async fn start(
    db: &Db,
    caller: &Caller,
    code: &str,
    uin: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let s = catalog::find(code).ok_or_else(not_found)?;
    applicant(caller)?;
    caller.require_level(s.level)?;
    let mut answers = prefilled(s, &caller.account);
    // An appeal opened from a charge («Обжаловать») names it.
    if s.appeals_charge
        && let Some(uin) = uin.and_then(|u| crate::charges::model::parse_uin(u).ok())
    {
        answers.insert("uin".to_string(), uin);
    }
    let answers = serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into());
    let row = store::draft_for(db, &caller.key(), s, &answers, now).await?;
    Ok(row.key())
}

/// What «Получить услугу» shows: the service's steps, the level it needs,
/// and the person's draft if there is one.
pub async fn apply_info(db: &Db, caller: &Caller, code: &str) -> Result<ApplyInfo, AppError> {
    let s = catalog::find(code).ok_or_else(not_found)?;
    let draft = store::draft_of(db, &format!("{}:{}", caller.key(), s.code)).await?;
    Ok(ApplyInfo {
        code: s.code.clone(),
        title: s.title.clone(),
        level: s.level,
        level_ok: caller.level() >= s.level,
        current: caller.level(),
        draft: draft.map(|d| (d.key(), msk(d.updated_at))),
        steps: s.form.steps.iter().map(|st| st.title.clone()).collect(),
        documents: s.documents.clone(),
    })
}

/// The caller's own application, or «не найдено» (never «чужое»).
async fn own(db: &Db, caller: &Caller, key: &str) -> Result<AppRow, AppError> {
    match store::load(db, key).await? {
        Some(r) if r.account == caller.key() => Ok(r),
        _ => Err(not_found()),
    }
}

fn field_views(
    s: &ServiceDef,
    fields: &[FieldDef],
    answers: &Answers,
    errors: &[(String, String)],
    a: &AccountRow,
    docs: &[(String, String, String)],
) -> Vec<FieldView> {
    fields
        .iter()
        .map(|f| {
            let _ = s;
            let documents = match (&f.kind, &f.document) {
                (FieldKind::Document, Some(k)) => {
                    docs.iter().filter(|(_, kind, _)| kind == k).map(|(i, _, l)| (i.clone(), l.clone())).collect()
                }
                // A file is uploaded in «Документы» (content checked, progress
                // shown) and chosen here from any of the person's documents.
                (FieldKind::File, _) => docs.iter().map(|(i, _, l)| (i.clone(), l.clone())).collect(),
                _ => Vec::new(),
            };
            FieldView {
                def: f.clone(),
                value: answers.get(&f.id).cloned().unwrap_or_default(),
                error: errors.iter().find(|(id, _)| *id == f.id).map(|(_, m)| m.clone()),
                locked: locked(f, a),
                documents,
            }
        })
        .collect()
}

async fn docs_with_kind(db: &Db, account: &str) -> Result<Vec<(String, String, String)>, AppError> {
    use crate::platform::db::QueryExt;
    use surrealdb::types::SurrealValue;
    #[derive(SurrealValue)]
    struct Doc {
        id: surrealdb::types::RecordId,
        kind: String,
        name: String,
        status: String,
    }
    let rows: Vec<Doc> = db
        .query(
            "SELECT id, kind, name, status FROM document WHERE account = $account AND status != 'rejected'
                 ORDER BY uploaded_at DESC LIMIT 50",
        )
        .bind(("account", account.to_string()))
        .all("application documents")
        .await?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let state = if d.status == "accepted" { "проверен" } else { "на проверке" };
            (crate::platform::db::record_key(&d.id), d.kind, format!("{} — {state}", d.name))
        })
        .collect())
}

fn review(s: &ServiceDef, answers: &Answers, docs: &[(String, String, String)]) -> Vec<ReviewStep> {
    s.form
        .steps
        .iter()
        .enumerate()
        .map(|(index, st)| ReviewStep {
            index,
            title: st.title.clone(),
            rows: st
                .fields
                .iter()
                .filter(|f| f.shown(answers))
                .map(|f| {
                    let v = answers.get(&f.id).map(String::as_str).unwrap_or("");
                    let value = match f.kind {
                        _ if v.is_empty() => "не указано".to_string(),
                        FieldKind::Document | FieldKind::File => docs
                            .iter()
                            .find(|(i, _, _)| i == v)
                            .map(|d| d.2.clone())
                            .unwrap_or_else(|| "документ".into()),
                        _ => f.display(v).to_string(),
                    };
                    ReviewRow { label: f.label.clone(), value }
                })
                .collect(),
        })
        .collect()
}

/// The draft's step `step` (or the review when `step` is the number of
/// steps); with `check`, the step's problems are shown by their fields.
pub async fn draft_page(
    db: &Db,
    caller: &Caller,
    key: &str,
    step: usize,
    check: bool,
    now: DateTime<Utc>,
) -> Result<DraftPage, AppError> {
    let row = own(db, caller, key).await?;
    if row.status != Status::Draft {
        return Err(AppError::invalid("Заявление уже отправлено: откройте его в «Мои заявления»"));
    }
    let s = service_of(&row)?;
    let answers = row.answers();
    let total = s.form.steps.len();
    let step = step.min(total);
    let docs = docs_with_kind(db, &caller.key()).await?;
    let (hint, fields) = match s.form.steps.get(step) {
        Some(st) => {
            let errors = if check { s.form.validate_step(step, &answers, today(now)) } else { Vec::new() };
            (st.hint.clone(), field_views(s, &st.fields, &answers, &errors, &caller.account, &docs))
        }
        None => (None, Vec::new()),
    };
    let blocking = if step == total {
        (0..total)
            .flat_map(|i| s.form.validate_step(i, &answers, today(now)).into_iter().map(move |(f, m)| (i, (f, m))))
            .map(|(i, (f, m))| {
                let label = s.form.field(&f).map(|d| d.label.clone()).unwrap_or_default();
                // «Заполните поле «…»» names the field already.
                (i, if m.contains(&label) { m } else { format!("{label}: {m}") })
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(DraftPage {
        key: row.key(),
        service_code: s.code.clone(),
        service_title: s.title.clone(),
        steps: s.form.steps.iter().map(|st| st.title.clone()).collect(),
        step,
        hint,
        fields,
        review: if step == total { review(s, &answers, &docs) } else { Vec::new() },
        answers,
        saved_at: msk(row.updated_at),
        expires_on: row
            .expires_at
            .map(|t| (t + TimeDelta::hours(3)).format("%d.%m.%Y").to_string())
            .unwrap_or_default(),
        blocking,
        price: s.price_kopecks.map(model::rubles),
    })
}

/// The answers of step `step` as posted, merged into what is stored: only
/// the step's own editable fields change (a locked one keeps the account's
/// value), every value as typed (a draft keeps a wrong one too), at most
/// the form's lengths.
fn merge(
    s: &ServiceDef,
    a: &AccountRow,
    docs: &[(String, String, String)],
    stored: &mut Answers,
    step: usize,
    posted: &Answers,
) {
    let Some(st) = s.form.steps.get(step) else { return };
    for f in &st.fields {
        // A document chosen must be one of the person's own.
        if matches!(f.kind, FieldKind::Document | FieldKind::File) {
            match posted.get(&f.id).filter(|v| docs.iter().any(|(i, _, _)| i == *v)) {
                Some(v) => stored.insert(f.id.clone(), v.clone()),
                None => stored.remove(&f.id),
            };
            continue;
        }
        if locked(f, a) {
            if let Some(v) = f.prefill.and_then(|p| prefill(a, p)) {
                stored.insert(f.id.clone(), v);
            }
            continue;
        }
        let v: String =
            posted.get(&f.id).map(|v| v.trim().chars().take(super::form::LONG_TEXT_MAX).collect()).unwrap_or_default();
        if v.is_empty() {
            stored.remove(&f.id);
        } else {
            stored.insert(f.id.clone(), v);
        }
    }
}

/// Keeps what the person typed on step `step` (autosave, «Сохранить
/// черновик»). Returns the time saved, as the page shows it.
pub async fn save(
    db: &Db,
    caller: &Caller,
    key: &str,
    step: usize,
    posted: &Answers,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let row = own(db, caller, key).await?;
    if row.status != Status::Draft {
        return Err(AppError::invalid("Заявление уже отправлено: изменить черновик нельзя"));
    }
    let s = service_of(&row)?;
    let mut answers = row.answers();
    let docs = docs_with_kind(db, &caller.key()).await?;
    merge(s, &caller.account, &docs, &mut answers, step, posted);
    let text = serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into());
    if !store::save_draft(db, key, &caller.key(), &text, step.min(s.form.steps.len()), now).await? {
        return Err(AppError::invalid("Заявление уже отправлено: изменить черновик нельзя"));
    }
    Ok(msk(now))
}

/// Where the step form goes: «Далее», «Назад», «Сохранить черновик».
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Go {
    Next,
    Back,
    Save,
}

/// A step sent: kept, then judged for «Далее». The address to go to.
pub async fn post_step(
    db: &Db,
    caller: &Caller,
    key: &str,
    step: usize,
    posted: &Answers,
    go: Go,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let row = own(db, caller, key).await?;
    let s = service_of(&row)?;
    let mut answers = row.answers();
    let docs = docs_with_kind(db, &caller.key()).await?;
    merge(s, &caller.account, &docs, &mut answers, step, posted);
    let base = format!("/applications/{key}/edit");
    // The draft remembers the step the person goes to.
    let (to, url) = match go {
        Go::Back => (step.saturating_sub(1), format!("{base}?step={}", step.saturating_sub(1))),
        Go::Save => {
            let step = step.min(s.form.steps.len());
            (step, format!("{base}?step={step}&saved=1"))
        }
        Go::Next if s.form.validate_step(step, &answers, today(now)).is_empty() => {
            let to = (step + 1).min(s.form.steps.len());
            (to, format!("{base}?step={to}"))
        }
        Go::Next => (step, format!("{base}?step={step}&check=1")),
    };
    let text = serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into());
    if row.status != Status::Draft || !store::save_draft(db, key, &caller.key(), &text, to, now).await? {
        return Err(AppError::invalid("Заявление уже отправлено: изменить черновик нельзя"));
    }
    Ok(url)
}

/// «Отправить»: once. A second send (a double click, two tabs, a retry
/// after a lost answer) finds it sent and answers with the same number.
pub async fn submit(db: &Db, caller: &Caller, key: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let row = own(db, caller, key).await?;
    if row.status != Status::Draft {
        return row.number_text().ok_or_else(not_found);
    }
    let s = service_of(&row)?;
    applicant(caller)?;
    caller.require_level(s.level)?;
    if let Err((step, problems)) = s.form.validate(&row.answers(), today(now)) {
        let (f, m) = &problems[0];
        let label = s.form.field(f).map(|d| d.label.clone()).unwrap_or_default();
        return Err(AppError::invalid(format!(
            "Заявление не отправлено: на шаге {} «{}» — {label}: {m}",
            step + 1,
            s.form.steps[step].title
        )));
    }
    let appeal_uin = if s.appeals_charge { row.answers().get("uin").cloned() } else { None };
    if let Some(uin) = &appeal_uin
        && !crate::charges::store::disputable(db, uin, &caller.key()).await?
    {
        return Err(AppError::invalid(format!(
            "Заявление не отправлено: среди ваших неоплаченных начислений нет УИН {uin}. Проверьте его на шаге 1"
        )));
    }
    let due = model::due_on(today(now), s.term_days).format("%Y-%m-%d").to_string();
    // Only the answers of shown fields go to the department.
    let kept = serde_json::to_string(&s.form.keep(&row.answers())).unwrap_or_else(|_| "{}".into());
    for _ in 0..5 {
        use rand::Rng;
        let n: u32 = rand::rng().random_range(100_000_000..1_000_000_000);
        let number = n.to_string();
        if !store::claim_number(db, &number, key).await? {
            continue;
        }
        let text = format!(
            "Заявление № {} «{}» принято. Срок рассмотрения — до {}.",
            model::format_number(n),
            s.title,
            date_text(&due)
        );
        let link = format!("/applications/{key}");
        let account = caller.account.clone();
        let changed = store::change(
            db,
            "application submit",
            key,
            "status = 'accepted', number = $number, slot = $slot, submitted_at = $now, due_on = $due,
                 expires_at = NONE, updated_at = $now, answers = $kept, warned = false",
            "account = $account AND status = 'draft'",
            &|q| {
                q.bind(("number", number.clone()))
                    .bind(("slot", key.to_string()))
                    .bind(("now", now))
                    .bind(("due", due.clone()))
                    .bind(("account", caller.key()))
                    .bind(("kept", kept.clone()))
            },
            &|q| {
                let q = store::event_in(q, 0, key, Status::Accepted, Action::Submit, "Заявитель", None, now);
                // The state duty to pay, and the charge an appeal disputes.
                let q = match s.price_kopecks {
                    Some(price) => crate::charges::store::duty_in(
                        q,
                        &account.key(),
                        key,
                        &number,
                        &s.title,
                        &s.department,
                        price,
                        now,
                    ),
                    None => q,
                };
                let q = match &appeal_uin {
                    Some(uin) => crate::charges::store::dispute_in(q, uin, &account.key(), key, now),
                    None => q,
                };
                crate::notify::notice_in(
                    q,
                    0,
                    &account,
                    crate::notify::NoticeKind::Status,
                    "Заявление принято",
                    &text,
                    Some(&link),
                    now,
                )
            },
        )
        .await?;
        if !changed {
            // Sent meanwhile by another request: its number stands.
            db.query("DELETE $n").bind(("n", surrealdb::types::RecordId::new("application_number", number))).await.ok();
        }
        let row = own(db, caller, key).await?;
        return row.number_text().ok_or_else(not_found);
    }
    Err(crate::platform::request::internal("application submit", "no free number"))
}

/// Hands accepted applications to their departments: «Отправлено в
/// ведомство», and the department's task (its officials may open it).
pub async fn deliver(db: &Db, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut done = 0;
    for row in store::accepted(db, 100).await? {
        let citizen = accounts::load(db, &row.account).await?;
        let sent_text = format!("Заявление «{}» передано в {}.", row.service_title, row.department);
        let link = format!("/applications/{}", row.key());
        let key = row.key();
        let task_key = format!("app_{key}");
        let subject = format!("Заявление № {}", row.number_text().unwrap_or_default());
        let changed = store::change(
            db,
            "application deliver",
            &key,
            "status = 'sent', updated_at = $now",
            "status = 'accepted'",
            &|q| q.bind(("now", now)),
            &|q| {
                let q = store::event_in(q, 0, &key, Status::Sent, Action::Deliver, "Система", None, now);
                let t = NewTask {
                    key: &task_key,
                    kind: TaskKind::Application,
                    citizen: &row.account,
                    role: Role::Official,
                    subject: &subject,
                    assignee: None,
                    unit: Some(&row.department),
                    expires_at: None,
                };
                let q = access::open_in(q, 0, &t, now);
                match &citizen {
                    Some(a) => crate::notify::notice_in(
                        q,
                        0,
                        a,
                        crate::notify::NoticeKind::Status,
                        "Заявление передано в ведомство",
                        &sent_text,
                        Some(&link),
                        now,
                    ),
                    None => q,
                }
            },
        )
        .await?;
        done += usize::from(changed);
    }
    Ok(done)
}

fn summary(r: &AppRow, now: DateTime<Utc>) -> AppSummary {
    let key = r.key();
    let live = !r.status.is_final() && r.status != Status::Draft;
    AppSummary {
        href: if r.status == Status::Draft {
            format!("/applications/{key}/edit?step={}", r.step)
        } else {
            format!("/applications/{key}")
        },
        key,
        number: r.number_text(),
        service_title: r.service_title.clone(),
        status: r.status,
        updated_at: msk(r.updated_at),
        due: r.due_on.as_deref().filter(|_| live).map(date_text),
        days_left: r
            .due_on
            .as_deref()
            .filter(|_| live && r.status != Status::NeedsInfo)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| model::days_left_text(d, today(now))),
        turn: turn(r).to_string(),
    }
}

fn turn(r: &AppRow) -> &'static str {
    match r.status {
        Status::Draft => "Черновик: отправьте, когда всё заполните",
        Status::NeedsInfo => "Ваша очередь: ответьте на запрос ведомства",
        Status::Accepted | Status::Sent | Status::InProgress => "Очередь ведомства",
        _ => "",
    }
}

/// «Мои заявления»: filtered by status, searched by number or service.
pub async fn mine(
    db: &Db,
    caller: &Caller,
    status: Option<Status>,
    q: &str,
    page: usize,
    now: DateTime<Utc>,
) -> Result<MyApplications, AppError> {
    let q = q.trim().chars().take(100).collect::<String>();
    let number = model::number_digits(&q);
    let search = (!q.is_empty() && number.is_none()).then_some(q.as_str());
    let page = page.clamp(1, 10_000);
    let start = ((page - 1) * PAGE) as u32;
    // One more than a page: whether there is a next one.
    let mut rows = store::mine(db, &caller.key(), status, search, number.as_deref(), start, PAGE as u32 + 1).await?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    Ok(MyApplications { items: rows.iter().map(|r| summary(r, now)).collect(), status, q, page, more })
}

/// The counts of the personal home's card.
pub async fn counts(db: &Db, caller: &Caller, now: DateTime<Utc>) -> Result<AppCounts, AppError> {
    let rows = store::counts(db, &caller.key(), now + TimeDelta::days(model::DRAFT_WARN_DAYS)).await?;
    let n = |f: &dyn Fn(Status) -> bool| -> u32 {
        rows.iter().filter(|r| f(r.status)).map(|r| u32::try_from(r.n).unwrap_or(0)).sum()
    };
    Ok(AppCounts {
        needs_answer: n(&|s| s == Status::NeedsInfo),
        drafts: n(&|s| s == Status::Draft),
        drafts_expiring: rows.iter().map(|r| u32::try_from(r.expiring).unwrap_or(0)).sum(),
        in_work: n(&|s| matches!(s, Status::Accepted | Status::Sent | Status::InProgress)),
    })
}

/// Applications on a page of «Мои заявления».
pub const PAGE: usize = 20;

fn next_text(r: &AppRow) -> String {
    match r.status {
        Status::Draft => "Заполните черновик и отправьте его.".into(),
        Status::Accepted | Status::Sent => {
            "Заявление передано в ведомство. Мы сообщим, когда его возьмут в работу.".into()
        }
        Status::InProgress => {
            "Специалист рассматривает заявление. Ничего делать не нужно: о решении придёт уведомление.".into()
        }
        Status::NeedsInfo => "Ведомству нужны дополнительные сведения: ответьте ниже до указанного срока.".into(),
        Status::Done => {
            "Услуга оказана. Скачайте результат: документ с QR‑кодом, по которому можно проверить его подлинность."
                .into()
        }
        Status::Refused => {
            "В услуге отказано. Исправьте причину и подайте новое заявление, или обжалуйте решение в ведомстве.".into()
        }
        Status::Cancelled => "Заявление отозвано. При необходимости подайте новое.".into(),
    }
}

/// An application as its page shows it. `for_staff`: the official's page,
/// without the citizen's list of «Документы» or the official's own name.
async fn detail_of(
    db: &Db,
    r: &AppRow,
    a: &AccountRow,
    for_staff: bool,
    now: DateTime<Utc>,
) -> Result<AppDetail, AppError> {
    let s = service_of(r)?;
    let key = r.key();
    let events = store::events(db, &key).await?;
    let docs = if for_staff { Vec::new() } else { docs_with_kind(db, &r.account).await? };
    let answers = r.answers();
    let request = match (&r.request, r.status) {
        (Some(req), Status::NeedsInfo) => {
            let fields: Vec<FieldDef> = req.fields.iter().filter_map(|f| s.form.field(f).cloned()).collect();
            // A requested field is asked again even if it was locked.
            let mut views = field_views(s, &fields, &answers, &[], a, &docs);
            // … and shown whatever the answers it depended on.
            for v in &mut views {
                v.locked = false;
                v.def.show_if = None;
            }
            Some(RequestView {
                fields: views,
                documents: req.documents.clone(),
                comment: req.comment.clone(),
                answer_by: date_text(&req.answer_by),
                my_documents: docs.iter().map(|(i, _, l)| (i.clone(), l.clone())).collect(),
            })
        }
        _ => None,
    };
    let s_sum = summary(r, now);
    Ok(AppDetail {
        key: key.clone(),
        number: s_sum.number.clone(),
        service_code: s.code.clone(),
        service_title: r.service_title.clone(),
        department: r.department.clone(),
        status: r.status,
        submitted_at: r.submitted_at.map(msk),
        due: s_sum.due.clone(),
        days_left: s_sum.days_left.clone(),
        turn: s_sum.turn.clone(),
        withdrawal_requested: r.withdrawal_requested,
        may_withdraw: model::next(r.status, r.withdrawal_requested, Action::Withdraw).is_ok(),
        events: events
            .into_iter()
            .map(|e| EventView { at: msk(e.at), status: e.status, by: e.by, comment: e.comment })
            .collect(),
        request,
        refusal: r
            .refusal
            .as_ref()
            .map(|f| (model::refusal_reason(&f.reason).unwrap_or(&f.reason).to_string(), f.comment.clone())),
        result_href: r.result.as_ref().map(|_| format!("/api/applications/{key}/result")),
        check_href: r.result.as_ref().map(|h| format!("/check/{h}")),
        next: next_text(r),
        review: review(s, &answers, &docs),
        // The citizen reads «Специалист, ведомство» in the history, never a name.
        assignee: r.assignee_name.clone().filter(|_| for_staff),
    })
}

/// `/applications/:id`: the caller's own application only.
pub async fn detail(db: &Db, caller: &Caller, key: &str, now: DateTime<Utc>) -> Result<AppDetail, AppError> {
    let r = own(db, caller, key).await?;
    detail_of(db, &r, &caller.account, false, now).await
}

pub async fn delete_draft(db: &Db, caller: &Caller, key: &str) -> Result<(), AppError> {
    own(db, caller, key).await?;
    store::delete_draft(db, key, &caller.key()).await
}

/// «Отозвать заявление»: at once before the department took it, else a
/// request the department decides.
pub async fn withdraw(db: &Db, caller: &Caller, key: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    let r = own(db, caller, key).await?;
    let next = model::next(r.status, r.withdrawal_requested, Action::Withdraw).map_err(AppError::invalid)?;
    let immediate = next.status == Status::Cancelled;
    let changed = store::change(
        db,
        "application withdraw",
        key,
        "status = $to, withdrawal_requested = $requested, updated_at = $now",
        "account = $account AND status = $from AND withdrawal_requested = false",
        &|q| {
            q.bind(("to", next.status))
                .bind(("requested", next.withdrawal_requested))
                .bind(("now", now))
                .bind(("account", caller.key()))
                .bind(("from", r.status))
        },
        &|q| {
            let comment = if immediate {
                None
            } else {
                Some("Заявитель просит отозвать заявление")
            };
            let q = store::event_in(q, 0, key, next.status, Action::Withdraw, "Заявитель", comment, now);
            // Withdrawn at once: an appeal ends, the charge is open again.
            let q = if next.status == Status::Cancelled {
                crate::charges::store::appeal_ended_in(q, key, false, now)
            } else {
                q
            };
            let (subject, text) = if immediate {
                ("Заявление отозвано", format!("Заявление «{}» отозвано.", r.service_title))
            } else {
                (
                    "Запрос на отзыв отправлен",
                    format!("Ведомство рассмотрит запрос на отзыв заявления «{}».", r.service_title),
                )
            };
            crate::notify::notice_in(
                q,
                0,
                &caller.account,
                crate::notify::NoticeKind::Status,
                subject,
                &text,
                Some(&format!("/applications/{key}")),
                now,
            )
        },
    )
    .await?;
    if !changed {
        return Err(AppError::invalid("Статус заявления только что изменился: обновите страницу"));
    }
    Ok(immediate)
}

/// The citizen answers a request for more: the named fields (judged by the
/// form) and the documents chosen from «Документы».
pub async fn answer(
    db: &Db,
    caller: &Caller,
    key: &str,
    posted: &Answers,
    documents: &[String],
    comment: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = own(db, caller, key).await?;
    let s = service_of(&r)?;
    let Some(req) = r.request.clone().filter(|_| r.status == Status::NeedsInfo) else {
        return Err(AppError::invalid(model::refusal(r.status, Action::Answer)));
    };
    let mut answers = r.answers();
    let mut errors = Vec::new();
    let docs = docs_with_kind(db, &caller.key()).await?;
    for id in &req.fields {
        let Some(f) = s.form.field(id) else { continue };
        let mut v = posted.get(id).map(|v| v.trim().to_string()).unwrap_or_default();
        // A document answer must be one of the person's own.
        if matches!(f.kind, FieldKind::Document | FieldKind::File) && !docs.iter().any(|(i, _, _)| *i == v) {
            v.clear();
        }
        match f.problem(&v, today(now)) {
            Some(m) => errors.push((format!("f_{id}"), m)),
            None if v.is_empty() => {
                answers.remove(id);
            }
            None => {
                answers.insert(id.clone(), v);
            }
        }
    }
    let chosen: Vec<&(String, String, String)> = docs.iter().filter(|(i, _, _)| documents.contains(i)).collect();
    if !req.documents.is_empty() && chosen.is_empty() {
        errors.push((
            "documents".to_string(),
            "Выберите документ из раздела «Документы» (загрузите его там, если его ещё нет)".to_string(),
        ));
    }
    let comment: String = comment.trim().chars().take(1000).collect();
    if !errors.is_empty() {
        return Err(AppError::fields(errors.iter().map(|(f, m)| (f.as_str(), m.clone())).collect()));
    }
    let mut note = String::new();
    if !chosen.is_empty() {
        note.push_str(&format!(
            "Приложены документы: {}",
            chosen.iter().map(|d| d.2.as_str()).collect::<Vec<_>>().join("; ")
        ));
    }
    if !req.fields.is_empty() {
        let labels: Vec<String> =
            req.fields.iter().filter_map(|f| s.form.field(f)).map(|f| format!("«{}»", f.label)).collect();
        if !note.is_empty() {
            note.push_str(". ");
        }
        note.push_str(&format!("Исправлены поля: {}", labels.join(", ")));
    }
    if !comment.is_empty() {
        if !note.is_empty() {
            note.push_str(". ");
        }
        note.push_str(&comment);
    }
    let asked = NaiveDate::parse_from_str(&req.asked_on, "%Y-%m-%d").unwrap_or(today(now));
    let due = r
        .due_on
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| model::due_after_answer(d, asked, today(now)).format("%Y-%m-%d").to_string());
    let text = serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into());
    let changed = store::change(
        db,
        "application answer",
        key,
        "status = 'in_progress', answers = $answers, request = NONE, due_on = $due, updated_at = $now",
        "account = $account AND status = 'needs_info' AND version = $version",
        &|q| {
            q.bind(("answers", text.clone()))
                .bind(("due", due.clone()))
                .bind(("now", now))
                .bind(("account", caller.key()))
                .bind(("version", r.version))
        },
        &|q| {
            let q = store::event_in(q, 0, key, Status::InProgress, Action::Answer, "Заявитель", Some(&note), now);
            crate::notify::notice_in(
                q,
                0,
                &caller.account,
                crate::notify::NoticeKind::Status,
                "Ответ отправлен в ведомство",
                &format!("Ваш ответ по заявлению «{}» передан ведомству. Статус: «В обработке».", r.service_title),
                Some(&format!("/applications/{key}")),
                now,
            )
        },
    )
    .await?;
    if !changed {
        return Err(AppError::invalid("Ответ уже отправлен или статус изменился: обновите страницу"));
    }
    Ok(())
}

// ---- The official ----

fn department(staff: &StaffCaller) -> Result<String, AppError> {
    staff.account.department.clone().ok_or(AppError::Forbidden)
}

fn official_label(staff: &StaffCaller) -> String {
    format!("Специалист, {}", staff.account.department.clone().unwrap_or_default())
}

/// The department's queue, the oldest deadline first.
pub async fn queue(
    db: &Db,
    staff: &StaffCaller,
    status: Option<Status>,
    now: DateTime<Utc>,
) -> Result<StaffQueue, AppError> {
    let dept = department(staff)?;
    let rows = store::queue(db, &dept, status, 200).await?;
    let items = rows
        .iter()
        .map(|r| {
            let s = summary(r, now);
            QueueItem {
                key: s.key,
                number: s.number.unwrap_or_default(),
                service_title: r.service_title.clone(),
                status: r.status,
                submitted_at: r.submitted_at.map(msk).unwrap_or_default(),
                due: r.due_on.as_deref().map(date_text).unwrap_or_default(),
                days_left: r
                    .due_on
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .map(|d| model::days_left_text(d, today(now)))
                    .unwrap_or_default(),
                assignee: r.assignee_name.clone(),
                mine: r.assignee.as_deref() == Some(staff.key_ref()),
            }
        })
        .collect();
    Ok(StaffQueue { department: dept, items, status })
}

/// The application of the official's department, through its task (the
/// look is recorded for the citizen, decided ones too: the task stays open,
/// the department's officials may look back at what was decided). Another
/// department's: not found.
async fn of_department(
    db: &Db,
    staff: &StaffCaller,
    key: &str,
    now: DateTime<Utc>,
    look: bool,
) -> Result<AppRow, AppError> {
    let dept = department(staff)?;
    let r = match store::load(db, key).await? {
        Some(r) if r.department == dept && r.status != Status::Draft && r.status != Status::Accepted => r,
        _ => return Err(not_found()),
    };
    // The application's task decides as for every look at a citizen's data
    // (never one's own, the department's unit); a view is recorded.
    let task = format!("app_{key}");
    let allowed = if look {
        access::look(db, staff, &r.account, &task, "Заявление и приложенные документы", now).await.map(|_| ())
    } else {
        access::task_for(db, staff, &r.account, &task, now).await.map(|_| ())
    };
    allowed.map_err(|_| not_found())?;
    Ok(r)
}

pub async fn staff_view(db: &Db, staff: &StaffCaller, key: &str, now: DateTime<Utc>) -> Result<StaffApp, AppError> {
    let r = of_department(db, staff, key, now, true).await?;
    let s = service_of(&r)?;
    let citizen = accounts::load(db, &r.account).await?.ok_or_else(not_found)?;
    let detail = detail_of(db, &r, &citizen, true, now).await?;
    let mine = r.assignee.as_deref() == Some(staff.key_ref());
    Ok(StaffApp {
        detail,
        applicant: citizen.full_name(),
        may_claim: r.status == Status::Sent,
        may_decide: mine && r.status == Status::InProgress,
        fields: s.form.fields().filter(|f| f.shown(&r.answers())).map(|f| (f.id.clone(), f.label.clone())).collect(),
        reasons: model::REFUSAL_REASONS.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect(),
    })
}

/// «Взять в работу»: one official only; the second is told who has it.
pub async fn claim(db: &Db, staff: &StaffCaller, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let r = of_department(db, staff, key, now, false).await?;
    let label = official_label(staff);
    let name = format!("{} ({})", staff.account.short_name(), label);
    let citizen = accounts::load(db, &r.account).await?.ok_or_else(not_found)?;
    let link = format!("/applications/{key}");
    let text = format!("Заявление «{}» взято в работу. Статус: «В обработке».", r.service_title);
    let changed = store::change(
        db,
        "application claim",
        key,
        "status = 'in_progress', assignee = $staff, assignee_name = $name, updated_at = $now",
        "status = 'sent' AND department = $dept",
        &|q| {
            q.bind(("staff", staff.key()))
                .bind(("name", name.clone()))
                .bind(("now", now))
                .bind(("dept", r.department.clone()))
        },
        &|q| {
            let q = store::event_in(q, 0, key, Status::InProgress, Action::Claim, &label, None, now);
            crate::notify::notice_in(
                q,
                0,
                &citizen,
                crate::notify::NoticeKind::Status,
                "Заявление в обработке",
                &text,
                Some(&link),
                now,
            )
        },
    )
    .await?;
    if changed {
        return Ok(());
    }
    let now_row = store::load(db, key).await?.ok_or_else(not_found)?;
    match now_row.assignee_name {
        Some(who) if now_row.assignee.as_deref() != Some(staff.key_ref()) => {
            Err(AppError::invalid(format!("Заявление уже в работе: его взял {who}")))
        }
        Some(_) => Ok(()),
        None => Err(AppError::invalid(model::refusal(now_row.status, Action::Claim))),
    }
}

/// The official's own application in work, for a decision.
async fn in_my_work(db: &Db, staff: &StaffCaller, key: &str, now: DateTime<Utc>) -> Result<AppRow, AppError> {
    let r = of_department(db, staff, key, now, false).await?;
    if r.assignee.as_deref() != Some(staff.key_ref()) {
        return Err(AppError::invalid(match &r.assignee_name {
            Some(who) => format!("Заявление в работе у другого специалиста: {who}"),
            None => "Сначала возьмите заявление в работу".to_string(),
        }));
    }
    Ok(r)
}

/// «Запросить сведения»: which fields and documents, a comment.
pub async fn ask_more(
    db: &Db,
    staff: &StaffCaller,
    key: &str,
    fields: &[String],
    documents: &str,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = in_my_work(db, staff, key, now).await?;
    let s = service_of(&r)?;
    model::next(r.status, r.withdrawal_requested, Action::AskMore).map_err(AppError::invalid)?;
    let fields: Vec<String> = fields.iter().filter(|f| s.form.field(f).is_some()).cloned().collect();
    let documents: Vec<String> = documents
        .lines()
        .map(|l| l.trim().chars().take(200).collect::<String>())
        .filter(|l| !l.is_empty())
        .take(10)
        .collect();
    let comment: String = comment.trim().chars().take(1000).collect();
    if fields.is_empty() && documents.is_empty() {
        return Err(AppError::field("fields", "Отметьте поля или впишите документы, которые нужны"));
    }
    if comment.chars().count() < 5 {
        return Err(AppError::field("comment", "Объясните заявителю, что и почему нужно исправить"));
    }
    let asked = today(now);
    let by = asked + TimeDelta::days(model::ANSWER_DAYS);
    let citizen = accounts::load(db, &r.account).await?.ok_or_else(not_found)?;
    let link = format!("/applications/{key}");
    let text = format!(
        "По заявлению «{}» ведомству нужны дополнительные сведения. Ответьте до {}.",
        r.service_title,
        by.format("%d.%m.%Y")
    );
    let label = official_label(staff);
    let mut what = Vec::new();
    if !fields.is_empty() {
        what.push(format!(
            "Исправить: {}",
            fields
                .iter()
                .filter_map(|f| s.form.field(f))
                .map(|f| format!("«{}»", f.label))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !documents.is_empty() {
        what.push(format!("Приложить: {}", documents.join("; ")));
    }
    what.push(comment.clone());
    let note = what.join(". ");
    let changed = store::change(
        db,
        "application ask",
        key,
        "status = 'needs_info', request = { fields: $fields, documents: $documents, comment: $comment,
             asked_on: $asked, answer_by: $by }, warned = false, updated_at = $now",
        "status = 'in_progress' AND assignee = $staff AND version = $version",
        &|q| {
            q.bind(("fields", fields.clone()))
                .bind(("documents", documents.clone()))
                .bind(("comment", comment.clone()))
                .bind(("asked", asked.format("%Y-%m-%d").to_string()))
                .bind(("by", by.format("%Y-%m-%d").to_string()))
                .bind(("now", now))
                .bind(("staff", staff.key()))
                .bind(("version", r.version))
        },
        &|q| {
            let q = store::event_in(q, 0, key, Status::NeedsInfo, Action::AskMore, &label, Some(&note), now);
            crate::notify::notice_in(
                q,
                0,
                &citizen,
                crate::notify::NoticeKind::Status,
                "Нужны дополнительные сведения",
                &text,
                Some(&link),
                now,
            )
        },
    )
    .await?;
    if !changed {
        return Err(AppError::invalid("Статус заявления только что изменился: обновите страницу"));
    }
    Ok(())
}

/// «Отказать»: a reason from the list and a comment.
pub async fn refuse(
    db: &Db,
    staff: &StaffCaller,
    key: &str,
    reason: &str,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = in_my_work(db, staff, key, now).await?;
    model::next(r.status, r.withdrawal_requested, Action::Refuse).map_err(AppError::invalid)?;
    let Some(reason_text) = model::refusal_reason(reason) else {
        return Err(AppError::field("reason", "Выберите причину отказа"));
    };
    let comment: String = comment.trim().chars().take(1000).collect();
    if comment.chars().count() < 5 {
        return Err(AppError::field("comment", "Поясните причину отказа для заявителя"));
    }
    let citizen = accounts::load(db, &r.account).await?.ok_or_else(not_found)?;
    let link = format!("/applications/{key}");
    let text = format!("По заявлению «{}» принято решение об отказе: {reason_text}.", r.service_title);
    let label = official_label(staff);
    let note = format!("{reason_text}. {comment}");
    let changed = store::change(
        db,
        "application refuse",
        key,
        "status = 'refused', refusal = { reason: $reason, comment: $comment }, withdrawal_requested = false, updated_at = $now",
        "status = 'in_progress' AND assignee = $staff AND version = $version",
        &|q| {
            q.bind(("reason", reason.to_string()))
                .bind(("comment", comment.clone()))
                .bind(("now", now))
                .bind(("staff", staff.key()))
                .bind(("version", r.version))
        },
        &|q| {
            let q = store::event_in(q, 0, key, Status::Refused, Action::Refuse, &label, Some(&note), now);
            let q = crate::charges::store::appeal_ended_in(q, key, false, now);
            crate::notify::notice_in(q, 0, &citizen, crate::notify::NoticeKind::Status, "Отказ по заявлению", &text, Some(&link), now)
        },
    )
    .await?;
    if !changed {
        return Err(AppError::invalid("Решение по заявлению уже принято"));
    }
    Ok(())
}

/// «Исполнено»: the result document (PDF with a QR code of its check page)
/// is stored, then the status changes once.
pub async fn approve(
    db: &Db,
    files: &Files,
    staff: &StaffCaller,
    key: &str,
    comment: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = in_my_work(db, staff, key, now).await?;
    model::next(r.status, r.withdrawal_requested, Action::Approve).map_err(AppError::invalid)?;
    let comment = comment.trim().to_string();
    // The whole text must fit the document (and so be covered by its check).
    if comment.chars().count() > super::result::TEXT_MAX {
        return Err(AppError::field(
            "comment",
            format!(
                "Текст решения — не больше {} символов: он печатается в документе целиком",
                super::result::TEXT_MAX
            ),
        ));
    }
    let citizen = accounts::load(db, &r.account).await?.ok_or_else(not_found)?;
    let number = r.number_text().unwrap_or_default();
    let doc = super::result::ResultDoc {
        number: number.clone(),
        service_title: r.service_title.clone(),
        department: r.department.clone(),
        holder: citizen.full_name(),
        issued_at: msk(now),
        text: if comment.is_empty() {
            "Услуга оказана в полном объёме.".to_string()
        } else {
            comment.clone()
        },
    };
    let hash = doc.hash();
    let check_url = format!("{}/check/{hash}", public_url.trim_end_matches('/'));
    let bytes = super::result::render(&doc, &check_url)?;
    let size = bytes.len() as i64;
    let file = files.put(bytes).await?;
    let link = format!("/applications/{key}");
    let text = format!("Заявление «{}» исполнено. Результат можно скачать в личном кабинете.", r.service_title);
    let label = official_label(staff);
    let changed = store::change(
        db,
        "application approve",
        key,
        "status = 'done', result = $hash, result_file = $file, withdrawal_requested = false, updated_at = $now",
        "status = 'in_progress' AND assignee = $staff AND version = $version",
        &|q| {
            q.bind(("hash", hash.clone()))
                .bind(("file", file.clone()))
                .bind(("now", now))
                .bind(("staff", staff.key()))
                .bind(("version", r.version))
                .bind(("rid", surrealdb::types::RecordId::new("result_document", hash.as_str())))
                .bind(("rnumber", number.clone()))
                .bind(("rtitle", r.service_title.clone()))
                .bind(("rdept", r.department.clone()))
                .bind(("rholder", doc.holder.clone()))
                .bind(("rsize", size))
                .bind(("rapp", key.to_string()))
                .bind(("rtext", doc.text.clone()))
        },
        &|q| {
            let q = store::event_in(
                q,
                0,
                key,
                Status::Done,
                Action::Approve,
                &label,
                (!comment.is_empty()).then_some(comment.as_str()),
                now,
            );
            let q = crate::charges::store::appeal_ended_in(q, key, true, now);
            let q = q.query(
                "CREATE $rid SET application = $rapp, number = $rnumber, service_title = $rtitle, department = $rdept,
                     holder = $rholder, issued_at = $now, size = $rsize, file = $file, text = $rtext",
            );
            crate::notify::notice_in(
                q,
                0,
                &citizen,
                crate::notify::NoticeKind::Status,
                "Заявление исполнено",
                &text,
                Some(&link),
                now,
            )
        },
    )
    .await?;
    if !changed {
        return Err(AppError::invalid("Решение по заявлению уже принято"));
    }
    Ok(())
}

/// The department accepts or refuses a withdrawal request.
pub async fn decide_withdrawal(
    db: &Db,
    staff: &StaffCaller,
    key: &str,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = in_my_work(db, staff, key, now).await?;
    let action = if accept { Action::AcceptWithdrawal } else { Action::RefuseWithdrawal };
    let next = model::next(r.status, r.withdrawal_requested, action).map_err(AppError::invalid)?;
    let citizen = accounts::load(db, &r.account).await?.ok_or_else(not_found)?;
    let link = format!("/applications/{key}");
    let (subject, text) = if accept {
        ("Заявление отозвано", format!("Заявление «{}» отозвано по вашему запросу.", r.service_title))
    } else {
        ("Отзыв заявления отклонён", format!("Ведомство продолжает рассматривать заявление «{}».", r.service_title))
    };
    let label = official_label(staff);
    let comment = if accept {
        "Запрос на отзыв принят"
    } else {
        "Запрос на отзыв отклонён"
    };
    let changed = store::change(
        db,
        "application withdrawal decision",
        key,
        "status = $to, withdrawal_requested = false, updated_at = $now",
        "status = $from AND withdrawal_requested = true AND assignee = $staff",
        &|q| q.bind(("to", next.status)).bind(("from", r.status)).bind(("now", now)).bind(("staff", staff.key())),
        &|q| {
            let q = store::event_in(q, 0, key, next.status, action, &label, Some(comment), now);
            let q = if next.status == Status::Cancelled {
                crate::charges::store::appeal_ended_in(q, key, false, now)
            } else {
                q
            };
            crate::notify::notice_in(
                q,
                0,
                &citizen,
                crate::notify::NoticeKind::Status,
                subject,
                &text,
                Some(&link),
                now,
            )
        },
    )
    .await?;
    if !changed {
        return Err(AppError::invalid("Статус заявления только что изменился: обновите страницу"));
    }
    Ok(())
}

/// The result PDF of the caller's own application.
pub async fn result_file(db: &Db, files: &Files, caller: &Caller, key: &str) -> Result<(String, Vec<u8>), AppError> {
    let r = own(db, caller, key).await?;
    let hash = r.result.clone().ok_or_else(not_found)?;
    let file = store::result_file(db, &hash).await?.ok_or_else(not_found)?;
    let bytes = files.get(&file).await?.ok_or_else(not_found)?;
    let number = r.number.unwrap_or_default();
    Ok((format!("result-{number}.pdf"), bytes))
}

/// `/check/:hash`: whether a result document is genuine. Shows the holder
/// with the surname cut to its initial (the page is public).
pub async fn check(db: &Db, hash: &str) -> Result<CheckPage, AppError> {
    let hash = hash.trim().to_ascii_lowercase();
    Ok(match store::result(db, &hash).await? {
        Some(r) => CheckPage {
            genuine: true,
            number: r.number,
            service_title: r.service_title,
            department: r.department,
            holder: mask_holder(&r.holder),
            issued_at: msk(r.issued_at),
            text: r.text,
            hash,
        },
        None => CheckPage {
            genuine: false,
            number: String::new(),
            service_title: String::new(),
            department: String::new(),
            holder: String::new(),
            issued_at: String::new(),
            text: String::new(),
            hash: hash.chars().take(64).collect(),
        },
    })
}

/// «Иванов Иван Иванович» → «Иван Иванович И.»
fn mask_holder(full: &str) -> String {
    let mut parts = full.split_whitespace();
    let surname = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let initial = surname.chars().next().map(|c| format!("{c}.")).unwrap_or_default();
    format!("{} {initial}", rest.join(" ")).trim().to_string()
}

/// «О предстоящих сроках»: drafts a week from going get a notice once
/// (drafts past 90 days go), and so do requests for more whose answer is
/// due within two days.
pub async fn remind_drafts(db: &Db, now: DateTime<Utc>) -> Result<usize, AppError> {
    let soon = now + TimeDelta::days(model::DRAFT_WARN_DAYS);
    let rows = store::drafts_expiring(db, soon, 100).await?;
    let mut n = 0;
    for r in rows {
        let Some(a) = accounts::load(db, &r.account).await? else { continue };
        let key = r.key();
        let until = r.expires_at.map(|t| (t + TimeDelta::hours(3)).format("%d.%m.%Y").to_string()).unwrap_or_default();
        let text = format!(
            "Черновик заявления «{}» будет удалён {until}. Отправьте его или сохраните изменения, чтобы продлить срок.",
            r.service_title
        );
        let link = format!("/applications/{key}/edit?step={}", r.step);
        let changed = store::change(
            db,
            "draft reminder",
            &key,
            // The week the notice promises, even when it comes late.
            "warned = true, expires_at = IF expires_at < $week { $week } ELSE { expires_at }",
            "status = 'draft' AND warned = false AND version = $version",
            &|q| q.bind(("version", r.version)).bind(("week", now + TimeDelta::days(model::DRAFT_WARN_DAYS))),
            &|q| {
                crate::notify::notice_in(
                    q,
                    0,
                    &a,
                    crate::notify::NoticeKind::Deadline,
                    "Черновик скоро удалится",
                    &text,
                    Some(&link),
                    now,
                )
            },
        )
        .await?;
        n += usize::from(changed);
    }
    store::delete_expired_drafts(db, now).await?;
    // Requests for more whose answer is due within two days.
    let soon = (today(now) + TimeDelta::days(2)).format("%Y-%m-%d").to_string();
    for r in store::answers_due(db, &soon, 100).await? {
        let Some(a) = accounts::load(db, &r.account).await? else { continue };
        let key = r.key();
        let by = r.request.as_ref().map(|q| date_text(&q.answer_by)).unwrap_or_default();
        let text = format!(
            "Ведомство ждёт ваш ответ по заявлению «{}» до {by}. Без ответа заявление могут отклонить.",
            r.service_title
        );
        let link = format!("/applications/{key}");
        let changed = store::change(
            db,
            "answer reminder",
            &key,
            "warned = true",
            "status = 'needs_info' AND warned = false AND version = $version",
            &|q| q.bind(("version", r.version)),
            &|q| {
                crate::notify::notice_in(
                    q,
                    0,
                    &a,
                    crate::notify::NoticeKind::Deadline,
                    "Скоро срок ответа ведомству",
                    &text,
                    Some(&link),
                    now,
                )
            },
        )
        .await?;
        n += usize::from(changed);
    }
    Ok(n)
}
