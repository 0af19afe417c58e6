//! The request id: made (or taken from `x-request-id`) by the outermost
//! layer, kept in a task-local for the life of the request so log lines,
//! error pages and the panic page can all show it.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::header::USER_AGENT;
use http::request::Parts;
use leptos::prelude::use_context;

use crate::error::AppError;

tokio::task_local! {
    pub static REQUEST_ID: String;
}

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The id of the request being served: from the task-local, or, inside a
/// Leptos render or server function that runs on another task, from the
/// request headers Leptos keeps in context.
pub fn current_request_id() -> String {
    if let Ok(id) = REQUEST_ID.try_with(|id| id.clone()) {
        return id;
    }
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string))
        .unwrap_or_default()
}

/// Logs a failure with the request id and turns it into the message a
/// person sees (which carries only that id).
pub fn internal(context: &str, err: impl std::fmt::Display) -> AppError {
    let request_id = current_request_id();
    tracing::error!(%request_id, "{context}: {err}");
    AppError::Internal { request_id }
}

/// Who is asking, as the journal and «Активные сеансы» show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

/// The client of this request.
pub fn client() -> Client {
    Client { ip: client_ip(), user_agent: user_agent() }
}

/// The client's address: the TCP peer. (Behind a reverse proxy the proxy
/// must be the one to limit per address; see README «Operations».)
pub fn client_ip() -> String {
    use_context::<Parts>()
        .and_then(|p| p.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// The browser's self-description, cut to a sane length, for the session list.
pub fn user_agent() -> String {
    use_context::<Parts>()
        .and_then(|p| p.headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(200).collect()))
        .unwrap_or_default()
}
