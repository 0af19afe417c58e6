//! `GET /api/payments/<key>/receipt`: the receipt PDF of the caller's own
//! successful payment (a server function's codecs do not serve a file),
//! through `platform::route::citizen_pdf`.

use axum::extract::{Path, Request, State};
use axum::response::Response;

use crate::platform::AppState;

pub async fn receipt(State(state): State<AppState>, Path(key): Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    crate::platform::route::citizen_pdf(state, parts, "%2Fpayments%2Fhistory", move |st, caller| async move {
        super::service::receipt(&st.db, &caller, &key).await
    })
    .await
}
