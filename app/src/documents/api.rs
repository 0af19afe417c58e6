//! The server functions of «Документы»: the citizen's lists and change
//! request (any signed-in person, about their own data), the official's
//! queue, review and decisions (`auth::caller::staff(Role::Official)`: a
//! strong staff session). The upload and the download are plain routes
//! (`routes.rs`).

// The change-request form has ten fields; the server macro turns them into
// arguments of the generated client function too.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dto::{ChangePage, ChangeReview, MyDocuments, Queue, Review};
use crate::error::AppError;

/// `/documents`.
#[server(endpoint = "documents/mine")]
pub async fn get_my_documents() -> Result<MyDocuments, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::mine(&state.db, &caller).await
}

/// `/documents/change`.
#[server(endpoint = "documents/change_page")]
pub async fn get_change_page() -> Result<ChangePage, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::change_page(&state.db, &caller).await
}

/// «Отправить на проверку» a change of ФИО, birth date or passport.
#[server(endpoint = "documents/request_change")]
pub async fn request_change(
    surname: String,
    name: String,
    #[server(default)] patronymic: String,
    birth_date: String,
    #[server(default)] passport_series: String,
    #[server(default)] passport_number: String,
    #[server(default)] passport_issued_on: String,
    #[server(default)] passport_issued_by: String,
    #[server(default)] passport_division: String,
    #[server(default)] scans: Vec<String>,
) -> Result<(), AppError> {
    use crate::auth::personal::PassportInput;
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let form = super::model::ChangeForm {
        surname: surname.clone(),
        name: name.clone(),
        patronymic: patronymic.clone(),
        birth_date: birth_date.clone(),
        passport: PassportInput {
            series: passport_series.clone(),
            number: passport_number.clone(),
            issued_on: passport_issued_on.clone(),
            issued_by: passport_issued_by.clone(),
            division_code: passport_division.clone(),
        },
        scans,
    };
    super::service::request_change(&state.db, &caller, &form, crate::platform::clock::now()).await.map_err(|e| {
        e.with_values(&[
            ("surname", &surname),
            ("name", &name),
            ("patronymic", &patronymic),
            ("birth_date", &birth_date),
            ("passport_series", &passport_series),
            ("passport_number", &passport_number),
            ("passport_issued_on", &passport_issued_on),
            ("passport_issued_by", &passport_issued_by),
            ("passport_division", &passport_division),
        ])
    })?;
    leptos_axum::redirect("/documents?requested=1");
    Ok(())
}

/// The official's queue.
#[server(endpoint = "documents/queue")]
pub async fn get_queue() -> Result<Queue, AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    super::service::queue(&state.db, &staff, crate::platform::clock::now()).await
}

/// Opens a document for review (the look is recorded).
#[server(endpoint = "documents/review")]
pub async fn get_review(id: String) -> Result<Review, AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    super::service::review(&state.db, &staff, &id, crate::platform::clock::now()).await
}

/// «Принять» or «Отклонить» (`decision`) a document, naming the defects.
#[server(endpoint = "documents/decide")]
pub async fn decide_document(
    id: String,
    decision: String,
    #[server(default)] defects: Vec<String>,
    #[server(default)] remark: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    let accept = match decision.as_str() {
        "accept" => true,
        "reject" => false,
        _ => return Err(AppError::invalid(crate::error::BAD_REQUEST)),
    };
    let defects: Vec<super::model::Defect> =
        super::model::Defect::ALL.into_iter().filter(|d| defects.iter().any(|x| x == d.as_str())).collect();
    super::service::decide(&state.db, &staff, &id, accept, &defects, &remark, crate::platform::clock::now())
        .await
        .map_err(|e| e.with_values(&[("remark", &remark)]))?;
    crate::notify::wake(&state);
    let done = if accept { "accepted" } else { "rejected" };
    leptos_axum::redirect(&format!("/staff/official/documents?{done}={}", crate::format::encode_component(&id)));
    Ok(())
}

/// Opens a change request (the look is recorded).
#[server(endpoint = "documents/change_review")]
pub async fn get_change_review(id: String) -> Result<ChangeReview, AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    super::service::review_change(&state.db, &staff, &id, crate::platform::clock::now()).await
}

/// «Одобрить» or «Отклонить» (`decision`) a change request.
#[server(endpoint = "documents/change_decide")]
pub async fn decide_change(id: String, decision: String, #[server(default)] reason: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::invalid(crate::error::BAD_REQUEST)),
    };
    super::service::decide_change(&state.db, &staff, &id, approve, &reason, crate::platform::clock::now())
        .await
        .map_err(|e| e.with_values(&[("reason", &reason)]))?;
    crate::notify::wake(&state);
    let done = if approve { "approved" } else { "declined" };
    leptos_axum::redirect(&format!("/staff/official/documents?{done}={}", crate::format::encode_component(&id)));
    Ok(())
}
