//! `GET /staff/mfc/sheet?task=…`: the sheet as a PDF download, for the
//! operator of the visit only (a plain route: a server function answers
//! JSON, this answers a file).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use crate::error::AppError;
use crate::platform::AppState;

#[derive(serde::Deserialize)]
pub struct SheetQuery {
    task: String,
}

pub async fn sheet(
    State(state): State<AppState>,
    Query(q): Query<SheetQuery>,
    req: axum::extract::Request,
) -> Response {
    let (parts, _) = req.into_parts();
    // Only a click on the visit page (or a typed address): another site
    // cannot make the operator's browser fetch the sheet.
    let site = parts.headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s != "same-origin" && s != "none") {
        return (StatusCode::FORBIDDEN, "Недостаточно прав для этого действия").into_response();
    }
    let back = format!("/staff/mfc/visit?task={}", crate::format::encode_component(&q.task));
    let result = crate::platform::request::in_request_context(state.clone(), parts, || async {
        let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
        let now = crate::platform::clock::now();
        super::service::sheet(&state.db, &op, &q.task, &state.config.public_url, now).await
    })
    .await;
    match result {
        Ok(pdf) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
                (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"gosportal-vhod.pdf\"")),
                (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            pdf,
        )
            .into_response(),
        // Back to the visit page, which says what happened (or asks to
        // sign in) in the console's own words.
        Err(e) => {
            tracing::info!(status = e.status(), "mfc sheet refused");
            let to = match e {
                AppError::Unauthorized => format!("/login?next={}", crate::format::encode_component(&back)),
                AppError::Forbidden | AppError::SecondStepRequired => "/staff".to_string(),
                _ => format!("{back}&sheet_gone=1"),
            };
            (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static("/staff/mfc")))],
            )
                .into_response()
        }
    }
}
