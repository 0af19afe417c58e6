//! The security server functions. Each finds the signed-in person first
//! (or, for the second step, the pending sign-in of this very browser).

use leptos::prelude::*;

use super::dto::{JournalPage, SecondStep, SessionView, TwoStep};
use crate::error::AppError;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::{DateTime, FixedOffset, Utc};
    use serde::{Deserialize, Serialize};

    use crate::account::api::ssr::{safe_next, start_session};
    use crate::account::flows::{self, NewFlow};
    use crate::account::service::{self, AccountRow};
    use crate::account::sessions;
    use crate::error::AppError;
    use crate::platform::outbox::Channel;
    use crate::platform::session::{self as cookies, Client};
    use crate::platform::{AppState, clock};
    use crate::security::model::Method;
    use crate::security::{alerts, journal, mfa};

    /// «22.11.2026 14:35» in Moscow time.
    pub fn msk(t: DateTime<Utc>) -> String {
        match FixedOffset::east_opt(3 * 3600) {
            Some(o) => t.with_timezone(&o).format("%d.%m.%Y %H:%M").to_string(),
            None => t.format("%d.%m.%Y %H:%M UTC").to_string(),
        }
    }

    /// What the password step hands to the second step (kept in the flow).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct Pending {
        pub public: bool,
        pub next: String,
        pub must_change_password: bool,
    }

    /// How many passkeys the account has (second step by passkey).
    pub async fn passkey_count(state: &AppState, account: &str) -> Result<usize, AppError> {
        Ok(crate::security::passkeys::service::list(&state.db, account).await?.len())
    }

    /// After a right password: either the session starts, or (two-step
    /// sign-in on) the second step begins in this browser. Returns where to go.
    pub async fn after_password(
        state: &AppState,
        account: &str,
        public: bool,
        must_change_password: bool,
        next: Option<String>,
    ) -> Result<String, AppError> {
        let now = clock::now();
        let a = service::load(&state.db, account).await?.ok_or(AppError::Unauthorized)?;
        let row = mfa::load(&state.db, account).await?;
        let methods = mfa::sign_in_methods(&row, &a, passkey_count(state, account).await?);
        let client = cookies::client();
        if methods.is_empty() {
            return complete(state, &a, public, must_change_password, Method::Password, next).await;
        }
        journal::record(&state.db, account, Method::Password, true, "Пароль принят, запрошен второй шаг", &client, now)
            .await?;
        let pending = Pending { public, next: safe_next(next), must_change_password };
        let data = serde_json::to_string(&pending).map_err(|e| crate::platform::request::internal("pending", e))?;
        let phone = a.phone.clone().filter(|_| a.phone_confirmed && methods.contains(&Method::Sms));
        let new = NewFlow {
            purpose: "signin",
            account: Some(account.to_string()),
            data: Some(data),
            phone,
            email: None,
            channel: Channel::Sms,
        };
        let flow = flows::create(&state.db, new, now).await?;
        if methods.first() == Some(&Method::Sms) {
            flows::send(&state.db, &state.config.auth, &flow, Channel::Sms, now).await?;
            state.outbox_wake.notify_one();
        }
        let max_age = Some(3600);
        cookies::set_cookie_header(&cookies::set_named(&state.config, cookies::SIGNIN, &flow, max_age));
        Ok(format!("/login/second?flow={flow}&method={}", methods[0].as_str()))
    }

    /// The sign-in is proven: a fresh session, the journal, and a notice
    /// when this browser is new for the account. Returns where to go.
    pub async fn complete(
        state: &AppState,
        a: &AccountRow,
        public: bool,
        must_change_password: bool,
        method: Method,
        next: Option<String>,
    ) -> Result<String, AppError> {
        let now = clock::now();
        let key = a.key();
        if a.recovery_required == Some(true) {
            journal::record(
                &state.db,
                &key,
                method,
                false,
                "Вход приостановлен до восстановления",
                &cookies::client(),
                now,
            )
            .await?;
            return Err(AppError::invalid(crate::account::signin::RECOVERY_REQUIRED));
        }
        // Whatever session this browser had ends: a new token at every sign-in.
        if let Some((old, _)) = crate::account::api::ssr::current(state, false).await? {
            sessions::end(&state.db, &old).await?;
        }
        start_session(state, &key, public, must_change_password).await?;
        let client = cookies::client();
        journal::record(&state.db, &key, method, true, "Вход выполнен", &client, now).await?;
        if remember_device(state, &key, &client).await? {
            let text = format!(
                "выполнен вход в ваш личный кабинет с нового устройства: {}, IP-адрес {}, {} по московскому времени.",
                super::super::model::describe_device(&client.user_agent),
                client.ip,
                msk(now)
            );
            service::notify(&state.db, &state.config.public_url, a, "Вход с нового устройства", &text, now).await?;
            state.outbox_wake.notify_one();
        }
        Ok(if must_change_password { "/password/expired".to_string() } else { safe_next(next) })
    }

    /// Records this browser for `account` (giving it a device cookie if it
    /// has none). True when the account has not seen it before.
    pub async fn remember_device(state: &AppState, account: &str, client: &Client) -> Result<bool, AppError> {
        let device = match cookies::request_cookie(&state.config, cookies::DEVICE, 64) {
            Some(d) => d,
            None => {
                let d = cookies::new_token();
                // Five years: it only tells this browser from others.
                cookies::set_cookie_header(&cookies::set_named(
                    &state.config,
                    cookies::DEVICE,
                    &d,
                    Some(5 * 365 * 86400),
                ));
                d
            }
        };
        alerts::seen_device(&state.db, account, &device, &client.user_agent, clock::now()).await
    }

    /// The pending sign-in of this browser.
    pub async fn pending(state: &AppState, flow: &str) -> Result<(flows::FlowRow, Pending, AccountRow), AppError> {
        let now = clock::now();
        let row = crate::account::api::ssr::load_flow(state, flow, now).await?;
        if row.purpose != "signin" {
            return Err(AppError::invalid(flows::EXPIRED_FLOW));
        }
        let pending: Pending = row
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok())
            .ok_or_else(|| AppError::invalid(flows::EXPIRED_FLOW))?;
        let a = match row.account.as_deref() {
            Some(k) => service::load(&state.db, k).await?,
            None => None,
        }
        .ok_or_else(|| AppError::invalid(flows::EXPIRED_FLOW))?;
        Ok((row, pending, a))
    }

    /// The signed-in account and whether its last proof is fresh enough for
    /// turning a method off or new backup codes.
    pub async fn require_fresh(state: &AppState) -> Result<(String, AccountRow), AppError> {
        let (token, session, a) = crate::account::api::ssr::require(state, false).await?;
        let fresh =
            super::super::model::proof_is_fresh(session.proof_at, state.config.auth.reauth_window, clock::now());
        if !fresh {
            return Err(AppError::field(
                "reauth",
                format!(
                    "Для этого действия подтвердите, что это вы: введите пароль (подтверждение действует {} мин)",
                    state.config.auth.reauth_window.num_minutes()
                ),
            ));
        }
        Ok((token, a))
    }
}

#[cfg(feature = "ssr")]
fn method_of(s: &str) -> Result<super::model::Method, AppError> {
    super::model::Method::parse(s).ok_or_else(|| AppError::invalid("Неизвестный способ подтверждения"))
}

/// The second step at sign-in, for its page.
#[server(endpoint = "security/second_step")]
pub async fn get_second_step(flow: String, method: Option<String>) -> Result<SecondStep, AppError> {
    use super::model::Method;
    let state = crate::platform::app_state()?;
    let (row, _, a) = ssr::pending(&state, &flow).await?;
    let m = super::mfa::load(&state.db, &a.key()).await?;
    let methods = super::mfa::sign_in_methods(&m, &a, ssr::passkey_count(&state, &a.key()).await?);
    let chosen = method.as_deref().and_then(Method::parse).filter(|x| methods.contains(x)).or(methods.first().copied());
    let Some(chosen) = chosen else { return Err(AppError::invalid(crate::account::flows::EXPIRED_FLOW)) };
    Ok(SecondStep {
        method: chosen.as_str().to_string(),
        methods: methods.iter().map(|x| (x.as_str().to_string(), x.label().to_string())).collect(),
        sms_sent: row.code_sent_at.is_some(),
        phone: row.phone.as_deref().map(crate::account::dto::mask_phone),
        backup_left: m.backup_hashes.len(),
    })
}

/// «Подтвердить» on the second step: the code of the chosen method.
#[server(endpoint = "security/second_step_confirm")]
pub async fn confirm_second_step(flow: String, method: String, code: String) -> Result<(), AppError> {
    use super::model::Method;
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (_, pending, a) = ssr::pending(&state, &flow).await?;
    let key = a.key();
    let client = crate::platform::session::client();
    let method = method_of(&method)?;
    if let Some(until) = crate::account::signin::locked_until(&state.db, &key, now).await? {
        super::journal::record(&state.db, &key, method, false, "Вход заблокирован", &client, now).await?;
        return Err(AppError::Locked { until: crate::account::signin::moscow_time(until, now) });
    }
    let code = super::model::clean_code(&code);
    if code.is_empty() {
        return Err(AppError::field("code", "Введите код"));
    }
    let spent = super::mfa::reserve_try(&state.db, &state.config.auth, &key, now).await?;
    let right = match method {
        Method::Sms => match crate::account::flows::check(&state.db, &flow, &code, now).await {
            Ok(_) => Ok(true),
            Err(e) if e.field_message("code").is_some() => Err(e),
            Err(e) => return Err(e),
        },
        Method::Totp | Method::Backup => super::mfa::check_code(&state.db, &key, method, &code, now).await,
        Method::Password | Method::Passkey => return Err(AppError::invalid("Этот способ здесь не подходит")),
    };
    match right {
        Ok(true) => {
            super::mfa::right_code(&state.db, &key, now).await?;
            crate::account::flows::delete(&state.db, &flow).await?;
            crate::platform::session::set_cookie_header(&crate::platform::session::clear_named(
                &state.config,
                crate::platform::session::SIGNIN,
            ));
            let to =
                ssr::complete(&state, &a, pending.public, pending.must_change_password, method, Some(pending.next))
                    .await?;
            if method == Method::Backup && !pending.must_change_password {
                let left = super::mfa::load(&state.db, &key).await?.backup_hashes.len();
                if left <= 3 {
                    leptos_axum::redirect(&format!("/security/2fa?backup_low={left}"));
                    return Ok(());
                }
            }
            leptos_axum::redirect(&to);
            Ok(())
        }
        other => {
            let shown = match other {
                Err(e) => e,
                Ok(_) => AppError::field("code", super::mfa::WRONG_CODE),
            };
            super::journal::record(&state.db, &key, method, false, "Неверный код", &client, now).await?;
            let counted =
                super::mfa::after_wrong(&state.db, &state.config.auth, &state.config.public_url, &key, spent, now)
                    .await?;
            state.outbox_wake.notify_one();
            if matches!(counted, AppError::Locked { .. }) {
                crate::account::flows::delete(&state.db, &flow).await?;
                return Err(counted);
            }
            // The SMS flow's own message says how many tries this code has.
            Err(if method == Method::Sms || shown.field_message("code") == Some(super::mfa::REUSED_CODE.to_string()) {
                shown
            } else {
                counted
            })
        }
    }
}

/// «Двухэтапная проверка» for its page.
#[server(endpoint = "security/two_step")]
pub async fn get_two_step() -> Result<TwoStep, AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (_, session, a) = crate::account::api::ssr::require(&state, false).await?;
    let m = super::mfa::load(&state.db, &a.key()).await?;
    let totp_pending = match m.totp_pending.as_deref().filter(|_| m.totp_secret.is_none()) {
        Some(key) => {
            let e = super::mfa::enrolment(key, &a)?;
            let grouped = e
                .key
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).to_string())
                .collect::<Vec<_>>()
                .join(" ");
            Some(super::dto::TotpEnrolment { key: grouped, qr: e.qr })
        }
        None => None,
    };
    Ok(TwoStep {
        on: m.on(),
        sms: m.sms,
        phone: a.phone.as_deref().filter(|_| a.phone_confirmed).map(crate::account::dto::mask_phone),
        totp: m.totp_secret.is_some(),
        totp_pending,
        backup_left: m.backup_hashes.len(),
        backup_created: m.backup_created_at.map(|t| ssr::msk(t)[..10].to_string()),
        proof_fresh: super::model::proof_is_fresh(session.proof_at, state.config.auth.reauth_window, now),
        proof_minutes: state.config.auth.reauth_window.num_minutes(),
        has_passkeys: ssr::passkey_count(&state, &a.key()).await? > 0,
    })
}

/// Tells the owner a method was added or removed, and gives first backup codes.
#[cfg(feature = "ssr")]
async fn method_changed(
    state: &crate::platform::AppState,
    token: &str,
    a: &crate::account::service::AccountRow,
    text: &str,
    first_backup: bool,
) -> Result<bool, AppError> {
    let now = crate::platform::clock::now();
    crate::account::service::notify(&state.db, &state.config.public_url, a, "Изменены настройки входа", text, now)
        .await?;
    state.outbox_wake.notify_one();
    if first_backup && super::mfa::load(&state.db, &a.key()).await?.backup_hashes.is_empty() {
        let codes = super::mfa::new_backup_codes(&state.db, &a.key(), now).await?;
        let session_key = crate::platform::session::token_hash(token);
        super::mfa::keep_for_reveal(&state.db, &session_key, &codes, now).await?;
        return Ok(true);
    }
    Ok(false)
}

/// «Включить» SMS codes.
#[server(endpoint = "security/sms_on")]
pub async fn enable_sms() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (token, _, a) = crate::account::api::ssr::require(&state, false).await?;
    super::mfa::enable_sms(&state.db, &a, now).await?;
    let text = "в вашем личном кабинете включена двухэтапная проверка: код по SMS.";
    let reveal = method_changed(&state, &token, &a, text, true).await?;
    leptos_axum::redirect(if reveal { "/security/2fa/backup" } else { "/security/2fa?on=sms" });
    Ok(())
}

/// «Подключить приложение»: a new key, shown with its QR code.
#[server(endpoint = "security/totp_start")]
pub async fn start_totp() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let (_, _, a) = crate::account::api::ssr::require(&state, false).await?;
    super::mfa::totp_start(&state.db, &a, crate::platform::clock::now()).await?;
    leptos_axum::redirect("/security/2fa?add=totp#totp");
    Ok(())
}

/// The first code from the app: the app is on.
#[server(endpoint = "security/totp_confirm")]
pub async fn confirm_totp(code: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let (token, _, a) = crate::account::api::ssr::require(&state, false).await?;
    super::mfa::totp_confirm(&state.db, &a.key(), &code, crate::platform::clock::now()).await?;
    let text = "в вашем личном кабинете включена двухэтапная проверка: код из приложения.";
    let reveal = method_changed(&state, &token, &a, text, true).await?;
    leptos_axum::redirect(if reveal { "/security/2fa/backup" } else { "/security/2fa?on=totp" });
    Ok(())
}

/// «Отключить» a method (needs a fresh proof).
#[server(endpoint = "security/method_off")]
pub async fn disable_method(method: String) -> Result<(), AppError> {
    use super::model::Method;
    let state = crate::platform::app_state()?;
    let (token, a) = ssr::require_fresh(&state).await?;
    let m = method_of(&method)?;
    super::mfa::disable(&state.db, &a.key(), m, crate::platform::clock::now()).await?;
    let what = match m {
        Method::Sms => "код по SMS",
        Method::Totp => "код из приложения",
        _ => "резервные коды",
    };
    method_changed(&state, &token, &a, &format!("в вашем личном кабинете отключён способ входа: {what}."), false)
        .await?;
    leptos_axum::redirect(&format!("/security/2fa?off={}", m.as_str()));
    Ok(())
}

/// «Создать новые резервные коды» (needs a fresh proof; old ones stop working).
#[server(endpoint = "security/backup_new")]
pub async fn regenerate_backup_codes() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (token, a) = ssr::require_fresh(&state).await?;
    let codes = super::mfa::new_backup_codes(&state.db, &a.key(), now).await?;
    super::mfa::keep_for_reveal(&state.db, &crate::platform::session::token_hash(&token), &codes, now).await?;
    method_changed(
        &state,
        &token,
        &a,
        "в вашем личном кабинете созданы новые резервные коды, прежние больше не действуют.",
        false,
    )
    .await?;
    leptos_axum::redirect("/security/2fa/backup");
    Ok(())
}

/// The new backup codes, once.
#[server(endpoint = "security/backup_reveal")]
pub async fn get_backup_reveal() -> Result<Option<Vec<String>>, AppError> {
    let state = crate::platform::app_state()?;
    let (token, _, _) = crate::account::api::ssr::require(&state, false).await?;
    super::mfa::take_reveal(&state.db, &crate::platform::session::token_hash(&token), crate::platform::clock::now())
        .await
}

/// «Подтвердить» the password for a change that needs a fresh proof.
#[server(endpoint = "security/reauth")]
pub async fn reauthenticate(password: String, #[server(default)] next: Option<String>) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (token, _, a) = crate::account::api::ssr::require(&state, false).await?;
    let client = crate::platform::session::client();
    if password.is_empty() {
        return Err(AppError::field("password", "Введите пароль"));
    }
    if !crate::platform::password::verify(password, a.password_hash.clone()).await? {
        super::journal::record(
            &state.db,
            &a.key(),
            super::model::Method::Password,
            false,
            "Неверный пароль при подтверждении действия",
            &client,
            now,
        )
        .await?;
        let counted =
            super::mfa::wrong_code(&state.db, &state.config.auth, &state.config.public_url, &a.key(), now).await?;
        if let AppError::Locked { .. } = counted {
            crate::account::sessions::end_all(&state.db, &a.key(), None).await?;
            return Err(counted);
        }
        return Err(AppError::field("password", "Пароль введён неверно"));
    }
    crate::account::sessions::set_proof(&state.db, &token, now).await?;
    super::mfa::right_code(&state.db, &a.key(), now).await?;
    let next = next.filter(|n| n == "/security/passkeys").unwrap_or_else(|| "/security/2fa".to_string());
    leptos_axum::redirect(&format!("{next}?proof=password"));
    Ok(())
}

/// «Активные сеансы».
#[server(endpoint = "security/sessions")]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (token, current, a) = crate::account::api::ssr::require(&state, false).await?;
    let _ = token;
    let rows = crate::account::sessions::list(&state.db, &a.key(), now).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(SessionView {
                current: r.id == current.id,
                id: r.public_id.clone()?,
                device: super::model::describe_device(&r.user_agent),
                ip: r.ip.clone(),
                started: ssr::msk(r.created_at),
                last_seen: ssr::msk(r.last_seen_at),
                public: r.public,
            })
        })
        .collect())
}

/// «Завершить» one session of the list.
#[server(endpoint = "security/session_end")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let (_, current, a) = crate::account::api::ssr::require(&state, false).await?;
    if current.public_id.as_deref() == Some(id.as_str()) {
        return Err(AppError::invalid("Это текущий сеанс: чтобы завершить его, нажмите «Выйти»"));
    }
    if !crate::account::sessions::end_by_public_id(&state.db, &a.key(), &id).await? {
        return Err(AppError::invalid("Этот сеанс уже завершён"));
    }
    leptos_axum::redirect(&format!("/security/sessions?ended={id}"));
    Ok(())
}

/// «Завершить все другие сеансы».
#[server(endpoint = "security/sessions_end_others")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let (token, _, a) = crate::account::api::ssr::require(&state, false).await?;
    crate::account::sessions::end_all(&state.db, &a.key(), Some(&token)).await?;
    leptos_axum::redirect("/security/sessions?ended=all");
    Ok(())
}

/// «Журнал входов», page `page` (from 1).
#[server(endpoint = "security/journal")]
pub async fn get_journal(page: u32) -> Result<JournalPage, AppError> {
    const PER_PAGE: u32 = 20;
    let state = crate::platform::app_state()?;
    let (_, _, a) = crate::account::api::ssr::require(&state, false).await?;
    let page = page.max(1);
    let (rows, total) = super::journal::page(&state.db, &a.key(), page, PER_PAGE).await?;
    let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE))).unwrap_or(u32::MAX).max(1);
    Ok(JournalPage {
        entries: rows
            .into_iter()
            .map(|r| super::dto::JournalEntry {
                at: ssr::msk(r.at),
                ok: r.ok,
                result: r.result,
                method: super::model::Method::parse(&r.method).map(|m| m.label().to_string()).unwrap_or(r.method),
                ip: r.ip,
                device: super::model::describe_device(&r.user_agent),
            })
            .collect(),
        page,
        pages,
        total,
    })
}

/// Whether a «Это был не я» link is live (its page shows the button only then).
#[server(endpoint = "security/not_me_check")]
pub async fn check_not_me(t: String) -> Result<bool, AppError> {
    let state = crate::platform::app_state()?;
    Ok(super::alerts::link_account(&state.db, &t, crate::platform::clock::now()).await?.is_some())
}

/// «Это был не я»: every session ends; sign-in waits for a recovery.
#[server(endpoint = "security/not_me")]
pub async fn not_me(t: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let account = super::alerts::not_me(&state.db, &t, now).await?;
    let client = crate::platform::session::client();
    super::journal::record(
        &state.db,
        &account,
        super::model::Method::Password,
        false,
        "«Это был не я»: сеансы завершены, вход приостановлен",
        &client,
        now,
    )
    .await?;
    crate::platform::session::set_cookie_header(&crate::platform::session::clear_cookie(&state.config));
    leptos_axum::redirect("/not-me?done=1");
    Ok(())
}

/// The second step by passkey, step 1: options listing the pending
/// account's passkeys.
#[server(endpoint = "security/second_step_passkey_start")]
pub async fn second_step_passkey_start(
    flow: String,
) -> Result<super::passkeys::model::AuthenticationChallenge, AppError> {
    let state = crate::platform::app_state()?;
    let (_, _, a) = ssr::pending(&state, &flow).await?;
    let wa = super::passkeys::service::webauthn(&state.config.passkeys)?;
    let (challenge, options) =
        super::passkeys::service::start_for_account(&state.db, &wa, &a.key(), crate::platform::clock::now()).await?;
    Ok(super::passkeys::model::AuthenticationChallenge { challenge, options })
}

/// The second step by passkey, step 2: the signature checked, the sign-in
/// completes. Returns where to go.
#[server(endpoint = "security/second_step_passkey_finish")]
pub async fn second_step_passkey_finish(
    flow: String,
    challenge: String,
    credential: String,
) -> Result<String, AppError> {
    use super::model::Method;
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let (_, pending, a) = ssr::pending(&state, &flow).await?;
    let key = a.key();
    if let Some(until) = crate::account::signin::locked_until(&state.db, &key, now).await? {
        return Err(AppError::Locked { until: crate::account::signin::moscow_time(until, now) });
    }
    let wa = super::passkeys::service::webauthn(&state.config.passkeys)?;
    let client = crate::platform::session::client();
    match super::passkeys::service::finish_for_account(&state.db, &wa, &challenge, &credential, now).await {
        Ok(verified) if verified == key => {}
        Ok(_) | Err(_) => {
            super::journal::record(&state.db, &key, Method::Passkey, false, "Ключ доступа не подошёл", &client, now)
                .await?;
            return Err(AppError::invalid(super::passkeys::model::UNKNOWN_PASSKEY));
        }
    }
    super::mfa::right_code(&state.db, &key, now).await?;
    crate::account::flows::delete(&state.db, &flow).await?;
    crate::platform::session::set_cookie_header(&crate::platform::session::clear_named(
        &state.config,
        crate::platform::session::SIGNIN,
    ));
    ssr::complete(&state, &a, pending.public, pending.must_change_password, Method::Passkey, Some(pending.next)).await
}
