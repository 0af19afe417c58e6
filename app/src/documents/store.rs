//! Rows and every query of «Документы». A document row is written after
//! its file is stored, with its review task, in one transaction. A decision
//! is made once: its transaction creates `document_decision:<key>` (or
//! `change_decision:<key>`), which a second decision cannot create again,
//! so parallel decisions leave exactly one, with one notice. One open
//! change request per account: `change_open:<account>` exists while it is.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{ChangeEvent, ChangeStatus, Defect, DocEvent, DocKind, DocStatus, FileFormat};
use crate::auth::Role;
use crate::auth::access::{self, TaskKind, TaskRow};
use crate::auth::accounts::{AccountRow, PersonalData};
use crate::auth::caller::StaffCaller;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt, record_key};

#[derive(Debug, Clone, SurrealValue)]
pub struct DocumentRow {
    pub id: RecordId,
    pub account: String,
    pub kind: DocKind,
    pub status: DocStatus,
    pub format: FileFormat,
    pub hash: String,
    pub size: i64,
    pub name: String,
    pub uploaded_at: DateTime<Utc>,
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
    pub opened_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub defects: Vec<Defect>,
    pub remark: Option<String>,
}

impl DocumentRow {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct ChangeRow {
    pub id: RecordId,
    pub account: String,
    pub status: ChangeStatus,
    /// The values when the request was made.
    pub old: PersonalData,
    /// The values asked for; `passport` None: the passport stays as it is.
    pub new: PersonalData,
    pub scans: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
}

impl ChangeRow {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }
}

pub fn doc_rid(key: &str) -> RecordId {
    RecordId::new("document", key.to_string())
}

pub fn change_rid(key: &str) -> RecordId {
    RecordId::new("change_request", key.to_string())
}

/// A new document row, its file already stored under `hash`.
pub struct NewDocument<'a> {
    pub key: &'a str,
    pub account: &'a str,
    pub kind: DocKind,
    pub format: FileFormat,
    pub hash: &'a str,
    pub size: usize,
    pub name: &'a str,
    pub replaces: Option<&'a str>,
    /// Why the review task is there, as the citizen reads it.
    pub subject: &'a str,
}

/// Writes the row and opens its review task (key = the document's) in one
/// transaction; a rejected document it replaces points to it.
pub async fn create_document(db: &Db, d: NewDocument<'_>, now: DateTime<Utc>) -> Result<(), AppError> {
    let mut q = db
        .query(
            "BEGIN;
             CREATE $id SET account = $account, kind = $kind, status = 'uploaded', format = $format, hash = $hash,
                 size = $size, name = $name, uploaded_at = $now, replaces = $replaces, defects = [];
             IF $replaces != NONE {
                 UPDATE type::record('document', $replaces) SET replaced_by = $key
                     WHERE account = $account AND status = 'rejected' AND replaced_by = NONE;
             }",
        )
        .bind(("id", doc_rid(d.key)))
        .bind(("key", d.key.to_string()))
        .bind(("account", d.account.to_string()))
        .bind(("kind", d.kind))
        .bind(("format", d.format))
        .bind(("hash", d.hash.to_string()))
        .bind(("size", i64::try_from(d.size).unwrap_or(i64::MAX)))
        .bind(("name", d.name.to_string()))
        .bind(("replaces", d.replaces.map(str::to_string)))
        .bind(("now", now));
    q = access::open_task_in(q, 0, d.key, TaskKind::DocumentReview, d.account, Role::Official, d.subject, now);
    q.query("COMMIT").exec("document create").await?;
    Ok(())
}

pub async fn load(db: &Db, key: &str) -> Result<Option<DocumentRow>, AppError> {
    if !is_key(key) {
        return Ok(None);
    }
    db.query("SELECT * FROM ONLY $id").bind(("id", doc_rid(key))).one("document load").await
}

/// The account's documents, newest first.
pub async fn documents_of(db: &Db, account: &str) -> Result<Vec<DocumentRow>, AppError> {
    db.query("SELECT * FROM document WHERE account = $account ORDER BY uploaded_at DESC")
        .bind(("account", account.to_string()))
        .all("documents of")
        .await
}

/// Documents waiting for a decision, oldest first.
pub async fn document_queue(db: &Db, limit: u32) -> Result<Vec<DocumentRow>, AppError> {
    db.query("SELECT * FROM document WHERE status IN ['uploaded', 'in_review'] ORDER BY uploaded_at ASC LIMIT $limit")
        .bind(("limit", limit))
        .all("document queue")
        .await
}

/// «На проверке»: an official opened the document (a no-op once decided).
pub async fn mark_opened(db: &Db, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    db.query("UPDATE $id SET status = 'in_review', opened_at = opened_at OR $now WHERE status IN $from")
        .bind(("id", doc_rid(key)))
        .bind(("from", super::model::doc_from(DocEvent::Open)))
        .bind(("now", now))
        .exec("document open")
        .await?;
    Ok(())
}

/// An official's decision on a document, with everything that goes with it.
pub struct DocDecision<'a> {
    pub doc: &'a DocumentRow,
    pub to: DocStatus,
    pub defects: &'a [Defect],
    pub remark: Option<&'a str>,
    /// «Сотрудник ведомства, Министерство социальной защиты»
    pub by: &'a str,
    pub staff: &'a StaffCaller,
    pub task: &'a TaskRow,
    /// What the access row names.
    pub what: &'a str,
    pub citizen: &'a AccountRow,
    pub subject: &'a str,
    pub text: &'a str,
}

/// Records a decision once: the decision guard, the new status, the
/// task closed, the access row and the citizen's notice in one
/// transaction. `Ok(false)`: a decision was made already.
pub async fn decide_document(db: &Db, d: &DocDecision<'_>, now: DateTime<Utc>) -> Result<bool, AppError> {
    let key = d.doc.key();
    crate::platform::db::retrying_unless_taken("document decision", || {
        let q = db
            .query(
                "BEGIN;
                 CREATE $guard SET at = $now, staff = $staff;
                 UPDATE $id SET status = $to, decided_at = $now, decided_by = $by, defects = $defects, remark = $remark;",
            )
            .bind(("guard", RecordId::new("document_decision", key.clone())))
            .bind(("id", d.doc.id.clone()))
            .bind(("to", d.to))
            .bind(("by", d.by.to_string()))
            .bind(("defects", d.defects.to_vec()))
            .bind(("remark", d.remark.map(str::to_string)))
            .bind(("staff", d.staff.key()))
            .bind(("now", now));
        let q = access::close_task_in(q, 0, &key, now);
        let q = access::record_in(q, 0, d.staff, d.task, d.what, now);
        crate::notify::notice_in(q, 0, d.citizen, crate::notify::NoticeKind::PersonalData, d.subject, d.text, Some("/documents"), now).query("COMMIT")
    })
    .await
}

// ------------------------------------------------------------ change requests

/// A new change request.
#[derive(Clone, Copy)]
pub struct NewChange<'a> {
    pub key: &'a str,
    pub account: &'a str,
    pub old: &'a PersonalData,
    pub new: &'a PersonalData,
    pub scans: &'a [String],
    /// Why its task is there, as the citizen reads it.
    pub subject: &'a str,
}

/// Creates a change request and its task, unless the account has an open
/// one (`Ok(false)`).
pub async fn create_change(db: &Db, c: &NewChange<'_>, now: DateTime<Utc>) -> Result<bool, AppError> {
    let NewChange { key, account, old, new, scans, subject } = *c;
    crate::platform::db::retrying_unless_taken("change request create", || {
        let q = db
            .query(
                "BEGIN;
                 CREATE $open SET request = $key;
                 CREATE $id SET account = $account, status = 'waiting', old = $old, new = $new, scans = $scans,
                     created_at = $now;",
            )
            .bind(("open", RecordId::new("change_open", account.to_string())))
            .bind(("id", change_rid(key)))
            .bind(("key", key.to_string()))
            .bind(("account", account.to_string()))
            .bind(("old", old.clone()))
            .bind(("new", new.clone()))
            .bind(("scans", scans.to_vec()))
            .bind(("now", now));
        access::open_task_in(q, 0, key, TaskKind::ChangeRequest, account, Role::Official, subject, now).query("COMMIT")
    })
    .await
}

pub async fn load_change(db: &Db, key: &str) -> Result<Option<ChangeRow>, AppError> {
    if !is_key(key) {
        return Ok(None);
    }
    db.query("SELECT * FROM ONLY $id").bind(("id", change_rid(key))).one("change load").await
}

/// The account's newest change request.
pub async fn latest_change(db: &Db, account: &str) -> Result<Option<ChangeRow>, AppError> {
    db.query("SELECT * FROM change_request WHERE account = $account ORDER BY created_at DESC LIMIT 1")
        .bind(("account", account.to_string()))
        .all::<ChangeRow>("latest change")
        .await
        .map(|mut v| v.pop())
}

pub async fn change_queue(db: &Db, limit: u32) -> Result<Vec<ChangeRow>, AppError> {
    db.query(
        "SELECT * FROM change_request WHERE status IN ['waiting', 'in_review'] ORDER BY created_at ASC LIMIT $limit",
    )
    .bind(("limit", limit))
    .all("change queue")
    .await
}

pub async fn mark_change_opened(db: &Db, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    db.query("UPDATE $id SET status = 'in_review', opened_at = opened_at OR $now WHERE status IN $from")
        .bind(("id", change_rid(key)))
        .bind(("from", super::model::change_from(ChangeEvent::Open)))
        .bind(("now", now))
        .exec("change open")
        .await?;
    Ok(())
}

/// An official's decision on a change request.
pub struct ChangeDecision<'a> {
    pub change: &'a ChangeRow,
    pub to: ChangeStatus,
    /// What the profile becomes on approval (the request merged with the
    /// profile as it is now).
    pub new: &'a PersonalData,
    pub reason: Option<&'a str>,
    pub by: &'a str,
    pub staff: &'a StaffCaller,
    pub task: &'a TaskRow,
    pub citizen: &'a AccountRow,
    /// The history line's «why» («Запрос № … одобрен …»).
    pub why: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
}

/// Records a decision once; an approval changes the profile (keeping the
/// old values in the history) in the same transaction. `Ok(false)`: it was
/// decided already.
pub async fn decide_change(db: &Db, d: &ChangeDecision<'_>, now: DateTime<Utc>) -> Result<bool, AppError> {
    let key = d.change.key();
    let approve = d.to == ChangeStatus::Approved;
    crate::platform::db::retrying_unless_taken("change decision", || {
        let q = db
            .query(
                "BEGIN;
                 CREATE $guard SET at = $now, staff = $staff;
                 UPDATE $id SET status = $to, decided_at = $now, decided_by = $by, reason = $reason;
                 DELETE $open WHERE request = $key;",
            )
            .bind(("guard", RecordId::new("change_decision", key.clone())))
            .bind(("id", d.change.id.clone()))
            .bind(("open", RecordId::new("change_open", d.change.account.clone())))
            .bind(("key", key.clone()))
            .bind(("to", d.to))
            .bind(("by", d.by.to_string()))
            .bind(("reason", d.reason.map(str::to_string)))
            .bind(("staff", d.staff.key()))
            .bind(("now", now));
        let q = if approve {
            crate::auth::accounts::change_personal_in(q, 0, &d.change.account, d.new, d.why, now)
        } else {
            q
        };
        let q = access::close_task_in(q, 0, &key, now);
        let what = if approve { "Изменение личных данных" } else { "Личные данные" };
        let q = access::record_in(q, 0, d.staff, d.task, what, now);
        crate::notify::notice_in(
            q,
            0,
            d.citizen,
            crate::notify::NoticeKind::PersonalData,
            d.subject,
            d.text,
            Some("/documents"),
            now,
        )
        .query("COMMIT")
    })
    .await
}

/// A record key this area makes (32 hex digits), so a typed id never
/// reaches a query as anything else.
pub fn is_key(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())
}
