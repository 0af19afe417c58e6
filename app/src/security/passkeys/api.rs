//! The passkey server functions: the only door from the browser to the
//! passkey rules. Each ceremony is two calls (start → the browser asks the
//! authenticator → finish); the browser's answer travels as the JSON text
//! WebAuthn defines. Endpoints are stable (`/api/security/passkey_*`).

use leptos::prelude::*;

use super::model::{AuthenticationChallenge, PasskeyView, RegistrationChallenge};
use crate::error::AppError;

/// The signed-in account's passkeys, newest first.
#[server(endpoint = "security/passkey_list")]
pub async fn list_passkeys() -> Result<Vec<PasskeyView>, AppError> {
    let state = crate::platform::app_state()?;
    let account = crate::auth::caller::citizen(&state).await?.account;
    super::service::views(&state.db, &account.key(), crate::platform::clock::now()).await
}

/// «Добавить ключ доступа», step 1 (signed in).
#[server(endpoint = "security/passkey_register_start")]
pub async fn passkey_register_start() -> Result<RegistrationChallenge, AppError> {
    let state = crate::platform::app_state()?;
    // A passkey alone signs in: adding one needs the password just given.
    let caller = crate::auth::caller::citizen(&state).await?;
    caller.require_fresh_proof(state.config.auth.reauth_window, crate::platform::clock::now())?;
    caller.require_may_add_second_step()?;
    let account = caller.account;
    let wa = super::service::webauthn(&state.config.passkeys)?;
    let (challenge, options) =
        super::service::start_registration(&state.db, &wa, &account, crate::platform::clock::now()).await?;
    Ok(RegistrationChallenge { challenge, options })
}

/// «Добавить ключ доступа», step 2: stores the passkey under a name made
/// from the browser («Chrome на Windows»), tells the owner by SMS / e-mail,
/// and returns the new passkey's id (the page then offers to rename it).
#[server(endpoint = "security/passkey_register_finish")]
pub async fn passkey_register_finish(challenge: String, credential: String) -> Result<String, AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    caller.require_fresh_proof(state.config.auth.reauth_window, now)?;
    caller.require_may_add_second_step()?;
    let account = &caller.account;
    let wa = super::service::webauthn(&state.config.passkeys)?;
    let name = super::model::default_name(&crate::platform::request::user_agent());
    let id = super::service::finish_registration(&state.db, &wa, &account.key(), &challenge, &credential, &name, now)
        .await?;
    // A new passkey in the hands of this session's person: a staff member
    // may open the console without signing in again.
    crate::auth::signin::strengthened(&state, &caller).await?;
    crate::notify::security_notice(
        &state.db,
        &state.config.public_url,
        account,
        "Добавлен ключ доступа",
        &format!("к вашему личному кабинету добавлен ключ доступа «{name}» для входа по биометрии."),
        now,
    )
    .await?;
    crate::notify::wake(&state);
    Ok(id)
}

/// «Сохранить» a passkey's name.
#[server(endpoint = "security/passkey_rename")]
pub async fn rename_passkey(id: String, name: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let account = crate::auth::caller::citizen(&state).await?.account;
    super::service::rename(&state.db, &account.key(), &id, &name)
        .await
        .map_err(|e| e.with_values(&[("name", &name)]))?;
    leptos_axum::redirect("/security/passkeys?renamed=1");
    Ok(())
}

/// «Удалить» after the confirmation; the owner is told by SMS / e-mail.
#[server(endpoint = "security/passkey_delete")]
pub async fn delete_passkey(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    caller.require_fresh_proof(state.config.auth.reauth_window, now)?;
    let account = caller.account;
    let name = super::service::delete(&state.db, &account.key(), &id).await?;
    crate::notify::security_notice(
        &state.db,
        &state.config.public_url,
        &account,
        "Удалён ключ доступа",
        &format!("из вашего личного кабинета удалён ключ доступа «{name}»: входить с ним больше нельзя."),
        now,
    )
    .await?;
    crate::notify::wake(&state);
    leptos_axum::redirect("/security/passkeys?deleted=1");
    Ok(())
}

/// «Войти по биометрии», step 1 (anyone).
#[server(endpoint = "security/passkey_sign_in_start")]
pub async fn passkey_sign_in_start() -> Result<AuthenticationChallenge, AppError> {
    let state = crate::platform::app_state()?;
    let wa = super::service::webauthn(&state.config.passkeys)?;
    let (challenge, options) = super::service::start_sign_in(&state.db, &wa, crate::platform::clock::now()).await?;
    Ok(AuthenticationChallenge { challenge, options })
}

/// «Войти по биометрии», step 2: on success a new session (whatever session
/// this browser had ends) and the local address to go to (`next` or
/// «Личные данные»).
#[server(endpoint = "security/passkey_sign_in_finish")]
pub async fn passkey_sign_in_finish(
    challenge: String,
    credential: String,
    #[server(default)] next: Option<String>,
    #[server(default)] public: bool,
) -> Result<String, AppError> {
    let state = crate::platform::app_state()?;
    let wa = super::service::webauthn(&state.config.passkeys)?;
    let attempt = crate::auth::signin::Attempt::of_request(&state);
    let account = super::service::finish_sign_in(&state.db, &wa, &challenge, &credential, attempt.now).await?;
    let a = crate::auth::accounts::load(&state.db, &account)
        .await?
        .ok_or_else(|| AppError::invalid(super::model::UNKNOWN_PASSKEY))?;
    // A discoverable passkey with user verification counts as both factors.
    crate::auth::signin::complete(&state, &a, public, false, crate::auth::model::Method::Passkey, next, &attempt).await
}

/// Passkey check of the SIGNED-IN account, step 1: options for
/// `navigator.credentials.get` listing only this account's passkeys
/// (see `service::start_for_account`). For the «fresh proof» before a
/// sensitive change. It signs nobody in and changes nothing.
#[server(endpoint = "security/passkey_verify_start")]
pub async fn passkey_verify_start() -> Result<AuthenticationChallenge, AppError> {
    let state = crate::platform::app_state()?;
    let account = crate::auth::caller::citizen(&state).await?.account;
    let wa = super::service::webauthn(&state.config.passkeys)?;
    let (challenge, options) =
        super::service::start_for_account(&state.db, &wa, &account.key(), crate::platform::clock::now()).await?;
    Ok(AuthenticationChallenge { challenge, options })
}

/// Passkey check of the SIGNED-IN account, step 2: Ok when the answer is a
/// user-verified signature by one of this account's passkeys over the
/// challenge of step 1 (see `service::finish_for_account`). Only checks: no
/// session is started; the session records the proof, which opens the
/// re-authentication window (turning a method off, new backup codes).
#[server(endpoint = "security/passkey_verify_finish")]
pub async fn passkey_verify_finish(challenge: String, credential: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let account = crate::auth::caller::citizen(&state).await?.account;
    let wa = super::service::webauthn(&state.config.passkeys)?;
    let verified =
        super::service::finish_for_account(&state.db, &wa, &challenge, &credential, crate::platform::clock::now())
            .await?;
    if verified != account.key() {
        return Err(AppError::invalid(super::model::EXPIRED));
    }
    let caller = crate::auth::caller::citizen(&state).await?;
    crate::auth::caller::proven(&state, &caller).await
}

/// What a passkey button does without JavaScript: it explains that
/// biometrics needs it (the browser itself must talk to the authenticator).
#[server(endpoint = "security/passkey_needs_script")]
pub async fn passkey_needs_script() -> Result<(), AppError> {
    Err(AppError::invalid(super::model::NEEDS_SCRIPT))
}
