//! «Это был не я»: the link in every security notice (made by `notify`)
//! ends every session in one step and suspends sign-in until the password
//! is recovered. Opening it changes nothing (mail scanners open links); the
//! one button on that page does.

use chrono::{DateTime, Utc};

use crate::error::AppError;
use crate::platform::db::Db;
use crate::platform::db::QueryExt;

pub use crate::auth::model::LINK_GONE;
use crate::notify::link_account;

/// «Это был не я»: every session ends, sign-in needs a recovery first, and
/// every link of the account is spent. Whatever an intruder could have
/// added to sign in again goes too: passkeys, the authenticator app and the
/// backup codes (SMS stays: the phone is the owner's, and a change of it is
/// told to the old number). The owner adds them again after the recovery.
/// Returns the account.
pub async fn not_me(db: &Db, token: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let account = link_account(db, token, now).await?.ok_or_else(|| AppError::invalid(LINK_GONE))?;
    crate::auth::sessions::end_all(db, &account, None).await?;
    // Recovery codes must go to the owner's contacts, not a hijacker's.
    crate::auth::accounts::undo_contact_changes(db, &account, now).await?;
    db.query(
        "UPDATE type::record('account', $account) SET recovery_required = true;
         DELETE not_me WHERE account = $account;
         DELETE flow WHERE account = $account AND purpose = 'signin';
         DELETE passkey WHERE account = $account;
         DELETE device WHERE account = $account;
         UPDATE type::record('mfa', $account) SET totp_secret = NONE, totp_pending = NONE, backup_hashes = [];",
    )
    .bind(("account", account.clone()))
    .exec("not-me")
    .await?;
    Ok(account)
}
