//! Accounts: registration, the password sign-in form, recovery, «Личные
//! данные», «Безопасность» (password change). Sign-in itself, sessions and
//! codes are the kernel's (`auth/`).
//!
//! Files: `model.rs` (the birth date; the kernel's checks re-exported for
//! the pages), `dto.rs`, `api.rs`, `service.rs` (rules), `store.rs`
//! (writes), `pages/`, `tests.rs`.

pub mod api;
pub mod dto;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;
