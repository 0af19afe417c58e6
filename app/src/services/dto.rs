//! What the pages of applications receive.

use serde::{Deserialize, Serialize};

use super::form::{Answers, FieldDef};
use super::model::Status;

/// A field as the form shows it: its definition, what is stored, and the
/// problem found when the step was last sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    pub def: FieldDef,
    pub value: String,
    pub error: Option<String>,
    /// Prefilled and not editable here (changed through «Документы»).
    pub locked: bool,
    /// For a document field: the person's documents of that kind (id, label).
    pub documents: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub label: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewStep {
    pub index: usize,
    pub title: String,
    pub rows: Vec<ReviewRow>,
}

/// `/applications/:id/edit?step=N`: one step of a draft, or (N = number of
/// steps) «Проверьте данные».
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftPage {
    pub key: String,
    pub service_code: String,
    pub service_title: String,
    pub steps: Vec<String>,
    pub step: usize,
    pub hint: Option<String>,
    pub fields: Vec<FieldView>,
    /// Every answer stored (conditions of fields are judged on them).
    pub answers: Answers,
    pub saved_at: String,
    pub expires_on: String,
    /// The review, on the last page.
    pub review: Vec<ReviewStep>,
    /// Problems that keep it from being sent: (step, message).
    pub blocking: Vec<(usize, String)>,
    pub price: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppSummary {
    pub key: String,
    pub number: Option<String>,
    pub service_title: String,
    pub status: Status,
    pub updated_at: String,
    pub due: Option<String>,
    pub days_left: Option<String>,
    /// «Ваша очередь» / «Очередь ведомства» / «».
    pub turn: String,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyApplications {
    pub items: Vec<AppSummary>,
    pub status: Option<Status>,
    pub q: String,
    /// 1-based; `more`: a next page exists.
    pub page: usize,
    pub more: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub at: String,
    pub status: Status,
    pub by: String,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestView {
    pub fields: Vec<FieldView>,
    pub documents: Vec<String>,
    pub comment: String,
    pub answer_by: String,
    /// The person's documents to choose from for a requested document.
    pub my_documents: Vec<(String, String)>,
}

/// `/applications/:id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppDetail {
    pub key: String,
    pub number: Option<String>,
    pub service_code: String,
    pub service_title: String,
    pub department: String,
    pub status: Status,
    pub submitted_at: Option<String>,
    pub due: Option<String>,
    pub days_left: Option<String>,
    pub turn: String,
    pub withdrawal_requested: bool,
    pub may_withdraw: bool,
    pub events: Vec<EventView>,
    pub request: Option<RequestView>,
    pub refusal: Option<(String, String)>,
    pub result_href: Option<String>,
    pub check_href: Option<String>,
    /// What to do next, one sentence.
    pub next: String,
    pub review: Vec<ReviewStep>,
    pub assignee: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub key: String,
    pub number: String,
    pub service_title: String,
    pub status: Status,
    pub submitted_at: String,
    pub due: String,
    pub days_left: String,
    pub assignee: Option<String>,
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffQueue {
    pub department: String,
    pub items: Vec<QueueItem>,
    pub status: Option<Status>,
}

/// The official's page of one application.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffApp {
    pub detail: AppDetail,
    pub applicant: String,
    pub may_claim: bool,
    pub may_decide: bool,
    pub fields: Vec<(String, String)>,
    pub reasons: Vec<(String, String)>,
}

/// `/check/:hash`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckPage {
    pub genuine: bool,
    pub number: String,
    pub service_title: String,
    pub department: String,
    pub holder: String,
    pub issued_at: String,
    pub hash: String,
}

/// What «Получить услугу» opens: the service and the person's draft.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplyInfo {
    pub code: String,
    pub title: String,
    pub level: crate::auth::model::Level,
    pub level_ok: bool,
    pub current: crate::auth::model::Level,
    pub draft: Option<(String, String)>,
    pub steps: Vec<String>,
    pub documents: Vec<String>,
}

/// The card of «Мои заявления» on the personal home.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppCounts {
    /// Applications waiting for the person's answer.
    pub needs_answer: u32,
    pub drafts: u32,
    /// Drafts to be deleted within a week.
    pub drafts_expiring: u32,
    /// Sent and not decided.
    pub in_work: u32,
}
