//! Payments (seed 000 §4.3, seed 003 «Проверка задолженностей и штрафов»,
//! «Работа с платежами»): «Задолженности и штрафы» (the person's charges
//! from ГИС ГМП, a search by УИН, the documents fines are found by), paying
//! a charge by card (with the bank's confirmation code) or by СБП (a
//! one-time QR code), the payment's page with «Неуспешно» and «Повторить»,
//! the electronic receipt (PDF, e-mail), «История платежей», saved cards and
//! recipients, reminders before due dates and the end of a fine's discount.
//!
//! It must never: charge twice for one charge or mark one paid twice (one
//! open payment per charge by a unique index, one payment per attempt, a
//! callback applied once); guess the outcome of a payment the acquirer has
//! not told (it is asked); keep a card's number or CVC (a saved card is the
//! acquirer's token and four digits); count money in floats (kopecks).
//!
//! Files: `model.rs` (payment states and `next`, the card check, failure
//! reasons; pure), `acquirer.rs` (the acquirer trait and the simulated
//! bank), `store.rs`, `service.rs`, `api.rs`, `dto.rs`, `receipt.rs` (the
//! PDF), `routes.rs` (its download), `pages/`, `tests.rs`. Charges
//! themselves and ГИС ГМП are the `charges` layer below.

#[cfg(feature = "ssr")]
pub mod acquirer;
pub mod api;
pub mod dto;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod receipt;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;
