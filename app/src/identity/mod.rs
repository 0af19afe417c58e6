//! «Подтверждение личности» (spec 003 «Шаг 2»): a citizen at «Упрощённая»
//! enters СНИЛС and passport; the portal asks the Social Fund of Russia
//! (ПФР, the СНИЛС) and the МВД (the passport) through the СМЭВ-shaped
//! exchange (`platform::exchange`), shows «На проверке», and when both have
//! answered gives the verdict as a notice: «Стандартная» (the СНИЛС and
//! passport kept on the account, the СНИЛС a login), or which part was not
//! found, to correct and send again.
//!
//! It must never: give a verdict twice or without both registries, raise a
//! level other than Simplified → Standard (`auth::levels`), keep two checks
//! of one account pending, or answer from anything but the registries (the
//! simulation compares with its fixture people; there is no «yes»).
//!
//! Files: `model.rs` (the form, the check's states, the verdict; shared
//! with the browser), `dto.rs`, `api.rs`, `service.rs` (the page, sending,
//! the verdict; the exchange's consumer), `store.rs` (rows, transactions),
//! `registry.rs` (requests, answers, fixture people), `simulator.rs` (the
//! simulated registries as an exchange transport), `worker.rs` (started by
//! `portal serve`), `pages/`, `tests.rs`.

pub mod api;
pub mod dto;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod simulator;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;
#[cfg(feature = "ssr")]
pub mod worker;
