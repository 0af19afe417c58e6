//! The sign-in orchestration every way in goes through: a right password
//! (`account`), a second-step code (`security`), a passkey
//! (`security::passkeys`), a confirmed registration.
//!
//! ```text
//!   right password ──▶ after_password ──┬─ no second step needed ──▶ complete ──▶ session
//!                                       └─ second step: flow bound to this browser
//!                                            (cookie + URL) ──▶ /login/second
//!   right second step / passkey ──────────────────────────────▶ complete ──▶ session
//! ```
//!
//! `complete` refuses an account that must recover first («Это был не я»)
//! or is disabled, ends whatever session the browser had, starts a new one,
//! records the journal, and tells the owner of a new device. Staff: the
//! second step offered is never SMS; without an app or passkey the session
//! is not strong and the staff console sends them to set one up.
//!
//! The rules themselves (`second_step_methods`, `landing`) are pure and
//! tested without a browser; the request facts (client, device cookie, now)
//! are read once by the server function and passed in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::accounts::{self, AccountRow};
use super::caller::{self, home_of, safe_next};
use super::flows::{self, FlowPurpose, FlowRow, NewFlow};
use super::model::Method;
use super::{cookies, devices, journal, lockout, mfa, sessions};
use crate::error::AppError;
use crate::platform::AppState;
use crate::platform::outbox::Channel;
use crate::platform::request::Client;

/// What the password step hands to the second step (kept in the flow).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub public: bool,
    pub next: String,
    pub must_change_password: bool,
}

/// The facts of this request that sign-in rules need, read once.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub client: Client,
    /// This browser's device cookie, if it has one.
    pub device: Option<String>,
    pub now: DateTime<Utc>,
}

impl Attempt {
    /// The facts of the request being served.
    pub fn of_request(state: &AppState) -> Attempt {
        Attempt {
            client: crate::platform::request::client(),
            device: cookies::request_cookie(&state.config, cookies::DEVICE, 64),
            now: crate::platform::clock::now(),
        }
    }
}

/// The second-step methods offered to `account` at sign-in, in order.
/// A citizen: those of «Двухэтапная проверка» while it is on. A staff
/// member: always a second step — every strong method they have (an app, a
/// passkey, backup codes), whether or not anything is «on»; with none, a
/// code to the phone the administrator entered (the session is then not
/// strong and the console stays shut until a strong step is set up).
pub fn second_step_methods(row: &mfa::MfaRow, account: &AccountRow, passkeys: usize) -> Vec<Method> {
    if account.roles.is_empty() {
        return mfa::sign_in_methods(row, account, passkeys);
    }
    let mut methods = Vec::new();
    if row.totp_secret.is_some() {
        methods.push(Method::Totp);
    }
    if passkeys > 0 {
        methods.push(Method::Passkey);
    }
    if !row.backup_hashes.is_empty() {
        methods.push(Method::Backup);
    }
    if methods.is_empty() && account.phone.is_some() && account.phone_confirmed {
        methods.push(Method::Sms);
    }
    methods
}

/// Where a finished sign-in goes: the expired-password page first, else
/// `next` if it is a plain local path, else the account's home.
pub fn landing(account: &AccountRow, must_change_password: bool, next: Option<String>) -> String {
    if must_change_password {
        return "/password/expired".to_string();
    }
    safe_next(next, home_of(account))
}

/// Why `account` may not finish signing in whatever it proved: «Это был не
/// я» asked for a recovery first, or the staff account was disabled.
pub fn refusal(account: &AccountRow) -> Option<&'static str> {
    if account.recovery_required == Some(true) {
        Some(lockout::RECOVERY_REQUIRED)
    } else if account.disabled {
        Some(lockout::DISABLED)
    } else {
        None
    }
}

/// How many passkeys the account has. The `passkey` table belongs to
/// `security::passkeys`; the kernel only counts its rows to know whether a
/// passkey can serve as the second step.
pub async fn passkey_count(state: &AppState, account: &str) -> Result<usize, AppError> {
    use crate::platform::db::QueryExt;
    let n: Option<i64> = state
        .db
        .query("SELECT VALUE count() FROM passkey WHERE account = $account GROUP ALL")
        .bind(("account", account.to_string()))
        .one("passkey count")
        .await?;
    Ok(usize::try_from(n.unwrap_or(0)).unwrap_or(0))
}

/// The second-step methods of `account` now (one round trip).
pub async fn methods_of(state: &AppState, account: &AccountRow) -> Result<(mfa::MfaRow, Vec<Method>), AppError> {
    let key = account.key();
    use crate::platform::db::QueryExt;
    let mut res = state
        .db
        .query(
            "SELECT * FROM ONLY type::record('mfa', $account);
             SELECT VALUE count() FROM passkey WHERE account = $account GROUP ALL;",
        )
        .bind(("account", key.clone()))
        .exec("second-step methods")
        .await?;
    let internal = |e| crate::platform::request::internal("second-step methods", e);
    let row: Option<mfa::MfaRow> = res.take(0).map_err(internal)?;
    let passkeys: Option<i64> = res.take(1).map_err(internal)?;
    let row = mfa::opened(row, &key);
    let methods = second_step_methods(&row, account, usize::try_from(passkeys.unwrap_or(0)).unwrap_or(0));
    Ok((row, methods))
}

/// After a right password: either the session starts, or (a second step
/// is on) the second step begins in this browser. Returns where to go.
pub async fn after_password(
    state: &AppState,
    account: &AccountRow,
    public: bool,
    must_change_password: bool,
    next: Option<String>,
    attempt: &Attempt,
    counter: lockout::Counter,
) -> Result<String, AppError> {
    let key = account.key();
    let (_, methods) = methods_of(state, account).await?;
    let Some(first) = methods.first().copied() else {
        let proof = Method::Password;
        let done = complete_with(state, account, public, must_change_password, proof, next, attempt, Some(counter));
        return Box::pin(done).await;
    };
    lockout::release(&state.db, &counter, attempt.now).await?;
    journal::record(
        &state.db,
        &key,
        Method::Password,
        true,
        "Пароль принят, запрошен второй шаг",
        &attempt.client,
        attempt.now,
    )
    .await?;
    let pending = Pending { public, next: landing(account, false, next), must_change_password };
    let data = serde_json::to_string(&pending).map_err(|e| crate::platform::request::internal("pending", e))?;
    let phone = account.phone.clone().filter(|_| account.phone_confirmed && methods.contains(&Method::Sms));
    let new = NewFlow {
        purpose: FlowPurpose::SignIn,
        account: Some(key),
        data: Some(data),
        phone,
        email: None,
        channel: Channel::Sms,
        taken: Vec::new(),
    };
    let flow = flows::create(&state.db, new, attempt.now).await?;
    if first == Method::Sms {
        flows::send(&state.db, &state.config.auth, &flow, Channel::Sms, attempt.now).await?;
        crate::notify::wake(state);
    }
    cookies::set_cookie_header(&cookies::set_named(&state.config, cookies::SIGNIN, &flow, Some(3600)));
    Ok(format!("/login/second?flow={flow}&method={}", first.as_str()))
}

/// The sign-in is proven by `method`: a fresh session, the journal, and a
/// notice when this browser is new for the account. Returns where to go.
pub async fn complete(
    state: &AppState,
    a: &AccountRow,
    public: bool,
    must_change_password: bool,
    method: Method,
    next: Option<String>,
    attempt: &Attempt,
) -> Result<String, AppError> {
    Box::pin(complete_with(state, a, public, must_change_password, method, next, attempt, None)).await
}

/// `complete`, releasing the lock counter a right password took a try
/// from (`counter`) in the same transaction.
#[allow(clippy::too_many_arguments)]
async fn complete_with(
    state: &AppState,
    a: &AccountRow,
    public: bool,
    must_change_password: bool,
    method: Method,
    next: Option<String>,
    attempt: &Attempt,
    counter: Option<lockout::Counter>,
) -> Result<String, AppError> {
    let key = a.key();
    let now = attempt.now;
    if let Some(why) = refusal(a) {
        let result = if why == lockout::DISABLED {
            "Учётная запись отключена"
        } else {
            "Вход приостановлен до восстановления"
        };
        journal::record(&state.db, &key, method, false, result, &attempt.client, now).await?;
        if let Some(counter) = &counter {
            lockout::release(&state.db, counter, now).await?;
        }
        return Err(AppError::invalid(why));
    }
    // Whatever session this browser had ends: a new token at every sign-in.
    if let Some((old, _)) = caller::current(state, false).await? {
        sessions::end(&state.db, &old).await?;
    }
    let must_change = must_change_password || a.password_temporary;
    // The session, the journal line and the device: one transaction, one
    // round trip (a sign-in's writes are most of what it costs besides the hash).
    let device = device_cookie(state, attempt);
    let client = &attempt.client;
    let (mut res, (token, kind)) = Box::pin(crate::platform::db::retrying_transaction("sign-in", || {
        let new = caller::new_session(a, &key, public, must_change, method, client);
        let kind = new.kind;
        let q = state.db.query("BEGIN TRANSACTION");
        let q = match &counter {
            Some(counter) => lockout::release_in(q, counter, now),
            None => q,
        };
        let q = devices::seen_in(q, &key, &device, &client.user_agent, now);
        let (q, token) = sessions::create_in(q, &state.config.auth, new, now);
        let q = journal::record_in(q, &key, method, true, "Вход выполнен", client, now);
        (q.query("COMMIT TRANSACTION").query("RETURN $d_new"), (token, kind))
    }))
    .await?;
    let last = res.num_statements().saturating_sub(1);
    let new_device: Option<bool> = res.take(last).map_err(|e| crate::platform::request::internal("sign-in", e))?;
    caller::set_session_cookie(state, kind, &token);
    if new_device.unwrap_or(false) {
        let text = format!(
            "выполнен вход в ваш личный кабинет с нового устройства: {}, IP-адрес {}, {} по московскому времени.",
            crate::format::describe_device(&attempt.client.user_agent),
            attempt.client.ip,
            crate::format::msk(now)
        );
        Box::pin(crate::notify::security_notice(
            &state.db,
            &state.config.public_url,
            a,
            "Вход с нового устройства",
            &text,
            now,
        ))
        .await?;
        crate::notify::wake(state);
    }
    Ok(landing(a, must_change, next))
}

/// Records this browser for `account` (giving it a device cookie if it
/// has none). True when the account has not seen it before.
pub async fn remember_device(state: &AppState, account: &str, attempt: &Attempt) -> Result<bool, AppError> {
    let device = device_cookie(state, attempt);
    devices::seen_device(&state.db, account, &device, &attempt.client.user_agent, attempt.now).await
}

/// This browser's device cookie; a new one (set in the answer) if it has none.
fn device_cookie(state: &AppState, attempt: &Attempt) -> String {
    match &attempt.device {
        Some(d) => d.clone(),
        None => {
            let d = cookies::new_token();
            // Five years: it only tells this browser from others.
            cookies::set_cookie_header(&cookies::set_named(&state.config, cookies::DEVICE, &d, Some(5 * 365 * 86400)));
            d
        }
    }
}

/// The pending sign-in of this browser.
pub async fn pending(state: &AppState, flow: &str) -> Result<(FlowRow, Pending, AccountRow), AppError> {
    let now = crate::platform::clock::now();
    let row = caller::load_flow(state, flow, now).await?;
    if row.purpose != FlowPurpose::SignIn {
        return Err(AppError::invalid(flows::EXPIRED_FLOW));
    }
    let pending: Pending = row
        .data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .ok_or_else(|| AppError::invalid(flows::EXPIRED_FLOW))?;
    let a = match row.account.as_deref() {
        Some(k) => accounts::load(&state.db, k).await?,
        None => None,
    }
    .ok_or_else(|| AppError::invalid(flows::EXPIRED_FLOW))?;
    Ok((row, pending, a))
}

/// The second step of `flow` is done: the flow and its cookie go.
pub async fn finish_pending(state: &AppState, flow: &str) -> Result<(), AppError> {
    flows::delete(&state.db, flow).await?;
    cookies::set_cookie_header(&cookies::clear_named(&state.config, cookies::SIGNIN));
    Ok(())
}

/// A strong second step was just set up in the caller's session (an app
/// confirmed by its first code, a passkey added). A staff member's first
/// sign-in (`enrol`) then opens the console without signing in again; any
/// other session stays as it was (`Caller::require_may_add_second_step`
/// let only strong and first sign-in sessions get here for staff).
pub async fn strengthened(state: &AppState, caller: &caller::Caller) -> Result<(), AppError> {
    if caller.session.enrol {
        sessions::set_strong(&state.db, &caller.token).await?;
    }
    Ok(())
}
