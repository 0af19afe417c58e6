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
