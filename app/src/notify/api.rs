//! The server functions of notifications: all for the signed-in person
//! about their own notices and settings (`auth::caller::citizen`).

use leptos::prelude::*;

use super::dto::{Centre, HomeSummary, Opened, SettingsView};
use crate::error::AppError;

/// `/notifications`: the notices, newest first, and the sent messages.
#[server(endpoint = "notify/centre")]
pub async fn get_centre() -> Result<Centre, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::centre(&state.db, &caller).await
}

/// `/notifications/<id>`: the notice, now read (404 when not the caller's).
#[server(endpoint = "notify/open")]
pub async fn open_notice(id: String) -> Result<Opened, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::open(&state.db, &caller, &id, crate::platform::clock::now()).await
}

/// «Отметить все прочитанными».
#[server(endpoint = "notify/read_all")]
pub async fn read_all() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::read_all(&state.db, &caller, crate::platform::clock::now()).await?;
    leptos_axum::redirect("/notifications?read=all");
    Ok(())
}

/// `/settings/notifications`.
#[server(endpoint = "notify/settings")]
pub async fn get_settings() -> Result<SettingsView, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::settings(&state.db, &caller).await
}

/// «Применить»: the ticked boxes, `status.sms` and so on.
#[server(endpoint = "notify/save_settings")]
pub async fn save_settings(#[server(default)] on: Vec<String>) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::save(&state.db, &caller, &on, crate::platform::clock::now()).await?;
    leptos_axum::redirect("/settings/notifications?saved=1");
    Ok(())
}

/// What the personal home shows: the greeting, what needs the person's
/// action, the newest unread notices.
#[server(endpoint = "notify/home")]
pub async fn get_home() -> Result<HomeSummary, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::home(&state.db, &caller).await
}
