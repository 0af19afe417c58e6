//! Accounts: registration, sign-in, recovery, profile.

pub mod api;
pub mod dto;
#[cfg(feature = "ssr")]
pub mod flows;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod signin;
#[cfg(all(test, feature = "ssr"))]
mod tests;
