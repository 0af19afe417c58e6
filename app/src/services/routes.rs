//! `GET /api/applications/<id>/result`: the result PDF of the caller's own
//! application (a server function's codecs do not serve a file), through
//! `platform::route::citizen_pdf`.

use axum::extract::{Path, Request, State};
use axum::response::Response;

use crate::platform::AppState;

pub async fn result(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    crate::platform::route::citizen_pdf(state, parts, "%2Fapplications", move |st, caller| async move {
        super::service::result_file(&st.db, &st.files, &caller, &id).await
    })
    .await
}
