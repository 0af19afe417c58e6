//! What the «Документы» server functions send to the pages: plain serde
//! types; times already in Moscow time as people read them.

use serde::{Deserialize, Serialize};

use super::model::{ChangeStatus, DocKind, DocStatus};

/// One of the citizen's documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: String,
    /// «№ 4F7A21C3», as the official's queue shows it.
    pub number: String,
    pub kind: DocKind,
    /// «scan.jpg»
    pub name: String,
    /// «JPG, 1,2 МБ»
    pub file: String,
    /// «10.03.2026 12:00»
    pub uploaded_at: String,
    pub status: DocStatus,
    /// The defects an official named (labels), and their remark.
    pub defects: Vec<String>,
    pub remark: Option<String>,
    /// «10.03.2026 14:05, Сотрудник ведомства, Министерство социальной защиты»
    pub decided: Option<String>,
    /// A new file was uploaded for this rejected one.
    pub replaced: bool,
    /// Where the file downloads.
    pub href: String,
}

/// A label, the value before and the value after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    pub label: String,
    pub old: String,
    pub new: String,
}

/// A change request as its author sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: String,
    /// «№ 4F7A21C3»
    pub number: String,
    pub created_at: String,
    pub status: ChangeStatus,
    pub rows: Vec<Diff>,
    pub reason: Option<String>,
    pub decided_at: Option<String>,
}

/// One approved change in «История изменения личных данных».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: String,
    pub rows: Vec<Diff>,
    pub why: String,
}

/// `/documents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDocuments {
    pub documents: Vec<DocumentView>,
    /// The newest change request, if any.
    pub change: Option<ChangeView>,
    pub history: Vec<HistoryEntry>,
}

/// A document that can go with a change request as a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanOption {
    pub id: String,
    /// «Паспорт гражданина РФ — scan.jpg, загружен 10.03.2026 12:00»
    pub label: String,
}

/// `/documents/change`: the data as it is now, an open request if there
/// is one, and the documents that can be attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePage {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    /// ДД.ММ.ГГГГ
    pub birth_date: String,
    pub passport: Option<String>,
    pub open: Option<ChangeView>,
    pub scans: Vec<ScanOption>,
}

/// A line of the official's queue: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: String,
    pub number: String,
    /// «Паспорт гражданина РФ», or «Изменение ФИО / паспортных данных».
    pub what: String,
    pub since: String,
    /// «осталось 23 ч 30 мин» / «просрочено на 2 ч 0 мин»
    pub left: String,
    pub overdue: bool,
    /// «Загружен», «На проверке», «Ожидает проверки»
    pub status: String,
}

/// `/staff/official/documents`: oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub documents: Vec<QueueItem>,
    pub changes: Vec<QueueItem>,
}

/// Whose document or request it is, for the official who opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citizen {
    pub full_name: String,
    pub birth_date: String,
}

/// `/staff/official/documents/<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: String,
    pub number: String,
    pub kind: DocKind,
    pub name: String,
    pub file: String,
    pub uploaded_at: String,
    pub left: String,
    pub overdue: bool,
    pub status: DocStatus,
    pub citizen: Citizen,
    pub href: String,
    /// The rejection this file was uploaded again for.
    pub earlier_defects: Vec<String>,
    pub decided: Option<String>,
}

/// An attached scan, opened through the request's task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanLink {
    pub label: String,
    pub href: String,
}

/// `/staff/official/documents/change/<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeReview {
    pub id: String,
    pub number: String,
    pub created_at: String,
    pub left: String,
    pub overdue: bool,
    pub status: ChangeStatus,
    pub citizen: Citizen,
    pub rows: Vec<Diff>,
    pub scans: Vec<ScanLink>,
    pub reason: Option<String>,
    pub decided: Option<String>,
}
