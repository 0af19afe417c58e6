//! `GET /api/applications/<id>/result`: the result PDF of the caller's own
//! application (a server function's codecs do not serve a file). Always
//! `attachment`, `nosniff`, `no-store`. Runs in the request context
//! (`platform::route::in_context`) to find the caller as every server
//! function does.

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use crate::error::AppError;
use crate::platform::AppState;

pub async fn result(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let st = state.clone();
    crate::platform::route::in_context(state, parts, move || async move {
        let found = match crate::auth::caller::citizen(&st).await {
            Ok(caller) => super::service::result_file(&st.db, &st.files, &caller, &id).await,
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
                res.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/login?next=%2Fapplications"));
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
