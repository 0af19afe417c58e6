//! The server functions of applications. A citizen's (`caller::citizen`)
//! touch only their own applications (another's is «не найдено»); an
//! official's (`caller::staff(Role::Official)`) only their department's.
//! The step form, «Отправить» and the official's decisions are posted as
//! forms and answer with a redirect, so they work without JavaScript.

use std::collections::HashMap;

use leptos::prelude::*;

use super::dto::{AppCounts, AppDetail, ApplyInfo, CheckPage, DraftPage, MyApplications, StaffApp, StaffQueue};
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn answers_of(raw: HashMap<String, String>) -> super::form::Answers {
    // Form field ids are short; anything else is dropped.
    raw.into_iter().filter(|(k, v)| k.len() <= 40 && v.len() <= 8 * 1024).take(100).collect()
}

/// `/services/:code/apply`.
#[server(endpoint = "applications/apply_info")]
pub async fn get_apply_info(code: String) -> Result<ApplyInfo, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::apply_info(&state.db, &caller, &code).await
}

/// «Заполнить заявление»: the draft (made once), then its first step.
#[server(endpoint = "applications/start")]
pub async fn start_application(code: String, #[server(default)] uin: Option<String>) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let key = super::service::start(&state.db, &caller, &code, uin.as_deref(), crate::platform::clock::now()).await?;
    leptos_axum::redirect(&format!("/applications/{key}/edit?step=0"));
    Ok(())
}

/// A step of a draft, or the review.
#[server(endpoint = "applications/draft")]
pub async fn get_draft(id: String, step: usize, #[server(default)] check: bool) -> Result<DraftPage, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::draft_page(&state.db, &caller, &id, step, check, crate::platform::clock::now()).await
}

/// Autosave as the person types (JavaScript on): the time saved.
#[server(endpoint = "applications/save")]
pub async fn save_draft(
    id: String,
    step: usize,
    #[server(default)] answers: HashMap<String, String>,
) -> Result<String, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::save(&state.db, &caller, &id, step, &answers_of(answers), crate::platform::clock::now()).await
}

/// The step form: «Назад», «Сохранить черновик», «Далее» (`go`).
#[server(endpoint = "applications/step")]
pub async fn post_step(
    id: String,
    step: usize,
    #[server(default)] go: String,
    #[server(default)] answers: HashMap<String, String>,
) -> Result<(), AppError> {
    use super::service::Go;
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let go = match go.as_str() {
        "back" => Go::Back,
        "save" => Go::Save,
        _ => Go::Next,
    };
    let to = super::service::post_step(
        &state.db,
        &caller,
        &id,
        step,
        &answers_of(answers),
        go,
        crate::platform::clock::now(),
    )
    .await?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// «Отправить»: the application's page with its number, or the review
/// with what keeps it from being sent.
#[server(endpoint = "applications/submit")]
pub async fn submit_application(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let now = crate::platform::clock::now();
    match super::service::submit(&state.db, &caller, &id, now).await {
        Ok(_) => {
            // Handed to the department at once; the worker retries a failure.
            if let Err(e) = super::service::deliver(&state.db, now).await {
                tracing::warn!(error = %e, "application hand-over deferred to the worker");
            }
            crate::notify::wake(&state);
            leptos_axum::redirect(&format!("/applications/{id}?sent=1"));
            Ok(())
        }
        Err(AppError::Invalid { .. }) => {
            leptos_axum::redirect(&format!("/applications/{id}/edit?step=99&check=1"));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// «Удалить черновик».
#[server(endpoint = "applications/delete")]
pub async fn delete_draft(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::delete_draft(&state.db, &caller, &id).await?;
    leptos_axum::redirect("/applications?deleted=1");
    Ok(())
}

/// «Мои заявления».
#[server(endpoint = "applications/mine")]
pub async fn get_my_applications(
    #[server(default)] status: String,
    #[server(default)] q: String,
    #[server(default)] page: usize,
) -> Result<MyApplications, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let status = super::model::Status::parse(&status);
    super::service::mine(&state.db, &caller, status, &q, page, crate::platform::clock::now()).await
}

/// The card of «Мои заявления» on the personal home.
#[server(endpoint = "applications/counts")]
pub async fn get_application_counts() -> Result<AppCounts, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::counts(&state.db, &caller, crate::platform::clock::now()).await
}

/// `/applications/:id`.
#[server(endpoint = "applications/one")]
pub async fn get_application(id: String) -> Result<AppDetail, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::detail(&state.db, &caller, &id, crate::platform::clock::now()).await
}

/// «Отозвать заявление».
#[server(endpoint = "applications/withdraw")]
pub async fn withdraw_application(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let done = super::service::withdraw(&state.db, &caller, &id, crate::platform::clock::now()).await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/applications/{id}?{}", if done { "withdrawn=1" } else { "withdrawal=1" }));
    Ok(())
}

/// The answer to a request for more.
#[server(endpoint = "applications/answer")]
pub async fn answer_request(
    id: String,
    #[server(default)] answers: HashMap<String, String>,
    #[server(default)] documents: Vec<String>,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let answers = answers_of(answers);
    super::service::answer(&state.db, &caller, &id, &answers, &documents, &comment, crate::platform::clock::now())
        .await
        .map_err(|e| {
            let mut values: Vec<(String, String)> =
                answers.iter().map(|(k, v)| (format!("f_{k}"), v.clone())).collect();
            values.push(("comment".into(), comment.clone()));
            let refs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            e.with_values(&refs)
        })?;
    leptos_axum::redirect(&format!("/applications/{id}?answered=1"));
    Ok(())
}

// ---- The official ----

#[server(endpoint = "applications/queue")]
pub async fn get_staff_queue(#[server(default)] status: String) -> Result<StaffQueue, AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    // A draft or an application not yet handed over is not the department's.
    let status = super::model::Status::parse(&status)
        .filter(|s| !matches!(s, super::model::Status::Draft | super::model::Status::Accepted));
    super::service::queue(&state.db, &staff, status, crate::platform::clock::now()).await
}

#[server(endpoint = "applications/staff_one")]
pub async fn get_staff_application(id: String) -> Result<StaffApp, AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    super::service::staff_view(&state.db, &staff, &id, crate::platform::clock::now()).await
}

#[server(endpoint = "applications/claim")]
pub async fn claim_application(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    super::service::claim(&state.db, &staff, &id, crate::platform::clock::now()).await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/staff/applications/{id}?claimed=1"));
    Ok(())
}

#[server(endpoint = "applications/ask")]
pub async fn ask_more(
    id: String,
    #[server(default)] fields: Vec<String>,
    #[server(default)] documents: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    super::service::ask_more(&state.db, &staff, &id, &fields, &documents, &comment, crate::platform::clock::now())
        .await
        .map_err(|e| e.with_values(&[("documents", &documents), ("comment", &comment)]))?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/staff/applications/{id}?asked=1"));
    Ok(())
}

/// «Исполнено» (`decision` = approve, with a comment for the document) or
/// «Отказать» (`decision` = refuse, a reason and a comment).
#[server(endpoint = "applications/decide")]
pub async fn decide_application(
    id: String,
    decision: String,
    #[server(default)] reason: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let staff = crate::auth::caller::staff(&state, crate::auth::Role::Official).await?;
    let now = crate::platform::clock::now();
    let done = match decision.as_str() {
        "approve" => {
            super::service::approve(&state.db, &state.files, &staff, &id, &comment, &state.config.public_url, now).await
        }
        "refuse" => super::service::refuse(&state.db, &staff, &id, &reason, &comment, now).await,
        "accept_withdrawal" => super::service::decide_withdrawal(&state.db, &staff, &id, true, now).await,
        "refuse_withdrawal" => super::service::decide_withdrawal(&state.db, &staff, &id, false, now).await,
        _ => Err(AppError::invalid(crate::error::BAD_REQUEST)),
    };
    done.map_err(|e| e.with_values(&[("comment", &comment), ("reason", &reason)]))?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/staff/applications/{id}?decided={decision}"));
    Ok(())
}

/// `/check/:hash`: anyone may check a document.
#[server(endpoint = "applications/check")]
pub async fn get_check(hash: String) -> Result<CheckPage, AppError> {
    let state = crate::platform::app_state()?;
    super::service::check(&state.db, &hash).await
}
