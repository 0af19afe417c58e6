//! What every request handler and server function can reach: configuration,
//! the database handle, health, the outbox wake-up. Cheap to clone.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;
use surrealdb::Surreal;
use surrealdb::engine::any::Any;

use super::config::Config;
use super::health::Health;
use crate::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub config: Arc<Config>,
    /// Shared, not cloned: a `Surreal` clone is a new session that copies
    /// the namespace only if it was already selected.
    pub db: Arc<Surreal<Any>>,
    pub health: Health,
    /// Uploaded files (`platform::files`).
    pub files: super::files::Files,
    /// Wakes the outbox worker when a message is queued.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Wakes the exchange worker when a request to an external system is queued.
    pub exchange_wake: Arc<tokio::sync::Notify>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The state inside a server function or an SSR component.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState is not in the reactive context");
        AppError::Internal { request_id: super::request::current_request_id() }
    })
}
