//! The HTTP face of the portal: the router (Leptos pages and server
//! functions, health probes), and the layers every response passes through:
//! request id, structured trace, panic page, security headers, the
//! «Сервис недоступен» guard, the dev-only paths, and compression with a
//! year-long cache for the hashed files of the app.

use app::platform::AppState;
use app::platform::config::{Config, Mode};
use app::platform::request::{REQUEST_ID, REQUEST_ID_HEADER, current_request_id};
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use http::{HeaderName, HeaderValue, StatusCode, header};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub fn leptos_options(config: &Config) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_string());
    LeptosOptions::builder()
        .output_name("portal")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .hash_files(hashed_site())
        .env(if config.mode == Mode::Production { leptos::config::Env::PROD } else { leptos::config::Env::DEV })
        .build()
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let leptos = state.leptos.clone();
    let production = state.config.mode == Mode::Production;
    let hsts = state.config.https();
    let context = {
        let state = state.clone();
        move || {
            leptos::nonce::provide_nonce();
            leptos::prelude::provide_context(state.clone());
        }
    };

    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        // «Документы»: a multipart upload (with its progress bar) and a file
        // download; plain routes, the caller found as by server functions.
        .route(
            "/api/documents/upload",
            axum::routing::post(app::documents::routes::upload)
                .layer(axum::extract::DefaultBodyLimit::max(app::documents::routes::BODY_LIMIT)),
        )
        .route("/api/documents/file/{id}", get(app::documents::routes::download))
        .route("/api/applications/{id}/result", get(app::services::routes::result))
        .route("/api/payments/{key}/receipt", get(app::payments::routes::receipt))
        // Files the pages link to (a server function answers JSON).
        .route("/staff/mfc/sheet", get(app::mfc::download::sheet))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell));
    if !production {
        // Lets the tests see the 500 page a person would get.
        router = router.route("/dev/panic", get(dev_panic));
    }

    let mut router = router
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(no_store))
        .layer(middleware::from_fn_with_state(state.clone(), same_origin_posts))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
                 object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(self)"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ));
    if hsts {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    router
        .layer(middleware::from_fn(immutable_assets))
        .layer(compression())
        .layer(trace_layer())
        .layer(middleware::from_fn(request_id))
        .with_state(state)
}

/// `cargo leptos build` with `hash-files` names the wasm, JS and CSS by their
/// content and writes the names into `hash.txt` beside the server binary;
/// the page then links the hashed names. Without that file (tests that build
/// the router, a plain `cargo build`) the page links the plain names.
fn hashed_site() -> bool {
    std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").is_file())).unwrap_or(false)
}

/// Pages, server-function answers and any file not already precompressed
/// (the release build ships `.br` and `.gz` beside each file, which the file
/// handler picks by `Accept-Encoding`) go out brotli- or gzip-compressed.
/// Quality 4: most of the gain of brotli at a small cost per response.
fn compression() -> CompressionLayer {
    CompressionLayer::new().br(true).gzip(true).quality(CompressionLevel::Precise(4))
}

/// A file under `/pkg/` whose name carries its content hash
/// (`portal.<hash>.wasm`) never changes: browsers keep it a year without
/// asking again. Anything else there (a build without hashes) is revalidated.
async fn immutable_assets(req: Request, next: Next) -> Response {
    let hashed = req.uri().path().strip_prefix("/pkg/").is_some_and(is_content_hashed);
    let mut res = next.run(req).await;
    if hashed && res.status().is_success() {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    res
}

/// `name.<22 characters of URL-safe base64 (an MD5)>.ext`, as cargo-leptos
/// names hashed files; the split loader's placeholder name is not a hash.
fn is_content_hashed(file: &str) -> bool {
    let mut parts = file.rsplit('.');
    let (Some(_ext), Some(hash), Some(_name)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() == 22
        && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && hash.bytes().any(|b| b != b'_')
}

/// A browser names the page a request comes from in `Origin` and says
/// whether it is another site in `Sec-Fetch-Site`. A server call sent from
/// another site's page (a forged form: sign-in CSRF, or any action should
/// SameSite ever not hold) is refused: `Sec-Fetch-Site: cross-site`, or an
/// `Origin` that is not the portal's public address (the passkey origin
/// too; in dev mode also the address the request was sent to). Clients
/// that send neither (scripts, old browsers) pass: the session cookie is
/// SameSite=Lax.
async fn same_origin_posts(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        let cross_site = req.headers().get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site");
        let foreign = req.method() == http::Method::POST
            && req.headers().get(header::ORIGIN).is_some_and(|origin| {
                let origin = origin.to_str().unwrap_or("null");
                !allowed_origin(&state, origin, req.headers().get(header::HOST).and_then(|v| v.to_str().ok()))
            });
        if cross_site || foreign {
            tracing::info!(path = %req.uri().path(), "cross-site request refused");
            return (StatusCode::FORBIDDEN, "Запрос отправлен с чужой страницы и отклонён").into_response();
        }
    }
    // A staff page opened from another site (a link in a letter) could
    // make its first load act — open a document, write an access row —
    // without the staff member meaning to: such a visit starts at the
    // console's home instead.
    let path = req.uri().path();
    if path.starts_with("/staff/") && req.headers().get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        tracing::info!(path, "cross-site staff navigation sent to /staff");
        return (StatusCode::SEE_OTHER, [(header::LOCATION, http::HeaderValue::from_static("/staff"))]).into_response();
    }
    next.run(req).await
}

fn allowed_origin(state: &AppState, origin: &str, host: Option<&str>) -> bool {
    let config = &state.config;
    if origin.eq_ignore_ascii_case(&config.public_url) || origin.eq_ignore_ascii_case(&config.passkeys.origin) {
        return true;
    }
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
    config.mode != Mode::Production
        && !origin_host.is_empty()
        && host.is_some_and(|h| origin_host.eq_ignore_ascii_case(h))
}

/// Leptos answers every failed server function with 500. The body is our
/// `AppError` as JSON, so give the response the status that error means
/// (400 for a form mistake, 401, 429 for a lock...): the logs and any proxy
/// then count only real failures as server errors. The browser app decodes
/// the error for any 4xx/5xx. Form posts without JavaScript are redirects
/// (302) and pass untouched.
async fn server_fn_status(req: Request, next: Next) -> Response {
    const LIMIT: usize = 64 * 1024;
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Pages and server answers may carry personal data (the header names the
/// signed-in person on every page): no browser or proxy keeps a copy, so a
/// public computer's Back button shows nothing after sign-out. Static
/// assets keep their own caching.
async fn no_store(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if api || html {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    let up = app::platform::health::ping(&state.db).await;
    state.health.set_db_up(up);
    if up {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

async fn dev_panic() -> &'static str {
    #[allow(clippy::panic)]
    {
        panic!("deliberate panic at /dev/panic");
    }
}

/// Gives every request an id (kept from a trusted proxy's `x-request-id`
/// when it looks like one), runs the request inside it, and returns it in
/// the response.
async fn request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    if let Ok(value) = HeaderValue::from_str(&id) {
        req.headers_mut().insert(REQUEST_ID_HEADER, value.clone());
        let mut res = REQUEST_ID.scope(id, next.run(req)).await;
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
        res
    } else {
        next.run(req).await
    }
}

fn trace_layer() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&Request<Body>) -> tracing::Span + Clone,
> {
    TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
        let id = req.headers().get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
    })
}

/// Paths that stay answerable while the database is down.
fn needs_database(path: &str) -> bool {
    !(path == "/healthz"
        || path == "/readyz"
        || path.starts_with("/pkg/")
        || path == "/favicon.svg"
        || path == "/favicon.ico"
        || path == "/manifest.webmanifest"
        || path == "/robots.txt")
}

/// Dev-only paths answer 404 in production; while the database does not
/// answer, pages show «Сервис недоступен» and server functions 503.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if state.config.mode == Mode::Production && (path == "/dev" || path.starts_with("/dev/")) {
        return document(StatusCode::NOT_FOUND, app::errors::error_document(404, ""));
    }
    if !state.health.db_up() && needs_database(path) {
        if path.starts_with("/api/") {
            let body = serde_json::to_string(&app::error::AppError::Unavailable).unwrap_or_default();
            let mut res = (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            return res;
        }
        let mut res = document(StatusCode::SERVICE_UNAVAILABLE, app::errors::error_document(503, ""));
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        return res;
    }
    next.run(req).await
}

fn panic_page(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("panic");
    let request_id = current_request_id();
    tracing::error!(%request_id, "panic while serving: {detail}");
    document(StatusCode::INTERNAL_SERVER_ERROR, app::errors::error_document(500, &request_id))
}

fn document(status: StatusCode, html: String) -> Response {
    let mut res = (status, Html(html)).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn only_files_named_by_their_content_are_cached_for_a_year() {
        assert!(is_content_hashed("portal.Xq3m0Zk1Hc2vY8aPq9R_-w.wasm"));
        assert!(is_content_hashed("portal.Xq3m0Zk1Hc2vY8aPq9R_-w.css"));
        assert!(!is_content_hashed("portal.wasm"));
        assert!(!is_content_hashed("portal_bg.wasm"));
        assert!(!is_content_hashed("__wasm_split.______________________.js"));
        assert!(!is_content_hashed("../portal.Xq3m0Zk1Hc2vY8aPq9R_-w"));
    }
}
