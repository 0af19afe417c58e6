//! State services (issue 12; spec 000 §4.2, §4.4, §4.5; spec 003 «Получение
//! государственных услуг», «Подача заявлений»): the catalogue with search,
//! a page per service, application forms defined as data, drafts saved on
//! the server, «Отправить» with a number a person can read aloud, «Мои
//! заявления» with statuses and history, the official's console at
//! `/staff/applications`, and the result document with a QR code whose page
//! confirms it is genuine.
//!
//! It must never: show an application to anyone but its owner or an
//! official of its department; let a status change skip the machine in
//! `model.rs`; let two officials decide one application; make two
//! applications from one «Отправить»; lose a draft.
//!
//! Files: `catalog.rs` (the services as data, `app/services/*.toml`),
//! `form.rs` (form definitions and their validation), `model.rs` (the
//! status machine, deadlines, numbers), `dto.rs`, `api.rs` (server
//! functions), `service.rs`, `store.rs`, `result.rs` (the result PDF),
//! `routes.rs` (its download), `pages/`, `tests.rs`.

pub mod api;
pub mod catalog;
pub mod dto;
pub mod form;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod result;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;
