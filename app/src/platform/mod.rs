//! Server-only plumbing: configuration, database, clock, outbox, request
//! context. Domain code receives what it needs from here as parameters; it
//! never reads the environment or the wall clock itself.

pub mod auth_settings;
pub mod budget;
pub mod clock;
pub mod config;
pub mod db;
pub mod exchange;
pub mod exchange_settings;
pub mod exchange_sim;
pub mod files;
pub mod health;
pub mod outbox;
pub mod passkey_settings;
pub mod password;
pub mod pdf;
pub mod request;
pub mod route;
pub mod secrets;
pub mod state;

pub use state::{AppState, app_state};
