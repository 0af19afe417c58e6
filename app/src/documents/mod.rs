//! «Документы» (spec 003 «Документы»; spec 000 §4.1): a citizen uploads
//! scans of their documents (PDF, JPG or PNG up to 5 МБ, judged by their
//! content), sees each one's status (загружен → на проверке → принят |
//! отклонён) and the defects of a rejected one, uploads it again, and asks
//! to change their ФИО, birth date or passport with scans attached. An
//! official works the queue (24-hour target), opens a document or request
//! through its task (the citizen sees the look in «Кто обращался к моим
//! данным»), accepts or rejects it once; an approved change changes the
//! profile and keeps the old values in a history.
//!
//! It must never: show a file to anyone but its owner or an official
//! working a task it belongs to; serve a file inline or let the browser
//! guess its type; show a document as uploaded before its file is whole
//! in the store; change the profile before an approval; let two decisions
//! on one thing both happen.
//!
//! Files: `model.rs` (types, transitions, limits, the change form),
//! `content.rs` (what a file is, by content), `dto.rs`, `api.rs` (server
//! functions), `routes.rs` (the upload and download routes), `service.rs`,
//! `store.rs`, `pages/`, `tests.rs`; the file store is `platform::files`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod content;
pub mod dto;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;
