//! The rules of «Документы» that need data. A citizen uploads, lists and
//! downloads their own documents and asks to change their personal data;
//! an official (a strong staff session, role «Сотрудник ведомства») works
//! the queue: opening a document or a request goes through its task
//! (`auth::access::look`, an access row the citizen sees), a decision is
//! made once and reaches the citizen as a notice. Staff reach a file only
//! through an open task it belongs to; anyone else is told it does not exist.

use chrono::{DateTime, Utc};

use super::content;
use super::dto::{
    ChangePage, ChangeReview, ChangeView, Citizen, Diff, DocumentView, HistoryEntry, MyDocuments, Queue, QueueItem,
    Review, ScanLink, ScanOption,
};
use super::model::{
    ChangeForm, ChangeStatus, Defect, DocKind, DocStatus, NewPersonal, UploadProblem, check_change, check_reason,
    check_rejection, differences, number, size_text, time_left,
};
use super::store::{self, ChangeDecision, ChangeRow, DocDecision, DocumentRow, NewChange, NewDocument};
use crate::auth::Role;
use crate::auth::access::{self, TaskKind, TaskRow};
use crate::auth::accounts::{self, AccountRow, PersonalData};
use crate::auth::caller::{Caller, StaffCaller};
use crate::error::AppError;
use crate::format::msk;
use crate::platform::db::Db;
use crate::platform::files::Files;

/// Uploads per account per hour (**constant**): a person re-scanning a
/// document a few times is far below it; a script filling the store is not.
pub const UPLOADS_PER_HOUR: u32 = 30;
/// The most lines the official's queue shows (**constant**).
pub const QUEUE_LIMIT: u32 = 200;

pub const ALREADY_DECIDED: &str = "Решение уже принято другим сотрудником. Обновите очередь";
const NOT_OPENED: &str = "Сначала откройте документ из очереди";
const CHANGE_OPEN: &str = "У вас уже есть запрос на изменение данных на проверке. Дождитесь решения по нему";
const NOTHING_CHANGES: &str = "Новые данные совпадают с текущими. Измените то, что нужно исправить";
const BAD_SCAN: &str = "Приложить можно только свои загруженные документы, кроме отклонённых";

/// Where a document's file downloads (through `task` for staff).
pub fn file_href(key: &str, task: Option<&str>) -> String {
    match task {
        Some(t) => format!("/api/documents/file/{key}?task={t}"),
        None => format!("/api/documents/file/{key}"),
    }
}

fn what_of(kind: DocKind) -> String {
    format!("Документ «{}»", kind.label())
}

/// «Сотрудник ведомства, Министерство социальной защиты»: a role and a
/// department, never a name.
fn official_unit(staff: &StaffCaller) -> String {
    match &staff.account.department {
        Some(d) => format!("{}, {d}", Role::Official.label()),
        None => Role::Official.label().to_string(),
    }
}

fn day(d: &str) -> String {
    crate::auth::personal::parse_date(d).map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|_| d.to_string())
}

fn as_new(p: &PersonalData) -> NewPersonal {
    NewPersonal {
        surname: p.surname.clone(),
        name: p.name.clone(),
        patronymic: p.patronymic.clone(),
        birth_date: p.birth_date.clone(),
        passport: p.passport.clone(),
    }
}

fn diffs(old: &PersonalData, new: &PersonalData) -> Vec<Diff> {
    differences(&as_new(old), &as_new(new))
        .into_iter()
        .map(|(label, old, new)| Diff {
            label: label.to_string(),
            old: if old.is_empty() { "—".into() } else { old },
            new: if new.is_empty() { "—".into() } else { new },
        })
        .collect()
}

fn citizen_of(a: &AccountRow) -> Citizen {
    Citizen { full_name: a.full_name(), birth_date: day(&a.birth_date) }
}

// -------------------------------------------------------------------- upload

/// A file as it arrived with its form.
pub struct Upload {
    /// The «Тип документа» chosen.
    pub kind: String,
    /// The rejected document this file is for, if any.
    pub replaces: Option<String>,
    /// The name the browser gave the file.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why an upload did not happen: something about the file or the form
/// (shown beside the field), or a failure of ours.
#[derive(Debug)]
pub enum UploadError {
    Problem(UploadProblem),
    Failed(AppError),
}

impl From<AppError> for UploadError {
    fn from(e: AppError) -> Self {
        UploadError::Failed(e)
    }
}

impl UploadError {
    /// The same as the person's error (a field error for a problem).
    pub fn into_app_error(self) -> AppError {
        match self {
            UploadError::Problem(p) => AppError::field(p.field(), p.message()),
            UploadError::Failed(e) => e,
        }
    }
}

/// Judges the file by its content, stores it, then writes its row with
/// its review task: a document shows as uploaded only once its file is
/// whole in the store. A refused file changes nothing already uploaded.
/// Uploads checked at once on this server (see `content::MAX_PIXEL_BYTES`).
static CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

pub async fn upload(
    db: &Db,
    files: &Files,
    caller: &Caller,
    up: Upload,
    now: DateTime<Utc>,
) -> Result<String, UploadError> {
    let kind = DocKind::parse(up.kind.trim()).ok_or(UploadError::Problem(UploadProblem::Kind))?;
    let account = caller.key();
    let replaces = match up.replaces.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(r) => match store::load(db, r).await? {
            Some(d) if d.account == account && d.status == DocStatus::Rejected && d.replaced_by.is_none() => {
                Some(d.key())
            }
            _ => return Err(UploadError::Problem(UploadProblem::Replaces)),
        },
    };
    let hour = chrono::TimeDelta::hours(1);
    if !crate::platform::budget::take_sliding(db, "upload", &account, UPLOADS_PER_HOUR, hour, now).await? {
        return Err(UploadError::Problem(UploadProblem::TooMany));
    }
    if store::documents_of(db, &account).await?.iter().filter(|d| d.status != DocStatus::Rejected).count()
        >= super::model::MAX_DOCUMENTS
    {
        return Err(UploadError::Problem(UploadProblem::Full));
    }
    let (bytes, name) = (up.bytes, up.name);
    // One check at a time per server: decoding is CPU and memory work that
    // parallel uploads must not multiply.
    let _permit = CHECKS.acquire().await.map_err(|e| crate::platform::request::internal("upload check", e))?;
    let (bytes, name, judged) = tokio::task::spawn_blocking(move || {
        let judged = content::judge(&bytes, &name);
        (bytes, name, judged)
    })
    .await
    .map_err(|e| crate::platform::request::internal("upload check", e))?;
    let format = judged.map_err(UploadError::Problem)?;
    let size = bytes.len();
    let hash = files.put(bytes).await?;
    let key = uuid::Uuid::new_v4().simple().to_string();
    let name = content::clean_name(&name);
    let subject = format!("Проверка документа «{}»", kind.label());
    let new = NewDocument {
        key: &key,
        account: &account,
        kind,
        format,
        hash: &hash,
        size,
        name: &name,
        replaces: replaces.as_deref(),
        subject: &subject,
    };
    store::create_document(db, new, now).await?;
    Ok(key)
}

// ---------------------------------------------------------- citizen's pages

fn view_of(d: &DocumentRow) -> DocumentView {
    DocumentView {
        id: d.key(),
        number: number(&d.key()),
        kind: d.kind,
        name: d.name.clone(),
        file: format!("{}, {}", d.format.label(), size_text(u64::try_from(d.size).unwrap_or(0))),
        uploaded_at: msk(d.uploaded_at),
        status: d.status,
        defects: d.defects.iter().map(|x| x.label().to_string()).collect(),
        remark: d.remark.clone(),
        decided: d.decided_at.map(|t| format!("{}, {}", msk(t), d.decided_by.clone().unwrap_or_default())),
        replaced: d.replaced_by.is_some(),
        href: file_href(&d.key(), None),
    }
}

fn change_view(c: &ChangeRow) -> ChangeView {
    let mut asked = c.new.clone();
    if asked.passport.is_none() {
        asked.passport = c.old.passport.clone();
    }
    ChangeView {
        id: c.key(),
        number: number(&c.key()),
        created_at: msk(c.created_at),
        status: c.status,
        rows: diffs(&c.old, &asked),
        reason: c.reason.clone(),
        decided_at: c.decided_at.map(msk),
    }
}

/// `/documents`: the caller's documents, newest first, the newest change
/// request and the history of personal data.
pub async fn mine(db: &Db, caller: &Caller) -> Result<MyDocuments, AppError> {
    let key = caller.key();
    let documents = store::documents_of(db, &key).await?.iter().map(view_of).collect();
    let change = store::latest_change(db, &key).await?.as_ref().map(change_view);
    let history = accounts::personal_history(db, &key)
        .await?
        .into_iter()
        .map(|h| HistoryEntry { at: msk(h.at), rows: diffs(&h.old, &h.new), why: h.why })
        .collect();
    Ok(MyDocuments { documents, change, history })
}

/// `/documents/change`.
pub async fn change_page(db: &Db, caller: &Caller) -> Result<ChangePage, AppError> {
    let a = &caller.account;
    let open = store::latest_change(db, &caller.key()).await?.filter(|c| c.status.is_open()).as_ref().map(change_view);
    let scans = store::documents_of(db, &caller.key())
        .await?
        .into_iter()
        .filter(|d| d.status != DocStatus::Rejected)
        .map(|d| ScanOption {
            id: d.key(),
            label: format!("{} — {}, загружен {}", d.kind.label(), d.name, msk(d.uploaded_at)),
        })
        .collect();
    Ok(ChangePage {
        surname: a.surname.clone(),
        name: a.name.clone(),
        patronymic: a.patronymic.clone().unwrap_or_default(),
        birth_date: day(&a.birth_date),
        passport: a.passport.clone(),
        open,
        scans,
    })
}

/// «Отправить на проверку»: nothing changes in the profile until an
/// official approves. One open request at a time.
pub async fn request_change(
    db: &Db,
    caller: &Caller,
    form: &ChangeForm,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let new = check_change(form, now.date_naive()).map_err(AppError::fields)?;
    let key = caller.key();
    let mine = store::documents_of(db, &key).await?;
    let mut scans: Vec<String> = Vec::new();
    for s in &form.scans {
        match mine.iter().find(|d| &d.key() == s) {
            Some(d) if d.status != DocStatus::Rejected => {
                if !scans.contains(s) {
                    scans.push(s.clone());
                }
            }
            _ => return Err(AppError::field("scans", BAD_SCAN)),
        }
    }
    let old = caller.account.personal();
    let asked = PersonalData {
        surname: new.surname,
        name: new.name,
        patronymic: new.patronymic,
        birth_date: new.birth_date,
        passport: new.passport,
    };
    let mut merged = asked.clone();
    if merged.passport.is_none() {
        merged.passport = old.passport.clone();
    }
    if merged == old {
        return Err(AppError::invalid(NOTHING_CHANGES));
    }
    let request = uuid::Uuid::new_v4().simple().to_string();
    let subject = "Запрос на изменение ФИО / паспортных данных";
    let new = NewChange { key: &request, account: &key, old: &old, new: &asked, scans: &scans, subject };
    if !store::create_change(db, &new, now).await? {
        return Err(AppError::invalid(CHANGE_OPEN));
    }
    Ok(request)
}

// ------------------------------------------------------------ official's work

fn official(staff: &StaffCaller) -> Result<(), AppError> {
    staff.require_role(Role::Official)
}

/// The queue: documents and change requests waiting, oldest first, with
/// the time left of the 24-hour target; nothing about the person.
pub async fn queue(db: &Db, staff: &StaffCaller, now: DateTime<Utc>) -> Result<Queue, AppError> {
    official(staff)?;
    let documents = store::document_queue(db, QUEUE_LIMIT)
        .await?
        .into_iter()
        .map(|d| {
            let (overdue, left) = time_left(d.uploaded_at, now);
            QueueItem {
                number: number(&d.key()),
                id: d.key(),
                what: d.kind.label().to_string(),
                since: msk(d.uploaded_at),
                left,
                overdue,
                status: d.status.label().to_string(),
            }
        })
        .collect();
    let changes = store::change_queue(db, QUEUE_LIMIT)
        .await?
        .into_iter()
        .map(|c| {
            let (overdue, left) = time_left(c.created_at, now);
            QueueItem {
                number: number(&c.key()),
                id: c.key(),
                what: "Изменение ФИО / паспортных данных".to_string(),
                since: msk(c.created_at),
                left,
                overdue,
                status: c.status.label().to_string(),
            }
        })
        .collect();
    Ok(Queue { documents, changes })
}

async fn citizen_account(db: &Db, key: &str) -> Result<AccountRow, AppError> {
    accounts::load(db, key).await?.ok_or(AppError::NotFound)
}

/// Opens a document for review: the look is recorded through its task
/// and the document becomes «На проверке».
pub async fn review(db: &Db, staff: &StaffCaller, key: &str, now: DateTime<Utc>) -> Result<Review, AppError> {
    official(staff)?;
    let d = store::load(db, key).await?.ok_or(AppError::NotFound)?;
    if !d.status.is_open() {
        return Err(AppError::invalid(ALREADY_DECIDED));
    }
    access::look(db, staff, &d.account, key, &what_of(d.kind), now).await?;
    store::mark_opened(db, key, now).await?;
    let a = citizen_account(db, &d.account).await?;
    let earlier = match &d.replaces {
        Some(r) => store::load(db, r).await?.map(|o| o.defects.iter().map(|x| x.label().to_string()).collect()),
        None => None,
    };
    let (overdue, left) = time_left(d.uploaded_at, now);
    Ok(Review {
        id: d.key(),
        number: number(key),
        kind: d.kind,
        name: d.name.clone(),
        file: format!("{}, {}", d.format.label(), size_text(u64::try_from(d.size).unwrap_or(0))),
        uploaded_at: msk(d.uploaded_at),
        left,
        overdue,
        status: DocStatus::InReview,
        citizen: citizen_of(&a),
        href: file_href(key, Some(key)),
        earlier_defects: earlier.unwrap_or_default(),
        decided: None,
    })
}

/// «Принять» (`accept`) or «Отклонить» naming the defects. Made once;
/// the citizen gets a notice with the defects.
pub async fn decide(
    db: &Db,
    staff: &StaffCaller,
    key: &str,
    accept: bool,
    defects: &[Defect],
    remark: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    official(staff)?;
    let remark = if accept {
        String::new()
    } else {
        check_rejection(defects, remark).map_err(|(f, m)| AppError::field(f, m))?
    };
    let d = store::load(db, key).await?.ok_or(AppError::NotFound)?;
    match d.status {
        DocStatus::InReview => {}
        DocStatus::Uploaded => return Err(AppError::invalid(NOT_OPENED)),
        DocStatus::Accepted | DocStatus::Rejected => return Err(AppError::invalid(ALREADY_DECIDED)),
    }
    let task = match access::task_for(db, staff, &d.account, key, now).await {
        Ok(t) => t,
        // The task closes with the decision: a second decider finds it closed.
        Err(AppError::Forbidden) => return Err(AppError::invalid(ALREADY_DECIDED)),
        Err(e) => return Err(e),
    };
    let citizen = citizen_account(db, &d.account).await?;
    let label = d.kind.label();
    let (to, subject, text, defects) = if accept {
        (
            DocStatus::Accepted,
            "Документ принят",
            format!("Документ «{label}» (файл {}) проверен и принят.", d.name),
            Vec::new(),
        )
    } else {
        let mut named: Vec<String> = defects.iter().map(|x| x.label().to_string()).collect();
        if !remark.is_empty() {
            named.push(remark.clone());
        }
        (
            DocStatus::Rejected,
            "Документ отклонён",
            format!(
                "Документ «{label}» (файл {}) не принят. Недочёты: {}. Исправьте их и загрузите документ заново в разделе «Документы».",
                d.name,
                named.join("; ")
            ),
            defects.to_vec(),
        )
    };
    let by = official_unit(staff);
    let what = what_of(d.kind);
    let decision = DocDecision {
        doc: &d,
        to,
        defects: &defects,
        remark: Some(remark.as_str()).filter(|r| !r.is_empty()),
        by: &by,
        staff,
        task: &task,
        what: &what,
        citizen: &citizen,
        subject,
        text: &text,
    };
    if !store::decide_document(db, &decision, now).await? {
        return Err(AppError::invalid(ALREADY_DECIDED));
    }
    Ok(())
}

/// Opens a change request: the look at the personal data is recorded
/// through its task; it becomes «На проверке».
pub async fn review_change(
    db: &Db,
    staff: &StaffCaller,
    key: &str,
    now: DateTime<Utc>,
) -> Result<ChangeReview, AppError> {
    official(staff)?;
    let c = store::load_change(db, key).await?.ok_or(AppError::NotFound)?;
    if !c.status.is_open() {
        return Err(AppError::invalid(ALREADY_DECIDED));
    }
    access::look(db, staff, &c.account, key, "Личные данные", now).await?;
    store::mark_change_opened(db, key, now).await?;
    let a = citizen_account(db, &c.account).await?;
    let mut scans = Vec::new();
    for s in &c.scans {
        if let Some(d) = store::load(db, s).await? {
            scans.push(ScanLink {
                label: format!("{} — {} ({})", d.kind.label(), d.name, d.format.label()),
                href: file_href(s, Some(key)),
            });
        }
    }
    let (overdue, left) = time_left(c.created_at, now);
    let view = change_view(&c);
    Ok(ChangeReview {
        id: c.key(),
        number: view.number,
        created_at: view.created_at,
        left,
        overdue,
        status: ChangeStatus::InReview,
        citizen: citizen_of(&a),
        rows: view.rows,
        scans,
        reason: None,
        decided: None,
    })
}

/// «Одобрить» (the profile takes the new values, the old ones go to the
/// history, in one transaction with the decision) or «Отклонить» with a
/// reason. Made once.
pub async fn decide_change(
    db: &Db,
    staff: &StaffCaller,
    key: &str,
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    official(staff)?;
    let reason = if approve { String::new() } else { check_reason(reason).map_err(|(f, m)| AppError::field(f, m))? };
    let c = store::load_change(db, key).await?.ok_or(AppError::NotFound)?;
    match c.status {
        ChangeStatus::InReview => {}
        ChangeStatus::Waiting => return Err(AppError::invalid("Сначала откройте запрос из очереди")),
        ChangeStatus::Approved | ChangeStatus::Rejected => return Err(AppError::invalid(ALREADY_DECIDED)),
    }
    let task = match access::task_for(db, staff, &c.account, key, now).await {
        Ok(t) => t,
        Err(AppError::Forbidden) => return Err(AppError::invalid(ALREADY_DECIDED)),
        Err(e) => return Err(e),
    };
    let citizen = citizen_account(db, &c.account).await?;
    let mut new = c.new.clone();
    if new.passport.is_none() {
        new.passport = citizen.passport.clone();
    }
    let changed = diffs(&citizen.personal(), &new)
        .into_iter()
        .map(|d| format!("{}: {} → {}", d.label.to_lowercase(), d.old, d.new))
        .collect::<Vec<_>>()
        .join("; ");
    let num = number(key);
    let (to, subject, text, why) = if approve {
        (
            ChangeStatus::Approved,
            "Личные данные изменены",
            format!(
                "Запрос {num} на изменение личных данных одобрен: {changed}. Новые данные — в разделе «Личные данные»."
            ),
            format!("Запрос {num}, одобрен: {}", official_unit(staff)),
        )
    } else {
        (
            ChangeStatus::Rejected,
            "Запрос на изменение данных отклонён",
            format!(
                "Запрос {num} на изменение личных данных отклонён. Причина: {reason}. Данные в профиле не изменились."
            ),
            String::new(),
        )
    };
    let by = official_unit(staff);
    let decision = ChangeDecision {
        change: &c,
        to,
        new: &new,
        reason: Some(reason.as_str()).filter(|r| !r.is_empty()),
        by: &by,
        staff,
        task: &task,
        citizen: &citizen,
        why: &why,
        subject,
        text: &text,
    };
    if !store::decide_change(db, &decision, now).await? {
        return Err(AppError::invalid(ALREADY_DECIDED));
    }
    Ok(())
}

// ------------------------------------------------------------------ download

/// The caller's own document and its bytes; someone else's is «not found».
pub async fn own_file(db: &Db, files: &Files, caller: &Caller, key: &str) -> Result<(DocumentRow, Vec<u8>), AppError> {
    let d = store::load(db, key).await?.filter(|d| d.account == caller.key()).ok_or(AppError::NotFound)?;
    let bytes = files.get(&d.hash).await?.ok_or_else(|| lost(&d))?;
    Ok((d, bytes))
}

/// A document's bytes for a staff member working the task `task_key` it
/// belongs to (its own review, or a change request it is a scan of); the
/// look is recorded. Anything else is refused.
pub async fn file_for_task(
    db: &Db,
    files: &Files,
    staff: &StaffCaller,
    key: &str,
    task_key: &str,
    now: DateTime<Utc>,
) -> Result<(DocumentRow, Vec<u8>), AppError> {
    let d = store::load(db, key).await?.ok_or(AppError::Forbidden)?;
    let task: TaskRow = access::task_for(db, staff, &d.account, task_key, now).await?;
    let belongs = match task.kind {
        TaskKind::DocumentReview => task.key() == key,
        TaskKind::ChangeRequest => {
            store::load_change(db, task_key).await?.is_some_and(|c| c.scans.iter().any(|s| s == key))
        }
        _ => false,
    };
    if !belongs {
        return Err(AppError::Forbidden);
    }
    access::look(db, staff, &d.account, task_key, &format!("Файл документа «{}»", d.kind.label()), now).await?;
    let bytes = files.get(&d.hash).await?.ok_or_else(|| lost(&d))?;
    Ok((d, bytes))
}

fn lost(d: &DocumentRow) -> AppError {
    crate::platform::request::internal("document file", format!("file {} of document {} is missing", d.hash, d.key()))
}
