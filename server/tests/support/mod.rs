//! The portal in process for server tests: the real router over an
//! in-memory database with the demo people, and a way to call it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use app::platform::config::Config;
use app::platform::{AppState, clock, db, health};
use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Request, StatusCode, header};
use tower::ServiceExt;

pub struct Portal {
    pub router: Router,
    pub state: AppState,
}

/// An answer: status, headers, body as text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// Every `name=value` the answer sets as a cookie.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies().into_iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v)
    }

    /// Where a server function sent the browser (its redirect).
    pub fn location(&self) -> Option<String> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string)
    }
}

impl Portal {
    /// A portal with the demo citizens and staff.
    pub async fn new() -> Portal {
        let config = Arc::new(Config::for_tests());
        let handle = db::memory().await.unwrap();
        app::demo::seed(&handle, clock::now()).await.unwrap();
        let health = health::Health::default();
        health.set_db_up(true);
        let state = AppState {
            leptos: server::http::leptos_options(&config),
            config,
            db: Arc::new(handle),
            health,
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
        };
        Portal { router: server::http::router(state.clone()), state }
    }

    /// POSTs a form to `/api/{endpoint}` with `cookies` (`name=value; …`).
    pub async fn post(&self, endpoint: &str, body: &str, cookies: &str) -> Answer {
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36");
        if !cookies.is_empty() {
            req = req.header(header::COOKIE, cookies);
        }
        let res = self.router.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// Bodies of the messages queued for `recipient`, newest first.
    pub async fn messages_to(&self, recipient: &str) -> Vec<String> {
        let mut res = self
            .state
            .db
            .query("SELECT VALUE body FROM outbox WHERE recipient = $r ORDER BY created_at DESC")
            .bind(("r", recipient.to_string()))
            .await
            .unwrap();
        res.take(0).unwrap()
    }
}
