//! What the benchmarks (`src/bin/bench_*.rs`) share: the portal's state
//! over an in-memory database, a server on a free port, a session cookie,
//! a runtime with the stacks the debug build needs, and the figures they
//! print. Benchmarks, not tests: each prints its figure beside a baseline
//! measured on the same machine in the same run.

use std::sync::Arc;
use std::time::Duration;

use app::platform::config::Config;
use app::platform::{AppState, db, health};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

pub fn cores() -> usize {
    std::thread::available_parallelism().map(usize::from).unwrap_or(2)
}

/// Serves `router` on a free local port; its address.
pub async fn start(router: axum::Router) -> Result<String, Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    });
    Ok(format!("http://{addr}"))
}

/// An in-memory database with every migration and the demo people.
pub async fn database() -> Result<db::Db, Error> {
    let handle = db::memory().await?;
    app::demo::seed(&handle, app::platform::clock::now()).await.map_err(|e| format!("demo: {e}"))?;
    Ok(handle)
}

/// The portal's state over `handle`, as `portal serve` builds it (dev mode).
pub fn state(handle: db::Db) -> AppState {
    let config = Arc::new(Config::for_tests());
    let health = health::Health::default();
    health.set_db_up(true);
    AppState {
        leptos: crate::http::leptos_options(&config),
        config,
        db: Arc::new(handle),
        health,
        outbox_wake: Arc::new(tokio::sync::Notify::new()),
        files: app::platform::files::Files::memory(),
        exchange_wake: Arc::new(tokio::sync::Notify::new()),
    }
}

/// A session cookie of `account` (an own browser, no second step).
pub async fn cookie(handle: &db::Db, account: &str) -> Result<String, Error> {
    let new = app::auth::sessions::NewSession {
        account,
        kind: app::auth::sessions::SessionKind::Own,
        strong: false,
        enrol: false,
        must_change_password: false,
        ip: "127.0.0.1",
        user_agent: "bench",
    };
    let settings = app::platform::auth_settings::AuthSettings::default();
    let now = app::platform::clock::now();
    let token = app::auth::sessions::create(handle, &settings, new, now).await.map_err(|e| format!("session: {e}"))?;
    Ok(format!("portal_session={token}"))
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Runs `body` on a multi-threaded runtime with 8 MiB stacks (the debug
/// build needs them); prints the error under `name`.
pub fn main<F>(name: &str, body: F) -> std::process::ExitCode
where
    F: Future<Output = Result<std::process::ExitCode, Error>>,
{
    let runtime = match tokio::runtime::Builder::new_multi_thread().thread_stack_size(8 << 20).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{name}: tokio runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(body) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
