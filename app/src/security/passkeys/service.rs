//! Passkeys on the server: the three WebAuthn ceremonies checked with
//! webauthn-rs, and the `passkey` and `passkey_challenge` tables.
//!
//! Every ceremony has two steps with a challenge kept here in between:
//!
//! ```text
//!   start_*  ──▶ passkey_challenge row (state, expires in 5 min) ──▶ options to the browser
//!                                                                     │ navigator.credentials.create/get
//!   finish_* ◀── challenge id + the browser's answer ◀────────────────┘
//!      │ take: the row is deleted whatever happens next (single use);
//!      │ gone or expired → EXPIRED; wrong purpose or owner → EXPIRED
//!      ▼
//!   webauthn-rs checks signature, origin, RP id, user verification
//! ```
//!
//! Ceremonies: `register` (a signed-in account adds a passkey), `sign_in`
//! (no login: a discoverable passkey names its account, user verification
//! required, so it counts as both factors), `verify` (a passkey of a known
//! account, as a second factor or a fresh proof; it signs nobody in).
//!
//! This module never returns, logs or sends the stored credential to the
//! browser; only names and dates leave it.

use chrono::{DateTime, TimeDelta, Utc};
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyAuthentication,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid,
    Webauthn, WebauthnBuilder, WebauthnError,
};
use webauthn_rs_proto::{ResidentKeyRequirement, UserVerificationPolicy};

use super::model::{self, PasskeyView};
pub use super::store::{PasskeyRow, delete, find, list, rename};
use super::store::{
    Purpose, credential_id_text, find_by_credential, put_challenge, record_use, take_challenge, user_handle,
};
use crate::auth::accounts::AccountRow;
use crate::error::AppError;
use crate::platform::db::Db;
use crate::platform::passkey_settings::PasskeySettings;
use crate::platform::request::internal;

/// How long a started ceremony may take (also the browser's timeout).
pub const CHALLENGE_TTL: TimeDelta = TimeDelta::minutes(5);

/// The relying party of these settings. The settings were checked at
/// start-up, so this fails only on a configuration made by hand.
pub fn webauthn(s: &PasskeySettings) -> Result<Webauthn, AppError> {
    let origin = Url::parse(&s.origin).map_err(|e| internal("webauthn origin", e))?;
    WebauthnBuilder::new(&s.rp_id, &origin)
        .and_then(|b| {
            b.rp_name("Госпортал")
                .timeout(std::time::Duration::from_secs(CHALLENGE_TTL.num_seconds().unsigned_abs()))
                .build()
        })
        .map_err(|e| internal("webauthn settings", e))
}

/// A webauthn-rs refusal as a person reads it (the cause goes to the log).
fn refused(context: &str, e: WebauthnError) -> AppError {
    match e {
        WebauthnError::InvalidRPOrigin | WebauthnError::InvalidRPIDHash => {
            tracing::warn!("{context}: {e}");
            AppError::invalid(model::INSECURE)
        }
        WebauthnError::CredentialAlteredAlgFromRequest | WebauthnError::CredentialPossibleCompromise => {
            tracing::warn!("{context}: {e}");
            AppError::invalid(model::NOT_VERIFIED)
        }
        other => {
            tracing::info!("{context}: {other}");
            AppError::invalid(model::NOT_VERIFIED)
        }
    }
}

fn parse_credential<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::info!("passkey answer not understood: {e}");
        AppError::invalid(model::NOT_VERIFIED)
    })
}

// ---------------------------------------------------------------- registration

/// «Добавить ключ доступа», step 1: options for `navigator.credentials.create`
/// asking for a discoverable credential with user verification; the
/// account's passkeys are excluded so one device is not added twice.
pub async fn start_registration(
    db: &Db,
    wa: &Webauthn,
    account: &AccountRow,
    now: DateTime<Utc>,
) -> Result<(String, CreationChallengeResponse), AppError> {
    let key = account.key();
    let handle = user_handle(db, &key).await?;
    let existing: Vec<_> =
        list(db, &key).await?.iter().filter_map(|r| r.passkey().ok()).map(|p| p.cred_id().clone()).collect();
    let login = account.phone.clone().or_else(|| account.email.clone()).unwrap_or_else(|| account.short_name());
    let display = format!("{} {}", account.name, account.surname);
    let (mut ccr, state): (CreationChallengeResponse, PasskeyRegistration) = wa
        .start_passkey_registration(handle, &login, &display, Some(existing))
        .map_err(|e| internal("passkey registration start", e))?;
    // webauthn-rs 0.5 asks for a non-resident key here; sign-in with no
    // login needs the authenticator to keep it (a discoverable credential).
    // The state does not check this, so the options alone are changed.
    if let Some(sel) = ccr.public_key.authenticator_selection.as_mut() {
        sel.resident_key = Some(ResidentKeyRequirement::Required);
        sel.require_resident_key = true;
        sel.user_verification = UserVerificationPolicy::Required;
    }
    // The handle goes with the state: a first passkey's handle is new and
    // exists nowhere else until the passkey is stored.
    let id = put_challenge(db, Purpose::Register, Some(&key), &(handle, state), now).await?;
    Ok((id, ccr))
}

/// «Добавить ключ доступа», step 2: checks the browser's answer and stores
/// the passkey under `name`. Returns the new passkey's id.
pub async fn finish_registration(
    db: &Db,
    wa: &Webauthn,
    account: &str,
    challenge: &str,
    credential_json: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (owner, (handle, state)): (_, (Uuid, PasskeyRegistration)) =
        take_challenge(db, challenge, Purpose::Register, now).await?;
    if owner.as_deref() != Some(account) {
        return Err(AppError::invalid(model::EXPIRED));
    }
    let name = model::validate_name(name).unwrap_or_else(|_| model::default_name(""));
    let answer: RegisterPublicKeyCredential = parse_credential(credential_json)?;
    let passkey = wa.finish_passkey_registration(&answer, &state).map_err(|e| refused("passkey registration", e))?;
    let handle = handle.to_string();
    let cid = credential_id_text(passkey.cred_id().as_ref());
    let json = serde_json::to_string(&passkey).map_err(|e| internal("passkey credential", e))?;
    super::store::insert(db, account, &cid, &handle, json, &name, now).await
}

// ---------------------------------------------------------------- sign-in

/// «Войти по биометрии», step 1: a discoverable request (no list of
/// credentials; the authenticator offers what it keeps for this site).
pub async fn start_sign_in(
    db: &Db,
    wa: &Webauthn,
    now: DateTime<Utc>,
) -> Result<(String, RequestChallengeResponse), AppError> {
    let (mut rcr, state): (RequestChallengeResponse, DiscoverableAuthentication) =
        wa.start_discoverable_authentication().map_err(|e| internal("passkey sign-in start", e))?;
    // webauthn-rs marks this for autofill («conditional») UI; ours is a
    // button, so the browser should ask at once.
    rcr.mediation = None;
    let id = put_challenge(db, Purpose::SignIn, None, &state, now).await?;
    Ok((id, rcr))
}

/// «Войти по биометрии», step 2, the one place a passkey sign-in is decided:
/// the challenge is taken, the passkey found by the id and user handle the
/// authenticator gave, the signature and user verification checked, its use
/// recorded. A lock after wrong passwords does not stop it (the lock is
/// against guessing; a passkey cannot be guessed, and an attacker's guesses
/// must not lock the owner out). Returns the account to start a session for.
pub async fn finish_sign_in(
    db: &Db,
    wa: &Webauthn,
    challenge: &str,
    credential_json: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (_, state): (_, DiscoverableAuthentication) = take_challenge(db, challenge, Purpose::SignIn, now).await?;
    let answer: PublicKeyCredential = parse_credential(credential_json)?;
    let (handle, cred_id) =
        wa.identify_discoverable_authentication(&answer).map_err(|_| AppError::invalid(model::UNKNOWN_PASSKEY))?;
    let row = find_by_credential(db, &credential_id_text(cred_id))
        .await?
        .filter(|r| Uuid::parse_str(&r.user_handle).ok() == Some(handle))
        .ok_or_else(|| AppError::invalid(model::UNKNOWN_PASSKEY))?;
    let key = DiscoverableKey::from(&row.passkey()?);
    let result = wa
        .finish_discoverable_authentication(&answer, state, std::slice::from_ref(&key))
        .map_err(|e| refused("passkey sign-in", e))?;
    if !result.user_verified() {
        return Err(AppError::invalid(model::NOT_VERIFIED));
    }
    record_use(db, &row, &result, now).await?;
    Ok(row.account)
}

// ---------------------------------------------------------------- a known account

/// A passkey check of a KNOWN account, step 1 (non-discoverable: the
/// request lists that account's passkeys as `allowCredentials`). For a
/// second factor after the password, and for the «fresh proof» before
/// turning two-step sign-in off. Returns the challenge id and the options
/// for `navigator.credentials.get`. An account without passkeys:
/// `NO_PASSKEYS`.
pub async fn start_for_account(
    db: &Db,
    wa: &Webauthn,
    account: &str,
    now: DateTime<Utc>,
) -> Result<(String, RequestChallengeResponse), AppError> {
    let passkeys: Vec<Passkey> = list(db, account).await?.iter().filter_map(|r| r.passkey().ok()).collect();
    if passkeys.is_empty() {
        return Err(AppError::invalid(model::NO_PASSKEYS));
    }
    let (rcr, state): (RequestChallengeResponse, PasskeyAuthentication) =
        wa.start_passkey_authentication(&passkeys).map_err(|e| internal("passkey check start", e))?;
    let id = put_challenge(db, Purpose::Verify, Some(account), &state, now).await?;
    Ok((id, rcr))
}

/// Step 2 of `start_for_account`: checks the answer against that account's
/// passkeys (user verification required), records the use, and returns the
/// account key the challenge was made for. It starts no session and
/// changes nothing else: the caller decides what the proof is for.
pub async fn finish_for_account(
    db: &Db,
    wa: &Webauthn,
    challenge: &str,
    credential_json: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (owner, state): (_, PasskeyAuthentication) = take_challenge(db, challenge, Purpose::Verify, now).await?;
    let account = owner.ok_or_else(|| AppError::invalid(model::EXPIRED))?;
    let answer: PublicKeyCredential = parse_credential(credential_json)?;
    let row = find_by_credential(db, &credential_id_text(answer.get_credential_id()))
        .await?
        .filter(|r| r.account == account)
        .ok_or_else(|| AppError::invalid(model::UNKNOWN_PASSKEY))?;
    let result = wa.finish_passkey_authentication(&answer, &state).map_err(|e| refused("passkey check", e))?;
    if !result.user_verified() {
        return Err(AppError::invalid(model::NOT_VERIFIED));
    }
    record_use(db, &row, &result, now).await?;
    Ok(account)
}

/// The account's passkeys as their owner sees them.
pub async fn views(db: &Db, account: &str, now: DateTime<Utc>) -> Result<Vec<PasskeyView>, AppError> {
    Ok(list(db, account).await?.iter().map(|r| r.view(now)).collect())
}
