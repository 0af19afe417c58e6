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
    /// The data directory of an on-disk portal, removed when it is dropped.
    dir: Option<std::path::PathBuf>,
}

impl Drop for Portal {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
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
        Portal::with_db(db::memory().await.unwrap(), None).await
    }

    /// A portal on the embedded on-disk engine (as production runs), in a
    /// fresh directory under the system temp dir.
    pub async fn on_disk() -> Portal {
        let dir = std::env::temp_dir().join(format!("portal-test-{}", uuid::Uuid::new_v4().simple()));
        let mut config = Config::for_tests();
        config.db = app::platform::config::DbEndpoint::SurrealKv(dir.to_string_lossy().into_owned());
        let handle = surrealdb::Surreal::init();
        db::connect(&handle, &config).await.unwrap();
        db::migrate(&handle).await.unwrap();
        Portal::with_db(handle, Some(dir)).await
    }

    async fn with_db(handle: db::Db, dir: Option<std::path::PathBuf>) -> Portal {
        let config = Arc::new(Config::for_tests());
        app::demo::seed(&handle, clock::now()).await.unwrap();
        let health = health::Health::default();
        health.set_db_up(true);
        let state = AppState {
            leptos: server::http::leptos_options(&config),
            config,
            db: Arc::new(handle),
            health,
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            files: app::platform::files::Files::memory(),
            exchange_wake: Arc::new(tokio::sync::Notify::new()),
        };
        Portal { router: server::http::router(state.clone()), state, dir }
    }

    /// POSTs a form to `/api/{endpoint}` with `cookies` (`name=value; …`).
    pub async fn post(&self, endpoint: &str, body: &str, cookies: &str) -> Answer {
        self.send("POST", &format!("/api/{endpoint}"), body.as_bytes().to_vec(), cookies, &[]).await
    }

    /// GETs a page with `cookies`.
    pub async fn get(&self, path: &str, cookies: &str) -> Answer {
        self.send("GET", path, Vec::new(), cookies, &[]).await
    }

    /// Any request: raw body bytes and extra headers.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        cookies: &str,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36");
        if !cookies.is_empty() {
            req = req.header(header::COOKIE, cookies);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
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
