//! Storage of applications: rows and every query. A status change is one
//! transaction that names the status (and, for a decision, the official)
//! it expects, so a second change made at the same time finds nothing to
//! change; its event and notice are written in the same transaction.

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{DRAFT_DAYS, Status};
use crate::error::AppError;
use crate::platform::db::{Db, Query, QueryExt, record_key, retrying_transaction, retrying_unless_taken};

#[derive(Debug, Clone, SurrealValue)]
pub struct InfoRequest {
    pub fields: Vec<String>,
    pub documents: Vec<String>,
    pub comment: String,
    pub asked_on: String,
    pub answer_by: String,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct Refusal {
    pub reason: String,
    pub comment: String,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct AppRow {
    pub id: RecordId,
    pub account: String,
    pub service: String,
    pub service_title: String,
    pub department: String,
    pub status: Status,
    pub version: i64,
    pub answers: String,
    pub step: i64,
    pub number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub due_on: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub warned: bool,
    pub withdrawal_requested: bool,
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
    pub request: Option<InfoRequest>,
    pub refusal: Option<Refusal>,
    pub result: Option<String>,
}

impl AppRow {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }

    /// The number as a person reads it («123-456-789»), once sent.
    pub fn number_text(&self) -> Option<String> {
        self.number.as_deref().map(|n| super::model::format_number(n.parse().unwrap_or(0)))
    }

    pub fn answers(&self) -> super::form::Answers {
        serde_json::from_str(&self.answers).unwrap_or_default()
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub status: Status,
    pub action: String,
    pub by: String,
    pub comment: Option<String>,
    pub file: Option<String>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct ResultRow {
    pub id: RecordId,
    pub application: String,
    pub number: String,
    pub service_title: String,
    pub department: String,
    pub holder: String,
    pub issued_at: DateTime<Utc>,
    pub size: i64,
    pub text: String,
}

pub fn app_id(key: &str) -> RecordId {
    RecordId::new("application", key)
}

/// The person's draft of `service`, made if there is none.
pub async fn draft_for(
    db: &Db,
    account: &str,
    service: &super::catalog::ServiceDef,
    answers: &str,
    now: DateTime<Utc>,
) -> Result<AppRow, AppError> {
    let slot = format!("{account}:{}", service.code);
    // A second «Получить услугу» (a double click, two tabs) finds the
    // slot taken: the unique index keeps one draft.
    db.query(
        "CREATE application SET account = $account, service = $service, service_title = $title,
             department = $department, status = 'draft', version = 0, answers = $answers, step = 0,
             slot = $slot, number = NONE, created_at = $now, updated_at = $now, expires_at = $expires,
             warned = false, withdrawal_requested = false",
    )
    .bind(("account", account.to_string()))
    .bind(("service", service.code.clone()))
    .bind(("title", service.title.clone()))
    .bind(("department", service.department.clone()))
    .bind(("answers", answers.to_string()))
    .bind(("slot", slot.clone()))
    .bind(("now", now))
    .bind(("expires", now + TimeDelta::days(DRAFT_DAYS)))
    .exec_unless_taken("application draft")
    .await?;
    let row: Option<AppRow> = db
        .query("SELECT * FROM application WHERE slot = $slot LIMIT 1")
        .bind(("slot", slot))
        .one("application draft load")
        .await?;
    row.ok_or_else(|| crate::platform::request::internal("application draft", "draft vanished"))
}

pub async fn load(db: &Db, key: &str) -> Result<Option<AppRow>, AppError> {
    if key.is_empty() || key.len() > 64 {
        return Ok(None);
    }
    db.query("SELECT * FROM ONLY $id").bind(("id", app_id(key))).one("application load").await
}

/// Keeps a draft's answers and step; `false` when it is not a draft of
/// `account` any more.
pub async fn save_draft(
    db: &Db,
    key: &str,
    account: &str,
    answers: &str,
    step: usize,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let rows: Vec<AppRow> = db
        .query(
            "UPDATE $id SET answers = $answers, step = $step, updated_at = $now, expires_at = $expires,
                 warned = false, version += 1
             WHERE account = $account AND status = 'draft' RETURN AFTER",
        )
        .bind(("id", app_id(key)))
        .bind(("answers", answers.to_string()))
        .bind(("step", step as i64))
        .bind(("now", now))
        .bind(("expires", now + TimeDelta::days(DRAFT_DAYS)))
        .bind(("account", account.to_string()))
        .all("application save")
        .await?;
    Ok(!rows.is_empty())
}

pub async fn delete_draft(db: &Db, key: &str, account: &str) -> Result<(), AppError> {
    db.query("DELETE $id WHERE account = $account AND status = 'draft'")
        .bind(("id", app_id(key)))
        .bind(("account", account.to_string()))
        .exec("application delete")
        .await
        .map(|_| ())
}

/// An event row appended to a `change` (its order among events of the same
/// moment is the application's version after the change); `n` keeps
/// bindings apart.
#[allow(clippy::too_many_arguments)]
pub fn event_in<'a>(
    q: Query<'a>,
    n: usize,
    key: &str,
    status: Status,
    action: super::model::Action,
    by: &str,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Query<'a> {
    let v = format!("ev{n}");
    q.query(format!(
        "CREATE application_event SET application = ${v}_app, at = ${v}_at, status = ${v}_status,
             action = ${v}_action, by = ${v}_by, comment = ${v}_comment, file = NONE,
             seq = $changed[0].version"
    ))
    .bind((format!("{v}_app"), key.to_string()))
    .bind((format!("{v}_at"), now))
    .bind((format!("{v}_status"), status))
    .bind((format!("{v}_action"), action.as_str().to_string()))
    .bind((format!("{v}_by"), by.to_string()))
    .bind((format!("{v}_comment"), comment.map(str::to_string)))
}

/// A change of one application made in one transaction: `guard` is the
/// `WHERE` of its `UPDATE` (the expected status and more), `set` its `SET`;
/// `more` appends what happens with it (events, a notice, a task) and runs
/// only when the update changed the row. `Ok(true)` when it did.
pub async fn change<'a>(
    db: &'a Db,
    what: &str,
    key: &str,
    set: &str,
    guard: &str,
    bind: &(dyn Fn(Query<'a>) -> Query<'a> + Sync),
    more: &(dyn Fn(Query<'a>) -> Query<'a> + Sync),
) -> Result<bool, AppError> {
    let (mut res, ()) = retrying_transaction(what, || {
        let q = db
            .query("BEGIN")
            .query(format!("LET $changed = (UPDATE $app SET {set}, version += 1 WHERE {guard} RETURN AFTER)"))
            .query("IF array::len($changed) > 0 {")
            .bind(("app", app_id(key)));
        let q = more(bind(q)).query("}").query("RETURN array::len($changed) > 0").query("COMMIT");
        (q, ())
    })
    .await?;
    let n = res.num_statements();
    let changed: Option<bool> = res.take(n - 2).map_err(|e| crate::platform::request::internal(what, e))?;
    Ok(changed.unwrap_or(false))
}

/// Gives a sent number: the number's own record can be created once, so
/// two applications never share one. `Ok(false)` when the number was
/// taken (the caller draws another).
pub async fn claim_number(db: &Db, number: &str, key: &str) -> Result<bool, AppError> {
    retrying_unless_taken("application number", || {
        db.query("CREATE $n SET application = $app")
            .bind(("n", RecordId::new("application_number", number)))
            .bind(("app", key.to_string()))
    })
    .await
}

/// The person's applications (drafts too), newest change first.
pub async fn mine(
    db: &Db,
    account: &str,
    status: Option<Status>,
    search: Option<&str>,
    number: Option<&str>,
    start: u32,
    limit: u32,
) -> Result<Vec<AppRow>, AppError> {
    let mut sql = String::from("SELECT * FROM application WHERE account = $account");
    if status.is_some() {
        sql.push_str(" AND status = $status");
    }
    if number.is_some() {
        sql.push_str(" AND number = $number");
    } else if search.is_some() {
        sql.push_str(" AND string::contains(string::lowercase(service_title), $search)");
    }
    sql.push_str(" ORDER BY updated_at DESC LIMIT $limit START $start");
    db.query(sql)
        .bind(("start", start))
        .bind(("account", account.to_string()))
        .bind(("status", status))
        .bind(("search", search.map(str::to_lowercase)))
        .bind(("number", number.map(str::to_string)))
        .bind(("limit", limit))
        .all("applications mine")
        .await
}

pub async fn events(db: &Db, key: &str) -> Result<Vec<EventRow>, AppError> {
    db.query("SELECT at, status, action, by, comment, file FROM application_event WHERE application = $app ORDER BY at ASC, seq ASC")
        .bind(("app", key.to_string()))
        .all("application events")
        .await
}

/// A department's queue: waiting or in work, the oldest deadline first.
pub async fn queue(db: &Db, department: &str, status: Option<Status>, limit: u32) -> Result<Vec<AppRow>, AppError> {
    let filter = if status.is_some() { "status = $status" } else { "status IN ['sent', 'in_progress', 'needs_info']" };
    db.query(format!(
        "SELECT * FROM application WHERE department = $department AND {filter} ORDER BY due_on ASC, submitted_at ASC LIMIT $limit"
    ))
    .bind(("department", department.to_string()))
    .bind(("status", status))
    .bind(("limit", limit))
    .all("applications queue")
    .await
}

/// Applications accepted and not yet handed to their department.
pub async fn accepted(db: &Db, limit: u32) -> Result<Vec<AppRow>, AppError> {
    db.query("SELECT * FROM application WHERE status = 'accepted' LIMIT $limit")
        .bind(("limit", limit))
        .all("applications accepted")
        .await
}

/// Drafts to warn about (a week left) and drafts past their time.
pub async fn drafts_expiring(db: &Db, before: DateTime<Utc>, limit: u32) -> Result<Vec<AppRow>, AppError> {
    db.query(
        "SELECT * FROM application WHERE status = 'draft' AND expires_at < $before AND warned = false LIMIT $limit",
    )
    .bind(("before", before))
    .bind(("limit", limit))
    .all("drafts expiring")
    .await
}

pub async fn delete_expired_drafts(db: &Db, now: DateTime<Utc>) -> Result<(), AppError> {
    // Only drafts whose owner was told (a week before, by `remind_drafts`).
    db.query("DELETE application WHERE status = 'draft' AND warned = true AND expires_at < $now")
        .bind(("now", now))
        .exec("drafts purge")
        .await
        .map(|_| ())
}

pub async fn result(db: &Db, hash: &str) -> Result<Option<ResultRow>, AppError> {
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    db.query("SELECT * FROM ONLY $id").bind(("id", RecordId::new("result_document", hash))).one("result load").await
}

/// The file of a result document.
pub async fn result_file(db: &Db, hash: &str) -> Result<Option<String>, AppError> {
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    db.query("SELECT VALUE file FROM ONLY $id")
        .bind(("id", RecordId::new("result_document", hash)))
        .one("result file")
        .await
}

/// Requests for more not yet reminded whose answer is due by `by` (`YYYY-MM-DD`).
pub async fn answers_due(db: &Db, by: &str, limit: u32) -> Result<Vec<AppRow>, AppError> {
    db.query(
        "SELECT * FROM application WHERE status = 'needs_info' AND warned = false AND request.answer_by <= $by LIMIT $limit",
    )
    .bind(("by", by.to_string()))
    .bind(("limit", limit))
    .all("answers due")
    .await
}

/// The draft in `slot` (`account:service`), if any.
pub async fn draft_of(db: &Db, slot: &str) -> Result<Option<AppRow>, AppError> {
    db.query("SELECT * FROM application WHERE slot = $slot AND status = 'draft' LIMIT 1")
        .bind(("slot", slot.to_string()))
        .one("draft of")
        .await
}

#[derive(Debug, Clone, SurrealValue)]
pub struct StatusCount {
    pub status: Status,
    pub n: i64,
    pub expiring: i64,
}

/// The person's applications counted by status; `expiring`: drafts that go
/// before `soon`.
pub async fn counts(db: &Db, account: &str, soon: DateTime<Utc>) -> Result<Vec<StatusCount>, AppError> {
    db.query(
        "SELECT status, count() AS n, math::sum(IF status = 'draft' AND expires_at < $soon { 1 } ELSE { 0 }) AS expiring
             FROM application WHERE account = $account GROUP BY status",
    )
    .bind(("account", account.to_string()))
    .bind(("soon", soon))
    .all("application counts")
    .await
}
