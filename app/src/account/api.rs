//! The account's server functions: the only door from the browser to the
//! account rules. Each one finds out who is calling before doing anything.
//! Forms post here directly when JavaScript is off; success then redirects
//! (`leptos_axum::redirect`), an error goes back to the form with its message.

// The registration form has nine fields; the server macro turns them into
// arguments of the generated client function too.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dto::{PasswordRules, Profile};
use crate::error::AppError;

/// Minutes of inactivity that end a «Чужой компьютер» session (a setting).
#[server(endpoint = "account/public_idle")]
pub async fn get_public_idle_minutes() -> Result<i64, AppError> {
    let state = crate::platform::app_state()?;
    Ok(state.config.auth.session_idle_public.num_minutes())
}

/// The password rules for the live checklist.
#[server(endpoint = "account/password_rules")]
pub async fn get_password_rules() -> Result<PasswordRules, AppError> {
    let state = crate::platform::app_state()?;
    Ok(PasswordRules { policy: state.config.auth.policy, history: state.config.auth.password_history })
}

/// «Зарегистрироваться»: checks the form and sends the code.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "account/register")]
pub async fn register(
    surname: String,
    name: String,
    #[server(default)] patronymic: String,
    birth_date: String,
    #[server(default)] phone: String,
    #[server(default)] email: String,
    password: String,
    password2: String,
    #[server(default)] consent: Option<String>,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let ip = crate::platform::request::client_ip();
    let form = super::service::RegistrationForm {
        surname: surname.clone(),
        name: name.clone(),
        patronymic: patronymic.clone(),
        birth_date: birth_date.clone(),
        phone: phone.clone(),
        email: email.clone(),
        password,
        password2,
        consent: consent.is_some(),
    };
    // The budget before anything is checked or hashed.
    let budget =
        crate::platform::budget::take_hourly(&state.db, "register", state.config.auth.budgets.register, &ip, now);
    let flow = async {
        budget.await?;
        super::service::start_registration(&state.db, &state.config.auth, &form, now).await
    }
    .await
    .map_err(|e| {
        e.with_values(&[
            ("surname", &surname),
            ("name", &name),
            ("patronymic", &patronymic),
            ("birth_date", &birth_date),
            ("phone", &phone),
            ("email", &email),
        ])
    })?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/register/confirm?flow={flow}"));
    Ok(())
}

/// «Подтвердить» on the registration code page: the account is created and signed in.
#[server(endpoint = "account/confirm_registration")]
pub async fn confirm_registration(flow: String, code: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let attempt = crate::auth::signin::Attempt::of_request(&state);
    let key = super::service::finish_registration(&state.db, &flow, &code, attempt.now).await?;
    let account = crate::auth::accounts::load(&state.db, &key).await?.ok_or(AppError::Unauthorized)?;
    // The code proved the contact, not a second factor.
    crate::auth::caller::start_session(&state, &account, false, false, crate::auth::Method::Sms, &attempt.client)
        .await?;
    crate::auth::signin::remember_device(&state, &key, &attempt).await?;
    leptos_axum::redirect("/profile?welcome=1");
    Ok(())
}

/// «Войти».
#[server(endpoint = "account/sign_in")]
pub async fn sign_in(
    login: String,
    password: String,
    #[server(default)] public: Option<String>,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let attempt = crate::auth::signin::Attempt::of_request(&state);
    // Boxed: the sign-in's futures are large in an unoptimised build, and
    // nested they outgrew a 2 MiB stack.
    let (signed, account, counter) = Box::pin(crate::auth::lockout::sign_in_from(
        &state.db,
        &state.config.auth,
        &state.config.public_url,
        &login,
        &password,
        &attempt.client,
        attempt.device.as_deref(),
        attempt.now,
    ))
    .await
    .map_err(|e| e.with_values(&[("login", &login)]))?;
    crate::notify::wake(&state);
    let to = Box::pin(crate::auth::signin::after_password(
        &state,
        &account,
        public.is_some(),
        signed.must_change_password,
        next,
        &attempt,
        counter,
    ))
    .await?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// «Забыли пароль?» step 1.
#[server(endpoint = "account/recover")]
pub async fn recover(login: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let ip = crate::platform::request::client_ip();
    let flow = async {
        crate::platform::budget::take_hourly(&state.db, "recover", state.config.auth.budgets.recover, &ip, now).await?;
        super::service::start_recovery(&state.db, &state.config.auth, &login, now).await
    }
    .await
    .map_err(|e| e.with_values(&[("login", &login)]))?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/recover/confirm?flow={flow}"));
    Ok(())
}

/// «Забыли пароль?» step 2: code and the new password twice.
#[server(endpoint = "account/recover_finish")]
pub async fn recover_finish(flow: String, code: String, password: String, password2: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    super::service::finish_recovery(
        &state.db,
        &state.config.auth,
        &state.config.public_url,
        &flow,
        &code,
        &password,
        &password2,
        now,
    )
    .await?;
    crate::notify::wake(&state);
    crate::auth::cookies::set_cookie_header(&crate::auth::cookies::clear_cookie(&state.config));
    leptos_axum::redirect("/login?recovered=1");
    Ok(())
}

/// «Безопасность» → «Изменить пароль»: other sessions end.
#[server(endpoint = "account/change_password")]
pub async fn change_password(current: String, password: String, password2: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    let account = &caller.account;
    if current.is_empty() || !crate::platform::password::verify(current, account.password_hash.clone()).await? {
        return Err(AppError::field("current", "Текущий пароль введён неверно"));
    }
    super::service::set_password(&state.db, &state.config.auth, account, &password, &password2, now).await?;
    crate::auth::sessions::end_all(&state.db, &account.key(), Some(&caller.token)).await?;
    crate::notify::security_notice(
        &state.db,
        &state.config.public_url,
        account,
        "Пароль изменён",
        "пароль от вашего личного кабинета изменён, другие сеансы завершены.",
        now,
    )
    .await?;
    crate::notify::wake(&state);
    leptos_axum::redirect("/security?changed=1");
    Ok(())
}

/// The password is older than allowed: a new one before anything else.
#[server(endpoint = "account/renew_password")]
pub async fn renew_password(password: String, password2: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::renewing_password(&state).await?;
    let account = &caller.account;
    super::service::set_password(&state.db, &state.config.auth, account, &password, &password2, now).await?;
    crate::auth::sessions::end_all(&state.db, &account.key(), Some(&caller.token)).await?;
    crate::auth::sessions::clear_must_change(&state.db, &caller.token).await?;
    let home = crate::auth::caller::home_of(account);
    leptos_axum::redirect(&format!("{home}?password_renewed=1"));
    Ok(())
}

/// «Личные данные».
#[server(endpoint = "account/profile")]
pub async fn get_profile() -> Result<Profile, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let now = crate::platform::clock::now();
    let proof_fresh = crate::auth::model::proof_is_fresh(caller.session.proof_at, state.config.auth.reauth_window, now);
    let level_history = super::service::level_history(&state.db, &caller.key()).await?;
    Ok(Profile { proof_fresh, level_history, ..super::service::profile_of(&caller.account) })
}

/// «Кто обращался к моим данным»: every look at or change of the caller's
/// data by a staff member, newest first.
#[server(endpoint = "account/access_log")]
pub async fn get_access_log() -> Result<Vec<crate::account::dto::AccessView>, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    super::service::access_log(&state.db, &caller.key()).await
}

/// «Сообщить о нарушении» on a row the person did not expect: the
/// administrators get an alert (a support request in a later issue).
#[server(endpoint = "account/access_report")]
pub async fn report_access(row: String, #[server(default)] note: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let now = crate::platform::clock::now();
    if note.chars().count() > 1000 {
        return Err(AppError::field("note", "Не больше 1000 знаков"));
    }
    if !crate::auth::access::report(&state.db, &caller.key(), &row, note.trim(), now).await? {
        return Err(AppError::invalid("Об этом обращении вы уже сообщили, или его нет в вашем списке"));
    }
    leptos_axum::redirect("/profile?reported=1#access");
    Ok(())
}

/// «Сохранить» the postal address.
#[server(endpoint = "account/save_address")]
pub async fn save_address(postal_address: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let account = crate::auth::caller::citizen(&state).await?.account;
    super::service::save_postal_address(&state.db, &account.key(), &postal_address)
        .await
        .map_err(|e| e.with_values(&[("postal_address", &postal_address)]))?;
    leptos_axum::redirect("/profile?saved=address");
    Ok(())
}

/// A new phone or e-mail: the code goes to the new contact. A session left
/// open is not enough to take the account this way: the password is asked
/// unless it (or a passkey) was proven within the re-authentication window.
#[server(endpoint = "account/change_contact")]
pub async fn change_contact(kind: String, value: String, #[server(default)] password: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let now = crate::platform::clock::now();
    let ip = crate::platform::request::client_ip();
    let flow = async {
        // Each change sends a message: the resend budget of the address.
        let budget = state.config.auth.budgets.resend;
        crate::platform::budget::take_hourly(&state.db, "contact", budget, &ip, now).await?;
        if caller.require_fresh_proof(state.config.auth.reauth_window, now).is_err() {
            if password.is_empty() {
                return Err(AppError::field("password", super::model::CONTACT_NEEDS_PASSWORD));
            }
            crate::auth::caller::prove_password(&state, &caller, password, now).await?;
        }
        super::service::start_contact_change(&state.db, &state.config.auth, &caller.key(), &kind, &value, now).await
    }
    .await
    .map_err(|e| e.with_values(&[(kind.as_str(), &value)]))?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/profile/confirm?flow={flow}"));
    Ok(())
}

/// The code from the new contact.
#[server(endpoint = "account/confirm_contact")]
pub async fn confirm_contact(flow: String, code: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let account = crate::auth::caller::citizen(&state).await?.account;
    let now = crate::platform::clock::now();
    let kind =
        super::service::finish_contact_change(&state.db, &state.config.public_url, &account.key(), &flow, &code, now)
            .await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/profile?saved={kind}"));
    Ok(())
}
