//! The identity kernel every area stands on: accounts and their roles,
//! sessions and their cookies, the caller of a server function (`Caller`),
//! codes (flows), the lockout, second-step methods, the sign-in
//! orchestration and its journal, and the page guards.
//!
//! Areas (`account/`, `security/`, `staff/`, and every later one) import
//! from here, `notify/`, `platform/` and `ui/`, never from each other; see
//! `docs/architecture.md`. This module never logs or returns a password, a
//! code, a token or a second-step key.

pub mod api;
pub mod dto;
pub mod identifier;
pub mod model;
pub mod names;
pub mod pages;
pub mod personal;
pub mod policy;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod caller;
#[cfg(feature = "ssr")]
pub mod cookies;
#[cfg(feature = "ssr")]
pub mod devices;
#[cfg(feature = "ssr")]
pub mod flows;
#[cfg(feature = "ssr")]
pub mod journal;
#[cfg(feature = "ssr")]
pub mod levels;
#[cfg(feature = "ssr")]
pub mod lockout;
#[cfg(feature = "ssr")]
pub mod mfa;
#[cfg(feature = "ssr")]
pub mod purge;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod signin;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use model::{Level, LevelRoute, Method, Role};
