//! Accounts: registration, sign-in, recovery, profile.

pub mod dto;
#[cfg(feature = "ssr")]
pub mod flows;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod signin;
pub mod api;
pub mod pages;
#[cfg(all(test, feature = "ssr"))]
mod tests;
