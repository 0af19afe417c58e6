//! `GET /staff/mfc/sheet?task=…`: the sheet as a PDF download, for the
//! operator of the visit only (a plain route: a server function answers
//! JSON, this answers a file).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

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
            let to = format!("/staff/mfc/visit?task={}&sheet_gone=1", crate::format::encode_component(&q.task));
            (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static("/staff/mfc")))],
            )
                .into_response()
        }
    }
}
