//! What the payment pages receive.

use serde::{Deserialize, Serialize};

use super::model::PayStatus;
use crate::charges::model::{ChargeKind, ChargeState};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discount {
    /// «500 ₽» — the full amount, shown struck through.
    pub full: String,
    /// «до 19.12.2026».
    pub until: String,
    /// «осталось 17 дней».
    pub left: String,
    /// The end (RFC 3339) for the countdown in the browser.
    pub until_iso: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeItem {
    pub uin: String,
    pub uin_text: String,
    pub kind: ChargeKind,
    pub title: String,
    pub details: String,
    pub department: String,
    /// What is to pay now.
    pub amount: String,
    pub discount: Option<Discount>,
    /// «01.12.2026».
    pub due_on: String,
    pub overdue: bool,
    pub state: ChargeState,
    pub href: String,
    /// «Обжаловать»: the appeal service's form with the УИН filled in.
    pub appeal_href: Option<String>,
    /// The appeal under way (or the duty's application).
    pub application_href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocItem {
    pub key: String,
    pub label: String,
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayeeItem {
    pub key: String,
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub account: String,
    pub bik: String,
    pub bank: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardItem {
    pub key: String,
    /// «МИР •••• 0004, до 12/28».
    pub label: String,
}

/// «Задолженности и штрафы».
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Debts {
    pub unpaid: Vec<ChargeItem>,
    pub done: Vec<ChargeItem>,
    pub total: String,
    pub docs: Vec<DocItem>,
    pub inn: Option<String>,
    /// A request to ГИС ГМП is under way: the page looks again soon.
    pub asking: bool,
    /// The last request to ГИС ГМП failed: say so, keep what is known.
    pub ask_failed: bool,
    pub payees: Vec<PayeeItem>,
    pub cards: Vec<CardItem>,
}

/// One charge with what can be done with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeView {
    pub item: ChargeItem,
    pub payee: PayeeItem,
    pub kbk: String,
    pub oktmo: String,
    pub own: bool,
    pub payable: bool,
    /// A payment of it is open (another tab): its page.
    pub open_payment: Option<String>,
    /// The payment that paid it: its page.
    pub paid_payment: Option<String>,
    pub cards: Vec<CardItem>,
    /// The key of a new attempt (a double click sends it twice: one payment).
    pub attempt: String,
    /// The portal can take payments (an acquirer is connected).
    pub available: bool,
    pub payee_saved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentView {
    pub key: String,
    pub title: String,
    pub uin_text: String,
    pub charge_href: String,
    pub amount: String,
    pub method: String,
    pub means: String,
    pub status: PayStatus,
    pub failure: Option<String>,
    pub created_at: String,
    pub paid_at: Option<String>,
    /// «квитировано»: ГИС ГМП matched it.
    pub settled: bool,
    /// Until when it can be confirmed (code or QR).
    pub until: String,
    pub sbp_link: Option<String>,
    pub sbp_qr: Option<String>,
    pub receipt_href: Option<String>,
    pub payee: PayeeItem,
    /// The page looks again by itself (processing, waiting for the bank).
    pub waiting: bool,
    pub has_email: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub key: String,
    pub href: String,
    pub title: String,
    pub kind: ChargeKind,
    pub amount: String,
    pub status: PayStatus,
    pub settled: bool,
    pub at: String,
    pub means: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub items: Vec<HistoryItem>,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub total: String,
}

/// A search by УИН.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindState {
    pub uin: String,
    pub found: Option<String>,
    pub waiting: bool,
    pub failed: bool,
}

/// The simulated bank app's page of a СБП QR code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SbpBank {
    pub op: String,
    pub amount: String,
    /// «waiting», «paid», «declined», «expired», «unknown».
    pub state: String,
}
