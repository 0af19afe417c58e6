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
//! Files: `catalog.rs` (the services as data, `app/services/*.toml`, and
//! the catalogue's server functions), `catalog_store.rs` (the catalogue in
//! the database and its full-text search), `form.rs` (form definitions and
//! their validation), `pages/`.

pub mod catalog;
#[cfg(feature = "ssr")]
pub mod catalog_store;
pub mod form;
pub mod pages;
