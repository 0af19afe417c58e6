//! Who is calling a server function, and what they may do. Every server
//! function starts here:
//!
//! - `citizen(&state)`: any signed-in person whose password is current
//!   (staff too: their own profile and security settings);
//! - `renewing_password(&state)`: the one page that changes an expired or
//!   temporary password;
//! - `staff(&state, role)`: a staff member holding `role`, whose account is
//!   not disabled and whose session passed a strong second step (an
//!   authenticator app, a backup code or a passkey; never SMS alone). It
//!   gives a `StaffCaller`, the only way to one, so a service that takes it
//!   cannot be reached by a weak session.
//!
//! Each gives a `Caller`; services of the areas take `&Caller` and keep
//! their own rules («an official sees only their department's cases»)
//! next to their data. Authorization never lives in the UI alone.
//! This module never logs or returns a session token.

use chrono::{DateTime, TimeDelta, Utc};

use super::accounts::{self, AccountRow};
use super::cookies::{clear_cookie, cookie, request_token, set_cookie_header};
use super::flows::{self, FlowPurpose, FlowRow};
use super::model::{Level, Method, Role};
use super::sessions::{self, NewSession, SessionKind, SessionRow};
use crate::error::AppError;
use crate::platform::request::Client;
use crate::platform::{AppState, clock};

/// The session cookie's value. Prints as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A token made outside a request (tests, the authorization table).
    #[doc(hidden)]
    pub fn for_tests(token: String) -> SessionToken {
        SessionToken(token)
    }
}

impl std::ops::Deref for SessionToken {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(***)")
    }
}

/// The signed-in caller of a server function.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: SessionToken,
    pub session: SessionRow,
    pub account: AccountRow,
}

impl Caller {
    /// The account's key.
    pub fn key(&self) -> String {
        self.account.key()
    }

    /// The account's key, borrowed.
    pub fn key_ref(&self) -> &str {
        match &self.account.id.key {
            surrealdb::types::RecordIdKey::String(s) => s,
            _ => "",
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.account.roles.contains(&role)
    }

    pub fn is_staff(&self) -> bool {
        !self.account.roles.is_empty()
    }

    /// The account's level.
    pub fn level(&self) -> Level {
        self.account.level
    }

    /// «Нужна учётная запись уровня …» unless the account is at `needed`
    /// or higher. Every area's service asks this for what it opens.
    pub fn require_level(&self, needed: Level) -> Result<(), AppError> {
        if self.account.level >= needed {
            return Ok(());
        }
        Err(AppError::LevelTooLow { needed: needed.label().to_string(), message: needed.needed_message() })
    }

    /// «Недостаточно прав» unless the caller holds `role`.
    pub fn require_role(&self, role: Role) -> Result<(), AppError> {
        if self.has_role(role) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// Adding a second step (an app, a passkey, backup codes, SMS). A staff
    /// member may add one only in a session that passed a strong one, or
    /// in the first sign-in with a temporary password: otherwise a stolen
    /// password and a diverted SIM would be enough to make a strong session
    /// (with a new app) and open the staff console.
    pub fn require_may_add_second_step(&self) -> Result<(), AppError> {
        if !self.is_staff() || self.session.strong || self.session.enrol {
            return Ok(());
        }
        Err(AppError::invalid(STAFF_SETUP_BY_ADMIN))
    }

    /// A change that needs the password (or a passkey) given within
    /// `window`: turning a second step off, new backup codes, a passkey.
    pub fn require_fresh_proof(&self, window: TimeDelta, now: DateTime<Utc>) -> Result<(), AppError> {
        if super::model::proof_is_fresh(self.session.proof_at, window, now) {
            return Ok(());
        }
        Err(AppError::field(
            "reauth",
            format!(
                "Для этого действия подтвердите, что это вы: введите пароль (подтверждение действует {} мин)",
                window.num_minutes()
            ),
        ))
    }
}

pub const STAFF_SETUP_BY_ADMIN: &str = "Сотрудник подключает второй шаг входа при первом входе по временному паролю \
     или войдя с уже подключённым приложением или ключом доступа. Обратитесь к администратору портала: он выдаст \
     новый временный пароль";

/// A staff member whose session passed a strong second step, holding the
/// role they were asked for. Made only by `staff()`.
#[derive(Debug, Clone)]
pub struct StaffCaller(Caller);

impl StaffCaller {
    /// A staff caller made outside a request (service tests).
    #[doc(hidden)]
    pub fn for_tests(caller: Caller) -> StaffCaller {
        StaffCaller(caller)
    }
}

impl std::ops::Deref for StaffCaller {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.0
    }
}

/// The caller's session, if signed in. `touch` counts this as activity.
pub async fn current(state: &AppState, touch: bool) -> Result<Option<(SessionToken, SessionRow)>, AppError> {
    let Some(token) = request_token(&state.config) else { return Ok(None) };
    match sessions::find(&state.db, &token, clock::now(), touch).await? {
        Some(row) => Ok(Some((SessionToken(token), row))),
        None => {
            // Expired or unknown: the browser forgets it too.
            set_cookie_header(&clear_cookie(&state.config));
            Ok(None)
        }
    }
}

/// The signed-in account whatever the state of its password; a disabled
/// staff account is signed out here too (its sessions were ended when it
/// was disabled; this closes the race).
async fn signed_in(state: &AppState) -> Result<Caller, AppError> {
    let (token, session) = current(state, true).await?.ok_or(AppError::Unauthorized)?;
    let account = accounts::load(&state.db, &session.account).await?.ok_or(AppError::Unauthorized)?;
    if account.disabled {
        sessions::end_all(&state.db, &account.key(), None).await?;
        set_cookie_header(&clear_cookie(&state.config));
        return Err(AppError::Unauthorized);
    }
    Ok(Caller { token, session, account })
}

/// Any signed-in person whose password is current.
pub async fn citizen(state: &AppState) -> Result<Caller, AppError> {
    let caller = signed_in(state).await?;
    if caller.session.must_change_password {
        return Err(AppError::Forbidden);
    }
    Ok(caller)
}

/// The signed-in person on the page that changes an expired or temporary
/// password (and nowhere else).
pub async fn renewing_password(state: &AppState) -> Result<Caller, AppError> {
    signed_in(state).await
}

/// A staff member holding `role`, signed in with a strong second step.
pub async fn staff(state: &AppState, role: Role) -> Result<StaffCaller, AppError> {
    let caller = citizen(state).await?;
    caller.require_role(role)?;
    if !caller.session.strong {
        return Err(AppError::SecondStepRequired);
    }
    Ok(StaffCaller(caller))
}

/// A fresh session for `account` and its cookie, signed in by `proof`: a
/// new token at every sign-in. Staff sessions idle out sooner and are never
/// remembered; «Чужой компьютер» keeps nothing on disk either. The session
/// is strong when `proof` is; a staff member's sign-in with a temporary
/// password may set up its first strong second step.
pub async fn start_session(
    state: &AppState,
    account: &AccountRow,
    public: bool,
    must_change_password: bool,
    proof: Method,
    client: &Client,
) -> Result<SessionToken, AppError> {
    let key = account.key();
    let new = new_session(account, &key, public, must_change_password, proof, client);
    let kind = new.kind;
    let token = sessions::create(&state.db, &state.config.auth, new, clock::now()).await?;
    set_session_cookie(state, kind, &token);
    Ok(SessionToken(token))
}

/// What a session started for `account` by `proof` is (see `start_session`).
pub fn new_session<'a>(
    account: &AccountRow,
    key: &'a str,
    public: bool,
    must_change_password: bool,
    proof: Method,
    client: &'a Client,
) -> NewSession<'a> {
    let kind = if !account.roles.is_empty() {
        SessionKind::Staff
    } else if public {
        SessionKind::PublicComputer
    } else {
        SessionKind::Own
    };
    NewSession {
        account: key,
        kind,
        strong: proof.is_strong(),
        enrol: kind == SessionKind::Staff && account.password_temporary,
        must_change_password,
        ip: &client.ip,
        user_agent: &client.user_agent,
    }
}

/// The cookie of a new session `token` of `kind`.
pub fn set_session_cookie(state: &AppState, kind: SessionKind, token: &str) {
    let max_age = (!kind.ends_with_browser()).then(|| state.config.auth.session_absolute.num_seconds());
    set_cookie_header(&cookie(&state.config, token, max_age));
}

/// «Подтвердите, что это вы» with the password: a try of the second-step
/// counter is taken BEFORE the password is checked (guesses sent in
/// parallel on a stolen session cannot all be checked); at the limit every
/// session of the account ends. A right password renews the session (`proven`).
pub async fn prove_password(
    state: &AppState,
    caller: &Caller,
    password: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let a = &caller.account;
    if password.is_empty() {
        return Err(AppError::field("password", "Введите пароль"));
    }
    let device = super::cookies::request_cookie(&state.config, super::cookies::DEVICE, 64);
    let spent = match super::mfa::reserve_try(&state.db, &state.config.auth, &a.key(), now).await {
        Ok(spent) => spent,
        Err(locked) => {
            sessions::end_all(&state.db, &a.key(), None).await?;
            return Err(locked);
        }
    };
    if !crate::platform::password::verify(password, a.password_hash.clone()).await? {
        let client = crate::platform::request::client();
        let wrong = "Неверный пароль при подтверждении действия";
        super::journal::record(&state.db, &a.key(), super::model::Method::Password, false, wrong, &client, now).await?;
        let counted = super::mfa::after_wrong(
            &state.db,
            &state.config.auth,
            &state.config.public_url,
            &a.key(),
            device.as_deref(),
            spent,
            now,
        )
        .await?;
        crate::notify::wake(state);
        if let AppError::Locked { .. } = counted {
            sessions::end_all(&state.db, &a.key(), None).await?;
            return Err(counted);
        }
        return Err(AppError::field("password", "Пароль введён неверно"));
    }
    proven(state, caller).await?;
    super::mfa::right_code(&state.db, &a.key(), now).await
}

/// The caller just proved the password or a passkey again: the proof is
/// recorded and the session continues under a new token (new cookie).
pub async fn proven(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    let token = sessions::renew_proven(&state.db, &caller.token, clock::now()).await?;
    let kind = if caller.is_staff() {
        SessionKind::Staff
    } else if caller.session.public {
        SessionKind::PublicComputer
    } else {
        SessionKind::Own
    };
    let max_age =
        (!kind.ends_with_browser()).then(|| (caller.session.absolute_until - clock::now()).num_seconds().max(0));
    set_cookie_header(&cookie(&state.config, &token, max_age));
    Ok(())
}

/// A code step the caller may see: registration and recovery belong to
/// whoever holds the flow id; the second step to the browser that gave the
/// password; a contact change to its signed-in owner only.
pub async fn load_flow(state: &AppState, flow: &str, now: DateTime<Utc>) -> Result<FlowRow, AppError> {
    let row = flows::load(&state.db, flow, now).await?;
    match row.purpose {
        FlowPurpose::SignIn => {
            let cookie = super::cookies::request_cookie(&state.config, super::cookies::SIGNIN, 32);
            if cookie.as_deref() != Some(flow) {
                return Err(AppError::invalid(flows::EXPIRED_FLOW));
            }
        }
        FlowPurpose::Phone | FlowPurpose::Email => {
            let caller = citizen(state).await?;
            if row.account.as_deref() != Some(caller.key().as_str()) {
                return Err(AppError::invalid(flows::EXPIRED_FLOW));
            }
        }
        FlowPurpose::Register | FlowPurpose::Recover => {}
        // The operator's PIN pad only, through the МФЦ area (which checks
        // the visit): never the generic code page or «Отправить ещё раз».
        FlowPurpose::MfcConfirm => return Err(AppError::invalid(flows::EXPIRED_FLOW)),
    }
    Ok(row)
}

/// Where to go after sign-in: only plain local paths, `/` then letters,
/// digits and `/_?=&.%-` (no `//host`, no `\`, no tabs or line breaks a
/// browser would drop); otherwise `fallback`.
pub fn safe_next(next: Option<String>, fallback: &str) -> String {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && n.len() <= 512
            && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_?=&.%-".contains(&b))
            && !n.contains("%0")
    })
    .unwrap_or_else(|| fallback.to_string())
}

/// The home of a signed-in account: the staff console or «Личные данные».
pub fn home_of(account: &AccountRow) -> &'static str {
    if account.roles.is_empty() { "/profile" } else { "/staff" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_local_paths_are_followed() {
        let ok = |n: &str| safe_next(Some(n.to_string()), "/profile");
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

    #[test]
    fn a_session_token_never_shows_in_debug_output() {
        let t = SessionToken("0123456789abcdef".into());
        assert!(!format!("{t:?}").contains("0123"));
    }
}
