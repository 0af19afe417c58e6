//! The kernel's server functions: who is signed in (every page asks),
//! «Продлить», «Выйти», and the code step every flow shares (its view and
//! «Отправить код ещё раз»). Endpoints keep their `account/` names.

use leptos::prelude::*;

use super::dto::{FlowView, Me};
use crate::error::AppError;

/// The signed-in person, or None. Every page asks once as it renders.
#[server(endpoint = "account/me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    let state = crate::platform::app_state()?;
    let Some((_, row)) = super::caller::current(&state, true).await? else { return Ok(None) };
    let Some(account) = super::accounts::load(&state.db, &row.account).await? else { return Ok(None) };
    if account.disabled {
        return Ok(None);
    }
    let now = crate::platform::clock::now();
    // The bell: one count on an index, only for a signed-in citizen.
    let unread = if account.roles.is_empty() && !row.must_change_password {
        crate::notify::store::unread(&state.db, &account.key()).await?
    } else {
        0
    };
    Ok(Some(Me {
        short_name: account.short_name(),
        expires_in: (row.expires_at() - now).num_seconds(),
        warn_before: state.config.auth.session_warning.num_seconds(),
        must_change_password: row.must_change_password,
        public: row.public,
        roles: account.roles.clone(),
        strong: row.strong,
        level: account.level,
        unread,
    }))
}

/// «Продлить»: the request itself is the activity that moves the deadline.
#[server(endpoint = "account/extend")]
pub async fn extend_session() -> Result<Option<Me>, AppError> {
    get_me().await
}

/// «Выйти»: the session ends on the server and the cookie is removed.
#[server(endpoint = "account/sign_out")]
pub async fn sign_out(#[server(default)] reason: Option<String>) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    if let Some((token, _)) = super::caller::current(&state, false).await? {
        super::sessions::end(&state.db, &token).await?;
    }
    super::cookies::set_cookie_header(&super::cookies::clear_cookie(&state.config));
    // A public computer's browser keeps nothing of the account: no cached
    // page for the Back button, no stored data (the device cookie stays).
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::HeaderName::from_static("clear-site-data"),
            http::HeaderValue::from_static("\"cache\", \"storage\""),
        );
    }
    leptos_axum::redirect(if reason.as_deref() == Some("timeout") {
        "/login?timeout=1"
    } else {
        "/login?signed_out=1"
    });
    Ok(())
}

/// The code page's view of a flow. Contact changes belong to the signed-in owner.
#[server(endpoint = "account/flow")]
pub async fn get_flow(flow: String) -> Result<FlowView, AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let row = super::caller::load_flow(&state, &flow, now).await?;
    Ok(super::flows::view(&row, &state.config.auth, now))
}

/// «Отправить код ещё раз», «Отправить на почту / по SMS», «Получить код по телефону».
#[server(endpoint = "account/send_code")]
pub async fn send_code(flow: String, channel: String) -> Result<(), AppError> {
    use crate::platform::outbox::Channel;
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    super::caller::load_flow(&state, &flow, now).await?;
    // A code never goes by push (`Channel::Push` is for notices only).
    let channel = Channel::parse(&channel)
        .filter(|c| *c != Channel::Push)
        .ok_or_else(|| AppError::invalid("Неизвестный способ получения кода"))?;
    let budgets = state.config.auth.budgets;
    let ip = crate::platform::request::client_ip();
    crate::platform::budget::take_hourly(&state.db, "resend", budgets.resend, &ip, now).await?;
    if channel == Channel::Voice {
        crate::platform::budget::take_hourly(&state.db, "voice", budgets.voice, &ip, now).await?;
    }
    super::flows::send(&state.db, &state.config.auth, &flow, channel, now).await?;
    crate::notify::wake(&state);
    Ok(())
}
