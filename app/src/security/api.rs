//! The security server functions. Each finds the signed-in person first
//! (or, for the second step, the pending sign-in of this very browser).

use leptos::prelude::*;

use super::dto::{JournalPage, SecondStep, SessionView, TwoStep};
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn method_of(s: &str) -> Result<crate::auth::model::Method, AppError> {
    crate::auth::model::Method::parse(s).ok_or_else(|| AppError::invalid("Неизвестный способ подтверждения"))
}

/// The second step at sign-in, for its page.
#[server(endpoint = "security/second_step")]
pub async fn get_second_step(flow: String, method: Option<String>) -> Result<SecondStep, AppError> {
    use crate::auth::model::Method;
    let state = crate::platform::app_state()?;
    let (row, _, a) = crate::auth::signin::pending(&state, &flow).await?;
    let (m, methods) = crate::auth::signin::methods_of(&state, &a).await?;
    let chosen = method.as_deref().and_then(Method::parse).filter(|x| methods.contains(x)).or(methods.first().copied());
    let Some(chosen) = chosen else { return Err(AppError::invalid(crate::auth::flows::EXPIRED_FLOW)) };
    Ok(SecondStep {
        method: chosen.as_str().to_string(),
        methods: methods.iter().map(|x| (x.as_str().to_string(), x.label().to_string())).collect(),
        sms_sent: row.code_sent_at.is_some(),
        phone: row.phone.as_deref().map(crate::format::mask_phone),
        backup_left: m.backup_hashes.len(),
    })
}

/// «Подтвердить» on the second step: the code of the chosen method.
#[server(endpoint = "security/second_step_confirm")]
pub async fn confirm_second_step(flow: String, method: String, code: String) -> Result<(), AppError> {
    use crate::auth::model::Method;
    let state = crate::platform::app_state()?;
    let attempt = crate::auth::signin::Attempt::of_request(&state);
    let (now, client) = (attempt.now, attempt.client.clone());
    let (_, pending, a) = crate::auth::signin::pending(&state, &flow).await?;
    let key = a.key();
    let method = method_of(&method)?;
    // Only a method this account may use now (staff: never SMS).
    if !crate::auth::signin::methods_of(&state, &a).await?.1.contains(&method) {
        return Err(AppError::invalid("Этот способ здесь не подходит"));
    }
    if let Some(until) = crate::auth::lockout::locked_until(&state.db, &key, attempt.device.as_deref(), now).await? {
        crate::auth::journal::record(&state.db, &key, method, false, "Вход заблокирован", &client, now).await?;
        return Err(AppError::Locked { until: crate::format::moscow_time(until, now) });
    }
    let code = crate::auth::model::clean_code(&code);
    if code.is_empty() {
        return Err(AppError::field("code", "Введите код"));
    }
    let spent = crate::auth::mfa::reserve_try(&state.db, &state.config.auth, &key, now).await?;
    let right = match method {
        Method::Sms => {
            match crate::auth::flows::check(&state.db, &flow, &[crate::auth::flows::FlowPurpose::SignIn], &code, now)
                .await
            {
                Ok(_) => Ok(true),
                Err(e) if e.field_message("code").is_some() => Err(e),
                Err(e) => return Err(e),
            }
        }
        Method::Totp | Method::Backup => crate::auth::mfa::check_code(&state.db, &key, method, &code, now).await,
        Method::Password | Method::Passkey => return Err(AppError::invalid("Этот способ здесь не подходит")),
    };
    match right {
        Ok(true) => {
            crate::auth::mfa::right_code(&state.db, &key, now).await?;
            crate::auth::signin::finish_pending(&state, &flow).await?;
            let to = crate::auth::signin::complete(
                &state,
                &a,
                pending.public,
                pending.must_change_password,
                method,
                Some(pending.next),
                &attempt,
            )
            .await?;
            if method == Method::Backup && !pending.must_change_password {
                let left = crate::auth::mfa::load(&state.db, &key).await?.backup_hashes.len();
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
                Ok(_) => AppError::field("code", crate::auth::mfa::WRONG_CODE),
            };
            crate::auth::journal::record(&state.db, &key, method, false, "Неверный код", &client, now).await?;
            let counted = crate::auth::mfa::after_wrong(
                &state.db,
                &state.config.auth,
                &state.config.public_url,
                &key,
                attempt.device.as_deref(),
                spent,
                now,
            )
            .await?;
            crate::notify::wake(&state);
            if matches!(counted, AppError::Locked { .. }) {
                crate::auth::flows::delete(&state.db, &flow).await?;
                return Err(counted);
            }
            // The SMS flow's own message says how many tries this code has.
            Err(
                if method == Method::Sms
                    || shown.field_message("code") == Some(crate::auth::mfa::REUSED_CODE.to_string())
                {
                    shown
                } else {
                    counted
                },
            )
        }
    }
}

/// «Двухэтапная проверка» for its page.
#[server(endpoint = "security/two_step")]
pub async fn get_two_step() -> Result<TwoStep, AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    let (session, a) = (&caller.session, &caller.account);
    let m = crate::auth::mfa::load(&state.db, &a.key()).await?;
    let proof_fresh = crate::auth::model::proof_is_fresh(session.proof_at, state.config.auth.reauth_window, now);
    // The pending key is shown only with a fresh proof: a session left open
    // must not read a key the owner may confirm later.
    let totp_pending = match m.totp_pending.as_deref().filter(|_| m.totp_secret.is_none() && proof_fresh) {
        Some(key) => {
            let e = crate::auth::mfa::enrolment(key, a)?;
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
        phone: a.phone.as_deref().filter(|_| a.phone_confirmed).map(crate::format::mask_phone),
        totp: m.totp_secret.is_some(),
        totp_pending,
        backup_left: m.backup_hashes.len(),
        backup_created: m.backup_created_at.map(|t| crate::format::msk(t)[..10].to_string()),
        proof_fresh,
        proof_minutes: state.config.auth.reauth_window.num_minutes(),
        has_passkeys: crate::auth::signin::passkey_count(&state, &a.key()).await? > 0,
        staff: caller.is_staff(),
        may_set_up: caller.require_may_add_second_step().is_ok(),
        strong: session.strong,
    })
}

/// Tells the owner a method was added or removed, and gives first backup codes.
#[cfg(feature = "ssr")]
async fn method_changed(
    state: &crate::platform::AppState,
    token: &str,
    a: &crate::auth::accounts::AccountRow,
    text: &str,
    first_backup: bool,
) -> Result<bool, AppError> {
    let now = crate::platform::clock::now();
    crate::notify::security_notice(&state.db, &state.config.public_url, a, "Изменены настройки входа", text, now)
        .await?;
    crate::notify::wake(state);
    if first_backup && crate::auth::mfa::load(&state.db, &a.key()).await?.backup_hashes.is_empty() {
        let codes = crate::auth::mfa::new_backup_codes(&state.db, &a.key(), now).await?;
        let session_key = crate::auth::cookies::token_hash(token);
        crate::auth::mfa::keep_for_reveal(&state.db, &session_key, &codes, now).await?;
        return Ok(true);
    }
    Ok(false)
}

/// «Включить» SMS codes.
#[server(endpoint = "security/sms_on")]
pub async fn enable_sms() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    caller.require_may_add_second_step()?;
    // A second step the owner does not hold would lock them out: adding one
    // needs a fresh proof, like turning one off.
    caller.require_fresh_proof(state.config.auth.reauth_window, now)?;
    crate::auth::mfa::enable_sms(&state.db, &caller.account, now).await?;
    let text = "в вашем личном кабинете включена двухэтапная проверка: код по SMS.";
    let reveal = method_changed(&state, &caller.token, &caller.account, text, true).await?;
    leptos_axum::redirect(if reveal { "/security/2fa/backup" } else { "/security/2fa?on=sms" });
    Ok(())
}

/// «Подключить приложение»: a new key, shown with its QR code.
#[server(endpoint = "security/totp_start")]
pub async fn start_totp() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let now = crate::platform::clock::now();
    caller.require_may_add_second_step()?;
    caller.require_fresh_proof(state.config.auth.reauth_window, now)?;
    crate::auth::mfa::totp_start(&state.db, &caller.account, now).await?;
    leptos_axum::redirect("/security/2fa?add=totp#totp");
    Ok(())
}

/// The first code from the app: the app is on.
#[server(endpoint = "security/totp_confirm")]
pub async fn confirm_totp(code: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let now = crate::platform::clock::now();
    caller.require_may_add_second_step()?;
    caller.require_fresh_proof(state.config.auth.reauth_window, now)?;
    crate::auth::mfa::totp_confirm(&state.db, &caller.key(), &code, now).await?;
    // The first code proves the app is in this person's hands: a staff
    // member may open the console without signing in again.
    crate::auth::signin::strengthened(&state, &caller).await?;
    let text = "в вашем личном кабинете включена двухэтапная проверка: код из приложения.";
    let reveal = method_changed(&state, &caller.token, &caller.account, text, true).await?;
    leptos_axum::redirect(if reveal {
        "/security/2fa/backup"
    } else if caller.is_staff() {
        "/staff"
    } else {
        "/security/2fa?on=totp"
    });
    Ok(())
}

/// «Отключить» a method (needs a fresh proof).
#[server(endpoint = "security/method_off")]
pub async fn disable_method(method: String) -> Result<(), AppError> {
    use crate::auth::model::Method;
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    caller.require_fresh_proof(state.config.auth.reauth_window, now)?;
    let (token, a) = (&caller.token, &caller.account);
    let m = method_of(&method)?;
    crate::auth::mfa::disable(&state.db, &a.key(), m, now).await?;
    let what = match m {
        Method::Sms => "код по SMS",
        Method::Totp => "код из приложения",
        _ => "резервные коды",
    };
    method_changed(&state, token, a, &format!("в вашем личном кабинете отключён способ входа: {what}."), false).await?;
    leptos_axum::redirect(&format!("/security/2fa?off={}", m.as_str()));
    Ok(())
}

/// «Создать новые резервные коды» (needs a fresh proof; old ones stop working).
#[server(endpoint = "security/backup_new")]
pub async fn regenerate_backup_codes() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    caller.require_fresh_proof(state.config.auth.reauth_window, now)?;
    caller.require_may_add_second_step()?;
    let (token, a) = (&caller.token, &caller.account);
    let codes = crate::auth::mfa::new_backup_codes(&state.db, &a.key(), now).await?;
    crate::auth::mfa::keep_for_reveal(&state.db, &crate::auth::cookies::token_hash(token), &codes, now).await?;
    method_changed(
        &state,
        token,
        a,
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
    let token = crate::auth::caller::citizen(&state).await?.token;
    crate::auth::mfa::take_reveal(&state.db, &crate::auth::cookies::token_hash(&token), crate::platform::clock::now())
        .await
}

/// «Подтвердить» the password for a change that needs a fresh proof.
#[server(endpoint = "security/reauth")]
pub async fn reauthenticate(password: String, #[server(default)] next: Option<String>) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    crate::auth::caller::prove_password(&state, &caller, password, now).await?;
    let next =
        next.filter(|n| n == "/security/passkeys" || n == "/profile").unwrap_or_else(|| "/security/2fa".to_string());
    leptos_axum::redirect(&format!("{next}?proof=password"));
    Ok(())
}

/// «Активные сеансы».
#[server(endpoint = "security/sessions")]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::citizen(&state).await?;
    let (current, a) = (&caller.session, &caller.account);
    let rows = crate::auth::sessions::list(&state.db, &a.key(), now).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(SessionView {
                current: r.id == current.id,
                id: r.public_id.clone()?,
                device: crate::format::describe_device(&r.user_agent),
                ip: r.ip.clone(),
                started: crate::format::msk(r.created_at),
                last_seen: crate::format::msk(r.last_seen_at),
                public: r.public,
            })
        })
        .collect())
}

/// «Завершить» one session of the list.
#[server(endpoint = "security/session_end")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    let (current, a) = (&caller.session, &caller.account);
    if current.public_id.as_deref() == Some(id.as_str()) {
        return Err(AppError::invalid("Это текущий сеанс: чтобы завершить его, нажмите «Выйти»"));
    }
    if !crate::auth::sessions::end_by_public_id(&state.db, &a.key(), &id).await? {
        return Err(AppError::invalid("Этот сеанс уже завершён"));
    }
    leptos_axum::redirect(&format!("/security/sessions?ended={id}"));
    Ok(())
}

/// «Завершить все другие сеансы».
#[server(endpoint = "security/sessions_end_others")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::citizen(&state).await?;
    crate::auth::sessions::end_all(&state.db, &caller.key(), Some(&caller.token)).await?;
    leptos_axum::redirect("/security/sessions?ended=all");
    Ok(())
}

/// «Журнал входов», page `page` (from 1).
#[server(endpoint = "security/journal")]
pub async fn get_journal(page: u32) -> Result<JournalPage, AppError> {
    const PER_PAGE: u32 = 20;
    let state = crate::platform::app_state()?;
    let a = crate::auth::caller::citizen(&state).await?.account;
    let page = page.max(1);
    let (rows, total) = crate::auth::journal::page(&state.db, &a.key(), page, PER_PAGE).await?;
    let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE))).unwrap_or(u32::MAX).max(1);
    Ok(JournalPage {
        entries: rows
            .into_iter()
            .map(|r| super::dto::JournalEntry {
                at: crate::format::msk(r.at),
                ok: r.ok,
                result: r.result,
                method: r.method.label().to_string(),
                ip: r.ip,
                device: crate::format::describe_device(&r.user_agent),
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
    Ok(crate::notify::link_account(&state.db, &t, crate::platform::clock::now()).await?.is_some())
}

/// «Это был не я»: every session ends; sign-in waits for a recovery.
#[server(endpoint = "security/not_me")]
pub async fn not_me(t: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let account = super::alerts::not_me(&state.db, &t, now).await?;
    let client = crate::platform::request::client();
    crate::auth::journal::record(
        &state.db,
        &account,
        crate::auth::model::Method::Password,
        false,
        "«Это был не я»: сеансы завершены, вход приостановлен",
        &client,
        now,
    )
    .await?;
    crate::auth::cookies::set_cookie_header(&crate::auth::cookies::clear_cookie(&state.config));
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
    let (_, _, a) = crate::auth::signin::pending(&state, &flow).await?;
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
    use crate::auth::model::Method;
    let state = crate::platform::app_state()?;
    let attempt = crate::auth::signin::Attempt::of_request(&state);
    let now = attempt.now;
    let (_, pending, a) = crate::auth::signin::pending(&state, &flow).await?;
    let key = a.key();
    if let Some(until) = crate::auth::lockout::locked_until(&state.db, &key, attempt.device.as_deref(), now).await? {
        return Err(AppError::Locked { until: crate::format::moscow_time(until, now) });
    }
    let wa = super::passkeys::service::webauthn(&state.config.passkeys)?;
    let client = &attempt.client;
    match super::passkeys::service::finish_for_account(&state.db, &wa, &challenge, &credential, now).await {
        Ok(verified) if verified == key => {}
        Ok(_) | Err(_) => {
            crate::auth::journal::record(
                &state.db,
                &key,
                Method::Passkey,
                false,
                "Ключ доступа не подошёл",
                client,
                now,
            )
            .await?;
            return Err(AppError::invalid(super::passkeys::model::UNKNOWN_PASSKEY));
        }
    }
    crate::auth::mfa::right_code(&state.db, &key, now).await?;
    crate::auth::signin::finish_pending(&state, &flow).await?;
    crate::auth::signin::complete(
        &state,
        &a,
        pending.public,
        pending.must_change_password,
        Method::Passkey,
        Some(pending.next),
        &attempt,
    )
    .await
}
