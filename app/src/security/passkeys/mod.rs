//! Passkeys («Войти по биометрии», spec 000 §1.4): WebAuthn with user
//! verification required and discoverable credentials. `service` holds the
//! ceremonies and rules, `store` the tables (server only), `api` the server functions, `browser`
//! the WebAuthn calls in the wasm app, `pages` the «Биометрия» page and the
//! sign-in button. A passkey's credential never leaves the server.

pub mod api;
pub mod browser;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use pages::{PasskeySignIn, PasskeysPage};
