//! The МФЦ operator's console (`/staff/mfc`, role `operator`), spec 003
//! «Регистрация через МФЦ» and «Подтверждение личности»:
//!
//! - «Найти гражданина» by СНИЛС, phone or passport. A find opens a visit
//!   (a staff task of kind `mfc_visit`); every later step names that visit,
//!   and each look or change is a row in the citizen's «Кто обращался к
//!   моим данным».
//! - «Зарегистрировать»: the operator types the data from the originals;
//!   the account is created at «Подтверждённая» with a one-time password
//!   (the activation code on the screen) that must be replaced at the first
//!   sign-in; a printed sheet (PDF) carries the login, that password and a
//!   QR code that opens the sign-in page with the login filled in.
//! - «Подтвердить личность» of an existing citizen: a code goes to the
//!   citizen's own phone (or e-mail) and the citizen types it on the PIN pad
//!   page; the operator never sees it. The level becomes «Подтверждённая».
//!
//! It must never: show a code sent to a citizen; show a one-time password
//! to anyone but the operator of the visit, or after the visit's sheet
//! expired; reach a citizen's data without the visit's task.
//!
//! Files: `model.rs` (the forms' rules, shared with the browser), `dto.rs`,
//! `api.rs`, `service.rs`, `store.rs`, `sheet.rs` (the PDF), `pages/`,
//! `tests.rs`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod download;
pub mod dto;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sheet;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;
