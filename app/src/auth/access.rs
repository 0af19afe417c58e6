//! Staff tasks and «Кто обращался к моим данным».
//!
//! A staff member reaches a citizen's data only through a task: a document
//! to check, a change request, a visit to an МФЦ (later an application, a
//! payment dispute, a support request). The area that makes the work opens
//! the task (`open_task_in`, in the same transaction as the work itself) and
//! closes it when the work is done. `look` is the one door: it refuses a
//! task that is closed, about someone else, or for a role the staff member
//! does not hold, and otherwise writes a `data_access` row — role, office
//! or department, what, why (the task), when — that the citizen reads in
//! the profile. A change made for a task writes its row in the change's
//! own transaction (`record_in`).
//!
//! The citizen sees the role and the office or department, never the staff
//! member's name (the staff account's key is kept for the administrators).
//! A row the citizen did not expect can be reported: it becomes an
//! `admin_alert` (a support request in a later issue).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use surrealdb::types::{RecordId, SurrealValue};

use super::caller::StaffCaller;
use super::model::Role;
use crate::error::AppError;
use crate::platform::db::{Db, Query, QueryExt, record_key, retrying_transaction};
use crate::platform::request::internal;

/// What kind of work a task is. Areas add theirs (and the migration's
/// `ASSERT` of `staff_task.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, SurrealValue)]
#[surreal(untagged, rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// An official checks an uploaded document.
    DocumentReview,
    /// An official decides on a change of name, birth date or passport.
    ChangeRequest,
    /// An МФЦ operator serves a citizen in person.
    MfcVisit,
    /// An application for a service, in its department.
    Application,
}

/// A piece of staff work about one citizen.
#[derive(Debug, Clone, SurrealValue)]
pub struct TaskRow {
    pub id: RecordId,
    pub kind: TaskKind,
    pub citizen: String,
    pub role: Role,
    /// Why, as the citizen reads it: «Проверка документа «Паспорт»».
    pub subject: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The one staff member the task is theirs (an МФЦ visit belongs to
    /// the operator who opened it); None: anyone of the role and unit.
    pub assignee: Option<String>,
    /// The office or department the task belongs to; None: any.
    pub unit: Option<String>,
    /// After this the task opens nothing (a visit ends with the day).
    pub expires_at: Option<DateTime<Utc>>,
}

impl TaskRow {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }
}

/// A task to open: who may work in it and until when.
#[derive(Debug, Clone)]
pub struct NewTask<'a> {
    /// The caller's key for it (e.g. the document's key), so the work and
    /// its task share it.
    pub key: &'a str,
    pub kind: TaskKind,
    pub citizen: &'a str,
    pub role: Role,
    /// Why, as the citizen reads it.
    pub subject: &'a str,
    pub assignee: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Opens a task (appended to the caller's transaction). A key that was
/// ever used fails the transaction: a closed task is never reopened.
pub fn open_in<'a>(q: Query<'a>, n: usize, t: &NewTask<'_>, now: DateTime<Utc>) -> Query<'a> {
    let v = format!("tk{n}");
    q.query(format!(
        "CREATE ${v}_id SET kind = ${v}_kind, citizen = ${v}_citizen, role = ${v}_role, subject = ${v}_subject,
             opened_at = ${v}_now, closed_at = NONE, assignee = ${v}_assignee, unit = ${v}_unit, expires_at = ${v}_expires"
    ))
    .bind((format!("{v}_id"), RecordId::new("staff_task", t.key)))
    .bind((format!("{v}_kind"), t.kind))
    .bind((format!("{v}_citizen"), t.citizen.to_string()))
    .bind((format!("{v}_role"), t.role))
    .bind((format!("{v}_subject"), t.subject.to_string()))
    .bind((format!("{v}_assignee"), t.assignee.map(str::to_string)))
    .bind((format!("{v}_unit"), t.unit.map(str::to_string)))
    .bind((format!("{v}_expires"), t.expires_at))
    .bind((format!("{v}_now"), now))
}

/// Opens a task for anyone of `role` (appended to the caller's transaction).
#[allow(clippy::too_many_arguments)]
pub fn open_task_in<'a>(
    q: Query<'a>,
    n: usize,
    task_key: &str,
    kind: TaskKind,
    citizen: &str,
    role: Role,
    subject: &str,
    now: DateTime<Utc>,
) -> Query<'a> {
    let t = NewTask { key: task_key, kind, citizen, role, subject, assignee: None, unit: None, expires_at: None };
    open_in(q, n, &t, now)
}

/// Opens a task on its own.
pub async fn open_task(
    db: &Db,
    task_key: &str,
    kind: TaskKind,
    citizen: &str,
    role: Role,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    open_task_in(db.query("BEGIN"), 0, task_key, kind, citizen, role, subject, now)
        .query("COMMIT")
        .exec("open task")
        .await
        .map(|_| ())
}

/// Closes a task (appended to the caller's transaction): no more looks.
pub fn close_task_in<'a>(q: Query<'a>, n: usize, task_key: &str, now: DateTime<Utc>) -> Query<'a> {
    let v = format!("tc{n}");
    q.query(format!("UPDATE ${v}_id SET closed_at = ${v}_now WHERE closed_at = NONE"))
        .bind((format!("{v}_id"), RecordId::new("staff_task", task_key)))
        .bind((format!("{v}_now"), now))
}

/// Closes a task on its own.
pub async fn close_task(db: &Db, task_key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    close_task_in(db.query("BEGIN"), 0, task_key, now).query("COMMIT").exec("close task").await.map(|_| ())
}

/// The task, if `staff` may work in it now: open, not expired, about
/// `citizen` (never themselves), for a role they hold, and theirs (its
/// assignee) or their unit's when it names one.
pub async fn task_for(
    db: &Db,
    staff: &StaffCaller,
    citizen: &str,
    task_key: &str,
    now: DateTime<Utc>,
) -> Result<TaskRow, AppError> {
    if task_key.is_empty() || task_key.len() > 64 {
        return Err(AppError::Forbidden);
    }
    let task: Option<TaskRow> =
        db.query("SELECT * FROM ONLY $id").bind(("id", RecordId::new("staff_task", task_key))).one("task load").await?;
    let allowed = |t: &TaskRow| {
        // Nobody works on their own data: an official does not decide their
        // own document, an operator does not confirm themselves.
        t.citizen != staff.key()
            && t.citizen == citizen
            && t.closed_at.is_none()
            && t.expires_at.is_none_or(|e| e > now)
            && staff.has_role(t.role)
            && t.assignee.as_ref().is_none_or(|a| *a == staff.key())
            && t.unit.as_ref().is_none_or(|u| Some(u) == unit(staff, t.role).as_ref())
    };
    match task {
        Some(t) if allowed(&t) => Ok(t),
        _ => {
            tracing::warn!(staff = %staff.key(), citizen, task = task_key, "data access outside a task refused");
            Err(AppError::Forbidden)
        }
    }
}

/// A staff member opens `what` of `citizen` for the task `task_key`:
/// refused unless `task_for` allows it; then the citizen's «Кто обращался
/// к моим данным» gets a row — once per task, staff member and `what`
/// (a page read again in the same task adds none).
pub async fn look(
    db: &Db,
    staff: &StaffCaller,
    citizen: &str,
    task_key: &str,
    what: &str,
    now: DateTime<Utc>,
) -> Result<TaskRow, AppError> {
    let task = task_for(db, staff, citizen, task_key, now).await?;
    // The same page may ask twice at once (its server render and a second
    // read of it): the row is written once, and the one that conflicts
    // runs again instead of failing the page.
    crate::platform::db::retrying_transaction("data access", || {
        (seen_in(db.query("BEGIN"), 0, staff, &task, what, now).query("COMMIT"), ())
    })
    .await?;
    Ok(task)
}

/// The row of a look, written once per task, staff member and `what`.
pub fn seen_in<'a>(
    q: Query<'a>,
    n: usize,
    staff: &StaffCaller,
    task: &TaskRow,
    what: &str,
    now: DateTime<Utc>,
) -> Query<'a> {
    use sha2::{Digest, Sha256};
    let v = format!("ds{n}");
    let key = hex::encode(&Sha256::digest(format!("{}\n{}\n{what}", task.key(), staff.key()).as_bytes())[..16]);
    q.query(format!(
        "IF !record::exists(${v}_id) {{
             CREATE ${v}_id SET citizen = ${v}_citizen, staff = ${v}_staff, role = ${v}_role, unit = ${v}_unit,
                 what = ${v}_what, why = ${v}_why, task = ${v}_task, at = ${v}_now;
         }};"
    ))
    .bind((format!("{v}_id"), RecordId::new("data_access", key)))
    .bind((format!("{v}_citizen"), task.citizen.clone()))
    .bind((format!("{v}_staff"), staff.key()))
    .bind((format!("{v}_role"), task.role))
    .bind((format!("{v}_unit"), unit(staff, task.role)))
    .bind((format!("{v}_what"), what.to_string()))
    .bind((format!("{v}_why"), task.subject.clone()))
    .bind((format!("{v}_task"), task.key()))
    .bind((format!("{v}_now"), now))
}

/// The office (an МФЦ operator) or department (an official) a row names.
pub fn unit(staff: &StaffCaller, role: Role) -> Option<String> {
    match role {
        Role::Operator => staff.account.office.clone(),
        Role::Official => staff.account.department.clone(),
        Role::Support | Role::Admin => None,
    }
}

/// The access row of a change made for `task`, appended to the change's
/// own transaction.
pub fn record_in<'a>(
    q: Query<'a>,
    n: usize,
    staff: &StaffCaller,
    task: &TaskRow,
    what: &str,
    now: DateTime<Utc>,
) -> Query<'a> {
    let v = format!("da{n}");
    q.query(format!(
        "CREATE data_access SET citizen = ${v}_citizen, staff = ${v}_staff, role = ${v}_role, unit = ${v}_unit,
             what = ${v}_what, why = ${v}_why, task = ${v}_task, at = ${v}_now"
    ))
    .bind((format!("{v}_citizen"), task.citizen.clone()))
    .bind((format!("{v}_staff"), staff.key()))
    .bind((format!("{v}_role"), task.role))
    .bind((format!("{v}_unit"), unit(staff, task.role)))
    .bind((format!("{v}_what"), what.to_string()))
    .bind((format!("{v}_why"), task.subject.clone()))
    .bind((format!("{v}_task"), task.key()))
    .bind((format!("{v}_now"), now))
}

/// One row of «Кто обращался к моим данным», as the citizen reads it.
#[derive(Debug, Clone, SurrealValue)]
pub struct AccessRow {
    pub id: RecordId,
    pub role: Role,
    pub unit: Option<String>,
    pub what: String,
    pub why: String,
    pub at: DateTime<Utc>,
    pub reported_at: Option<DateTime<Utc>>,
}

/// The citizen's rows, newest first.
pub async fn for_citizen(db: &Db, citizen: &str, limit: u32) -> Result<Vec<AccessRow>, AppError> {
    db.query(
        "SELECT id, role, unit, what, why, at, reported_at FROM data_access WHERE citizen = $citizen
             ORDER BY at DESC LIMIT $limit",
    )
    .bind(("citizen", citizen.to_string()))
    .bind(("limit", limit))
    .all("data access list")
    .await
}

/// The citizen did not expect row `row_key`: it is marked and the
/// administrators get an alert, once. `Ok(false)` when there is no such
/// row of theirs or it was reported already.
pub async fn report(db: &Db, citizen: &str, row_key: &str, note: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    if row_key.is_empty() || row_key.len() > 64 {
        return Ok(false);
    }
    let (mut res, ()) = retrying_transaction("data access report", || {
        let q = db
            .query(
                "BEGIN;
                 LET $r = (UPDATE $id SET reported_at = $now WHERE citizen = $citizen AND reported_at = NONE RETURN AFTER);
                 IF array::len($r) > 0 {
                     CREATE admin_alert SET kind = 'access_reported', citizen = $citizen, subject = $r[0].id,
                         text = $text, at = $now, handled_at = NONE;
                 };
                 RETURN array::len($r) > 0;
                 COMMIT;",
            )
            .bind(("id", RecordId::new("data_access", row_key)))
            .bind(("citizen", citizen.to_string()))
            .bind(("text", note.chars().take(1000).collect::<String>()))
            .bind(("now", now));
        (q, ())
    })
    .await?;
    // BEGIN and COMMIT count as statements: the RETURN is the one before COMMIT.
    let last = res.num_statements().saturating_sub(2);
    let reported: Option<bool> = res.take(last).map_err(|e| internal("data access report", e))?;
    Ok(reported.unwrap_or(false))
}

/// An alert for the administrators: a citizen reported an access row.
#[derive(Debug, Clone, SurrealValue)]
pub struct AlertRow {
    pub id: RecordId,
    pub kind: String,
    pub citizen: Option<String>,
    pub text: String,
    pub at: DateTime<Utc>,
    /// The reported access row, with the staff account behind it.
    pub access: Option<ReportedAccess>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct ReportedAccess {
    pub staff: String,
    pub role: Role,
    pub unit: Option<String>,
    pub what: String,
    pub why: String,
    pub at: DateTime<Utc>,
}

/// Alerts not handled yet, oldest first.
pub async fn open_alerts(db: &Db, limit: u32) -> Result<Vec<AlertRow>, AppError> {
    db.query(
        "SELECT id, kind, citizen, text, at,
             (SELECT staff, role, unit, what, why, at FROM ONLY $parent.subject) AS access
         FROM admin_alert WHERE handled_at = NONE ORDER BY at ASC LIMIT $limit",
    )
    .bind(("limit", limit))
    .all("admin alerts")
    .await
}

/// An administrator marks an alert handled.
pub async fn handle_alert(db: &Db, admin: &StaffCaller, alert_key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    db.query("UPDATE $id SET handled_at = $now, handled_by = $admin WHERE handled_at = NONE")
        .bind(("id", RecordId::new("admin_alert", alert_key)))
        .bind(("now", now))
        .bind(("admin", admin.key()))
        .exec("handle alert")
        .await
        .map(|_| ())
}
