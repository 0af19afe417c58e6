//! Plain axum routes — a file upload with a progress bar, a file download —
//! need what a server function has: the request's `Parts`, the `AppState`
//! and a `ResponseOptions` in the reactive context, so `auth::caller`,
//! `platform::request` and cookies work inside them unchanged. `in_context`
//! runs a handler that way and copies the headers it set (a cleared
//! session cookie) onto its response.

use std::future::Future;

use axum::response::Response;
use http::request::Parts;
use leptos::prelude::provide_context;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use leptos_axum::ResponseOptions;

use super::AppState;

pub async fn in_context<F, Fut>(state: AppState, parts: Parts, handler: F) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Response>,
{
    let owner = Owner::new();
    let options = ResponseOptions::default();
    let mut res = owner
        .with(|| {
            provide_context(parts);
            provide_context(state);
            provide_context(options.clone());
            ScopedFuture::new(handler())
        })
        .await;
    if let Ok(set) = options.0.read() {
        for (name, value) in set.headers.iter() {
            res.headers_mut().append(name.clone(), value.clone());
        }
    }
    res
}

/// A PDF the signed-in citizen may download (a result document, a
/// receipt): `find` gets the caller and answers the file's name and bytes.
/// Always `attachment`, `nosniff`, `no-store`; without a session, the
/// sign-in page with `login_next` to come back to.
pub async fn citizen_pdf<F, Fut>(state: AppState, parts: Parts, login_next: &'static str, find: F) -> Response
where
    F: FnOnce(AppState, crate::auth::caller::Caller) -> Fut,
    Fut: Future<Output = Result<(String, Vec<u8>), crate::error::AppError>>,
{
    use axum::response::IntoResponse;
    use http::{HeaderValue, StatusCode, header};

    use crate::error::AppError;
    let st = state.clone();
    in_context(state, parts, move || async move {
        let found = match crate::auth::caller::citizen(&st).await {
            Ok(caller) => find(st.clone(), caller).await,
            Err(e) => Err(e),
        };
        match found {
            Ok((name, bytes)) => {
                let mut res = bytes.into_response();
                let h = res.headers_mut();
                h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
                if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                    h.insert(header::CONTENT_DISPOSITION, v);
                }
                h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                res
            }
            Err(AppError::Unauthorized) => {
                let mut res = StatusCode::SEE_OTHER.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("/login?next={login_next}")) {
                    res.headers_mut().insert(header::LOCATION, v);
                }
                res
            }
            Err(e) => {
                let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND);
                let mut res = (status, e.to_string()).into_response();
                res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                res
            }
        }
    })
    .await
}
