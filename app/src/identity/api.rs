//! The server functions of «Подтверждение личности». Each finds out who is
//! calling first; forms post here directly when JavaScript is off (success
//! redirects back to the page, an error returns to the form with what was
//! typed).

use leptos::prelude::*;

use super::dto::VerifyView;
use crate::error::AppError;

/// The page: level, the newest check, the form's values.
#[server(endpoint = "identity/status")]
pub async fn get_verify() -> Result<VerifyView, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::view(&state.db, &caller, super::worker::available(&state.config)).await
}

/// «Отправить на проверку»: the requests go to the registries; the page
/// then shows «На проверке».
#[server(endpoint = "identity/send")]
pub async fn send_verify(
    #[server(default)] snils: String,
    #[server(default)] passport_series: String,
    #[server(default)] passport_number: String,
    #[server(default)] passport_issued_on: String,
    #[server(default)] passport_issued_by: String,
    #[server(default)] passport_division: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let now = crate::platform::clock::now();
    let input = super::model::VerifyInput {
        snils,
        passport: super::model::PassportInput {
            series: passport_series,
            number: passport_number,
            issued_on: passport_issued_on,
            issued_by: passport_issued_by,
            division_code: passport_division,
        },
    };
    let available = super::worker::available(&state.config);
    super::service::submit(&state.db, &caller, &input, available, now)
        .await
        .map_err(|e| e.with_values(&input.typed()))?;
    state.exchange_wake.notify_one();
    leptos_axum::redirect("/profile/verify?sent=1");
    Ok(())
}
