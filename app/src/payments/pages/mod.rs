//! The pages of payments: «Задолженности и штрафы» with the search by УИН
//! and the documents fines are found by (`debts.rs`), a charge with its
//! payment form (`charge.rs`), a payment — the bank's code, the СБП QR
//! code, «в обработке», «Оплачено» with the receipt, «Неуспешно» with
//! «Повторить» — and the simulated bank app's page (`payment.rs`),
//! «История платежей» (`history.rs`).

mod charge;
mod debts;
mod history;
mod payment;

pub use charge::ChargePage;
pub use debts::{DebtsPage, FindPage, PaymentsHomeCard};
pub use history::HistoryPage;
pub use payment::{PaymentPage, SbpBankPage};

use crate::charges::ChargeState;

/// The class of a charge's state badge.
fn state_class(s: ChargeState) -> &'static str {
    match s {
        ChargeState::Open => "badge badge-warn",
        ChargeState::Disputed => "badge badge-info",
        ChargeState::Paid | ChargeState::Settled => "badge badge-ok",
        ChargeState::Annulled => "badge",
    }
}
