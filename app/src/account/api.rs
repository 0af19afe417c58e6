//! The account's server functions: the only door from the browser to the
//! account rules. Each one finds out who is calling before doing anything.
//! Forms post here directly when JavaScript is off; success then redirects
//! (`leptos_axum::redirect`), an error goes back to the form with its message.

// The registration form has nine fields; the server macro turns them into
// arguments of the generated client function too.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dto::{FlowView, Me, PasswordRules, Profile};
use crate::error::AppError;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::super::service::{self, AccountRow};
    use super::super::sessions::{self, SessionRow};
    use crate::error::AppError;
    use crate::platform::session::{clear_cookie, cookie, request_token, set_cookie_header};
    use crate::platform::{AppState, clock};

    /// The caller's session, if signed in. `touch` counts this as activity.
    pub async fn current(state: &AppState, touch: bool) -> Result<Option<(String, SessionRow)>, AppError> {
        let Some(token) = request_token(&state.config) else { return Ok(None) };
        match sessions::find(&state.db, &token, clock::now(), touch).await? {
            Some(row) => Ok(Some((token, row))),
            None => {
                // Expired or unknown: the browser forgets it too.
                set_cookie_header(&clear_cookie(&state.config));
                Ok(None)
            }
        }
    }

    /// The signed-in account, or «Войдите…». `allow_expired_password` is
    /// true only for the page that changes an expired password.
    pub async fn require(
        state: &AppState,
        allow_expired_password: bool,
    ) -> Result<(String, SessionRow, AccountRow), AppError> {
        let (token, row) = current(state, true).await?.ok_or(AppError::Unauthorized)?;
        if row.must_change_password && !allow_expired_password {
            return Err(AppError::Forbidden);
        }
        let account = service::load(&state.db, &row.account).await?.ok_or(AppError::Unauthorized)?;
        Ok((token, row, account))
    }

    /// A fresh session for `account` and its cookie: a new token at every sign-in.
    pub async fn start_session(
        state: &AppState,
        account: &str,
        public: bool,
        must_change_password: bool,
    ) -> Result<(), AppError> {
        let s = &state.config.auth;
        let new = sessions::NewSession {
            account,
            public,
            must_change_password,
            ip: &crate::platform::session::client_ip(),
            user_agent: &crate::platform::session::user_agent(),
        };
        let token = sessions::create(&state.db, s, new, clock::now()).await?;
        // «Чужой компьютер»: a browser-session cookie, nothing kept on disk.
        let max_age = (!public).then(|| s.session_absolute.num_seconds());
        set_cookie_header(&cookie(&state.config, &token, max_age));
        Ok(())
    }

    /// A code step the caller may see: registration and recovery belong to
    /// whoever holds the flow id; a contact change to its signed-in owner only.
    pub async fn load_flow(
        state: &AppState,
        flow: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<super::super::flows::FlowRow, AppError> {
        let row = super::super::flows::load(&state.db, flow, now).await?;
        if row.purpose == "signin" {
            // The second step belongs to the browser that gave the password.
            let cookie = crate::platform::session::request_cookie(&state.config, crate::platform::session::SIGNIN, 32);
            if cookie.as_deref() != Some(flow) {
                return Err(AppError::invalid(super::super::flows::EXPIRED_FLOW));
            }
        }
        if row.purpose == "phone" || row.purpose == "email" {
            let (_, session, _) = require(state, false).await?;
            if row.account.as_deref() != Some(session.account.as_str()) {
                return Err(AppError::invalid(super::super::flows::EXPIRED_FLOW));
            }
        }
        Ok(row)
    }

    /// Only local paths (`/x`, not `//host` or `http:`) are followed after sign-in.
    /// Only plain local paths: `/`, then letters, digits and `/_?=&.%-`
    /// (no `//host`, no `\`, no tabs or line breaks a browser would drop).
    pub fn safe_next(next: Option<String>) -> String {
        next.filter(|n| {
            n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 512
                && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_?=&.%-".contains(&b))
                && !n.contains("%0")
        })
        .unwrap_or_else(|| "/profile".to_string())
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn only_plain_local_paths_are_followed() {
            let ok = |n: &str| super::safe_next(Some(n.to_string()));
            assert_eq!(ok("/security/journal?page=2"), "/security/journal?page=2");
            for bad in [
                "//evil.example",
                "/\\evil.example",
                "https://evil.example",
                "/%09/evil.example",
                "/\t/evil.example",
                "/%0A",
                "/x\ny",
                "profile",
                "",
            ] {
                assert_eq!(ok(bad), "/profile", "{bad:?}");
            }
        }
    }
}

/// The signed-in person, or None. Every page asks once as it renders.
#[server(endpoint = "account/me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    let state = crate::platform::app_state()?;
    let Some((_, row)) = ssr::current(&state, true).await? else { return Ok(None) };
    let Some(account) = super::service::load(&state.db, &row.account).await? else { return Ok(None) };
    let now = crate::platform::clock::now();
    Ok(Some(Me {
        short_name: account.short_name(),
        expires_in: (row.expires_at() - now).num_seconds(),
        warn_before: state.config.auth.session_warning.num_seconds(),
        must_change_password: row.must_change_password,
        public: row.public,
    }))
}

/// «Продлить»: the request itself is the activity that moves the deadline.
#[server(endpoint = "account/extend")]
pub async fn extend_session() -> Result<Option<Me>, AppError> {
    get_me().await
}

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
    let flow = super::service::start_registration(&state.db, &state.config.auth, &form, crate::platform::clock::now())
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
    state.outbox_wake.notify_one();
    leptos_axum::redirect(&format!("/register/confirm?flow={flow}"));
    Ok(())
}

/// The code page's view of a flow. Contact changes belong to the signed-in owner.
#[server(endpoint = "account/flow")]
pub async fn get_flow(flow: String) -> Result<FlowView, AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let row = ssr::load_flow(&state, &flow, now).await?;
    Ok(super::flows::view(&row, &state.config.auth, now))
}

/// «Отправить код ещё раз», «Отправить на почту / по SMS», «Получить код по телефону».
#[server(endpoint = "account/send_code")]
pub async fn send_code(flow: String, channel: String) -> Result<(), AppError> {
    use crate::platform::outbox::Channel;
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    ssr::load_flow(&state, &flow, now).await?;
    let channel = Channel::parse(&channel).ok_or_else(|| AppError::invalid("Неизвестный способ получения кода"))?;
    super::flows::send(&state.db, &state.config.auth, &flow, channel, now).await?;
    state.outbox_wake.notify_one();
    Ok(())
}

/// «Подтвердить» on the registration code page: the account is created and signed in.
#[server(endpoint = "account/confirm_registration")]
pub async fn confirm_registration(flow: String, code: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let account = super::service::finish_registration(&state.db, &flow, &code, crate::platform::clock::now()).await?;
    ssr::start_session(&state, &account, false, false).await?;
    crate::security::api::ssr::remember_device(&state, &account, &crate::platform::session::client()).await?;
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
    let now = crate::platform::clock::now();
    let client = crate::platform::session::client();
    let signed = super::signin::sign_in(
        &state.db,
        &state.config.auth,
        &state.config.public_url,
        &login,
        &password,
        &client,
        now,
    )
    .await
    .map_err(|e| e.with_values(&[("login", &login)]))?;
    state.outbox_wake.notify_one();
    let to = crate::security::api::ssr::after_password(
        &state,
        &signed.account,
        public.is_some(),
        signed.must_change_password,
        next,
    )
    .await?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// «Выйти»: the session ends on the server and the cookie is removed.
#[server(endpoint = "account/sign_out")]
pub async fn sign_out(#[server(default)] reason: Option<String>) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    if let Some((token, _)) = ssr::current(&state, false).await? {
        super::sessions::end(&state.db, &token).await?;
    }
    crate::platform::session::set_cookie_header(&crate::platform::session::clear_cookie(&state.config));
    leptos_axum::redirect(if reason.as_deref() == Some("timeout") {
        "/login?timeout=1"
    } else {
        "/login?signed_out=1"
    });
    Ok(())
}

/// «Забыли пароль?» step 1.
#[server(endpoint = "account/recover")]
pub async fn recover(login: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let flow = super::service::start_recovery(&state.db, &state.config.auth, &login, crate::platform::clock::now())
        .await
        .map_err(|e| e.with_values(&[("login", &login)]))?;
    state.outbox_wake.notify_one();
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
    state.outbox_wake.notify_one();
    crate::platform::session::set_cookie_header(&crate::platform::session::clear_cookie(&state.config));
    leptos_axum::redirect("/login?recovered=1");
    Ok(())
}

/// «Безопасность» → «Изменить пароль»: other sessions end.
#[server(endpoint = "account/change_password")]
pub async fn change_password(current: String, password: String, password2: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (token, _, account) = ssr::require(&state, false).await?;
    if current.is_empty() || !crate::platform::password::verify(current, account.password_hash.clone()).await? {
        return Err(AppError::field("current", "Текущий пароль введён неверно"));
    }
    super::service::set_password(&state.db, &state.config.auth, &account, &password, &password2, now).await?;
    super::sessions::end_all(&state.db, &account.key(), Some(&token)).await?;
    super::service::notify(
        &state.db,
        &state.config.public_url,
        &account,
        "Пароль изменён",
        "пароль от вашего личного кабинета изменён, другие сеансы завершены.",
        now,
    )
    .await?;
    state.outbox_wake.notify_one();
    leptos_axum::redirect("/security?changed=1");
    Ok(())
}

/// The password is older than allowed: a new one before anything else.
#[server(endpoint = "account/renew_password")]
pub async fn renew_password(password: String, password2: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (token, _, account) = ssr::require(&state, true).await?;
    super::service::set_password(&state.db, &state.config.auth, &account, &password, &password2, now).await?;
    super::sessions::end_all(&state.db, &account.key(), Some(&token)).await?;
    super::sessions::clear_must_change(&state.db, &token).await?;
    leptos_axum::redirect("/profile?password_renewed=1");
    Ok(())
}

/// «Личные данные».
#[server(endpoint = "account/profile")]
pub async fn get_profile() -> Result<Profile, AppError> {
    let state = crate::platform::app_state()?;
    let (_, _, account) = ssr::require(&state, false).await?;
    Ok(super::service::profile_of(&account))
}

/// «Сохранить» the postal address.
#[server(endpoint = "account/save_address")]
pub async fn save_address(postal_address: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let (_, _, account) = ssr::require(&state, false).await?;
    super::service::save_postal_address(&state.db, &account.key(), &postal_address)
        .await
        .map_err(|e| e.with_values(&[("postal_address", &postal_address)]))?;
    leptos_axum::redirect("/profile?saved=address");
    Ok(())
}

/// A new phone or e-mail: the code goes to the new contact.
#[server(endpoint = "account/change_contact")]
pub async fn change_contact(kind: String, value: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let (_, _, account) = ssr::require(&state, false).await?;
    let now = crate::platform::clock::now();
    let flow = super::service::start_contact_change(&state.db, &state.config.auth, &account.key(), &kind, &value, now)
        .await
        .map_err(|e| e.with_values(&[(kind.as_str(), &value)]))?;
    state.outbox_wake.notify_one();
    leptos_axum::redirect(&format!("/profile/confirm?flow={flow}"));
    Ok(())
}

/// The code from the new contact.
#[server(endpoint = "account/confirm_contact")]
pub async fn confirm_contact(flow: String, code: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let (_, _, account) = ssr::require(&state, false).await?;
    let now = crate::platform::clock::now();
    let kind =
        super::service::finish_contact_change(&state.db, &state.config.public_url, &account.key(), &flow, &code, now)
            .await?;
    state.outbox_wake.notify_one();
    leptos_axum::redirect(&format!("/profile?saved={kind}"));
    Ok(())
}
