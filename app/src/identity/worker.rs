//! Starts the exchange worker for the registries next to the outbox worker
//! (`portal serve`). In dev mode it talks to the simulated registries; a
//! production portal has no СМЭВ adapter yet, so it starts none and the
//! page says the check is not available (identity is then confirmed at an
//! МФЦ).

use std::sync::Arc;

use super::registry::SYSTEMS;
use super::service::Registries;
use crate::platform::config::Config;
use crate::platform::db::Db;
use crate::platform::exchange;

/// Whether this portal can reach the registries.
pub fn available(config: &Config) -> bool {
    config.mode.is_dev()
}

/// Spawns the worker, when the registries can be reached.
pub fn start(
    db: Arc<Db>,
    config: &Config,
    outbox_wake: Arc<tokio::sync::Notify>,
    exchange_wake: Arc<tokio::sync::Notify>,
) -> Option<tokio::task::JoinHandle<()>> {
    if !available(config) {
        tracing::info!("identity check: no connection to the registries in production mode (check at an МФЦ)");
        return None;
    }
    let transport = super::simulator::registries(config.exchange.simulation);
    let consumer = Registries { outbox_wake };
    Some(tokio::spawn(exchange::run_worker(db, transport, consumer, SYSTEMS, config.exchange.clone(), exchange_wake)))
}
