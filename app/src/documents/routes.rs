//! The two plain routes of «Документы» (a server function's codecs fit
//! neither a multipart upload with a progress bar nor a file download):
//!
//! - `POST /api/documents/upload` (multipart: `kind`, `replaces`, `back`,
//!   `file`). The page's script sends it with XMLHttpRequest (for the
//!   progress bar) and `Accept: application/json`, and gets JSON: `{"id"}`
//!   or the `AppError` with its status. A form sent without JavaScript gets
//!   a redirect back to its page with `uploaded=<id>` or
//!   `upload_error=<code>`. The file is read to 5 МБ; a bigger one is read
//!   on (to `BODY_LIMIT`) and refused, so the browser sees the answer.
//! - `GET /api/documents/file/<id>[?task=<task>]`: the owner's own file,
//!   or, with `task`, an official's through that task (the look recorded).
//!   Always `Content-Disposition: attachment`, `nosniff`, `no-store`.
//!
//! Both run in the request context (`platform::route::in_context`), so the
//! caller is found the way every server function finds it.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;

use super::model::{MAX_BYTES, UploadProblem};
use super::service::{self, Upload, UploadError};
use crate::auth::Role;
use crate::error::AppError;
use crate::platform::{AppState, clock};

/// The most of a request body the upload reads: the 5 МБ file, the form's
/// few fields, and room to read an oversized file on and answer politely.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Pages a plain form may come back to.
const BACK: [&str; 2] = ["/documents", "/documents/change"];

#[derive(Serialize)]
struct Uploaded {
    id: String,
}

fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let text = serde_json::to_string(body).unwrap_or_default();
    let mut res = (status, text).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

fn see_other(to: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// What the upload form sent.
#[derive(Default)]
struct Form {
    kind: String,
    replaces: Option<String>,
    back: String,
    file: Option<(String, Vec<u8>)>,
    too_large: bool,
}

/// A short text field, at most 200 bytes kept.
async fn text(
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<String, axum::extract::multipart::MultipartError> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if buf.len() < 200 {
            buf.extend_from_slice(&chunk[..chunk.len().min(200 - buf.len())]);
        }
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn read_form(mut multipart: Multipart) -> Result<Form, UploadError> {
    let mut form = Form::default();
    loop {
        let next = multipart.next_field().await;
        let mut field = match next {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(UploadError::Problem(UploadProblem::TooLarge));
            }
            Err(_) => return Err(UploadError::Failed(AppError::invalid(crate::error::BAD_REQUEST))),
        };
        let name = field.name().unwrap_or_default().to_string();
        let read = async {
            match name.as_str() {
                "kind" => form.kind = text(&mut field).await?,
                "replaces" => form.replaces = Some(text(&mut field).await?),
                "back" => form.back = text(&mut field).await?,
                "file" => {
                    let file_name = field.file_name().unwrap_or_default().to_string();
                    let mut bytes = Vec::new();
                    while let Some(chunk) = field.chunk().await? {
                        if bytes.len() + chunk.len() > MAX_BYTES as usize {
                            form.too_large = true;
                            bytes = Vec::new();
                        } else if !form.too_large {
                            bytes.extend_from_slice(&chunk);
                        }
                    }
                    // A form sent with no file chosen has a part with no name and no bytes.
                    if !file_name.is_empty() || !bytes.is_empty() {
                        form.file = Some((file_name, bytes));
                    }
                }
                _ => while field.chunk().await?.is_some() {},
            }
            Ok::<(), axum::extract::multipart::MultipartError>(())
        };
        match read.await {
            Ok(()) => {}
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(UploadError::Problem(UploadProblem::TooLarge));
            }
            Err(_) => return Err(UploadError::Failed(AppError::invalid(crate::error::BAD_REQUEST))),
        }
    }
    Ok(form)
}

/// `POST /api/documents/upload`.
pub async fn upload(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let wants_json =
        parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"));
    let request = Request::from_parts(parts.clone(), body);
    let st = state.clone();
    crate::platform::route::in_context(state, parts, move || async move {
        let now = clock::now();
        let caller = match crate::auth::caller::citizen(&st).await {
            Ok(c) => c,
            Err(e) if wants_json => return json(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN), &e),
            Err(_) => return see_other("/login?next=%2Fdocuments"),
        };
        let form = match Multipart::from_request(request, &()).await {
            Ok(m) => read_form(m).await,
            Err(_) => Err(UploadError::Failed(AppError::invalid(crate::error::BAD_REQUEST))),
        };
        let back = form.as_ref().ok().map(|f| f.back.clone()).filter(|b| BACK.contains(&b.as_str()));
        let back = back.unwrap_or_else(|| BACK[0].to_string());
        let kind = form.as_ref().map(|f| f.kind.clone()).unwrap_or_default();
        let result = match form {
            Err(e) => Err(e),
            Ok(f) if f.too_large => Err(UploadError::Problem(UploadProblem::TooLarge)),
            Ok(Form { file: None, .. }) => Err(UploadError::Problem(UploadProblem::NoFile)),
            Ok(Form { file: Some((name, bytes)), kind, replaces, .. }) => {
                let up = Upload { kind, replaces, name, bytes };
                service::upload(&st.db, &st.files, &caller, up, now).await
            }
        };
        let kind_q = crate::format::encode_component(&kind);
        match (result, wants_json) {
            (Ok(id), true) => json(StatusCode::OK, &Uploaded { id }),
            (Ok(id), false) => see_other(&format!("{back}?uploaded={id}")),
            (Err(UploadError::Problem(p)), false) => {
                see_other(&format!("{back}?upload_error={}&kind={kind_q}", p.code()))
            }
            (Err(UploadError::Failed(e)), false) => {
                let id = if let AppError::Internal { request_id } = &e { request_id.clone() } else { String::new() };
                see_other(&format!("{back}?upload_failed={}", crate::format::encode_component(&id)))
            }
            (Err(e), true) => {
                let e = e.into_app_error();
                json(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), &e)
            }
        }
    })
    .await
}

/// `GET /api/documents/file/<id>[?task=<task>]`.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let st = state.clone();
    crate::platform::route::in_context(state, parts, move || async move {
        let now = clock::now();
        let found = match query.get("task") {
            Some(task) => match crate::auth::caller::staff(&st, Role::Official).await {
                Ok(staff) => service::file_for_task(&st.db, &st.files, &staff, &id, task, now).await,
                Err(e) => Err(e),
            },
            None => match crate::auth::caller::citizen(&st).await {
                Ok(caller) => service::own_file(&st.db, &st.files, &caller, &id).await,
                Err(e) => Err(e),
            },
        };
        match found {
            Ok((doc, bytes)) => {
                let label = doc.kind.label();
                let ext = doc.format.extension();
                let disposition = format!(
                    "attachment; filename=\"document.{ext}\"; filename*=UTF-8''{}",
                    crate::format::encode_component(&format!("{label}.{ext}"))
                );
                let mut res = bytes.into_response();
                let h = res.headers_mut();
                h.insert(header::CONTENT_TYPE, HeaderValue::from_static(doc.format.mime()));
                if let Ok(v) = HeaderValue::from_str(&disposition) {
                    h.insert(header::CONTENT_DISPOSITION, v);
                }
                h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                res
            }
            Err(AppError::Unauthorized) => see_other("/login?next=%2Fdocuments"),
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
