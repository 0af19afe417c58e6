//! «Двухэтапная проверка» (spec 003 «Двухфакторная аутентификация», spec
//! 000 §3.2): the methods a person turns on, and the check of a second-step
//! code at sign-in.
//!
//! Methods: a code by SMS (through the outbox, the code rules of `flows`),
//! a code from an authenticator app (TOTP; each 30-second step accepted
//! once, recorded atomically), and ten single-use backup codes (removed
//! atomically when used). Two-step sign-in is on while SMS or the app is on;
//! backup codes and passkeys then also serve as the second step.
//!
//! Wrong codes count per account like wrong passwords: after
//! `lockout_attempts` in a row sign-in locks for `mfa_lock_duration` and the
//! owner gets a notice.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{Method, backup, totp};
use crate::auth::accounts::AccountRow;
use crate::error::AppError;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::Db;
use crate::platform::db::QueryExt;
use crate::platform::request::internal;

/// The second-step methods of an account. Its `Debug` prints the TOTP keys
/// and backup-code hashes as `***`.
#[derive(Clone, Default, SurrealValue)]
pub struct MfaRow {
    pub sms: bool,
    pub totp_secret: Option<String>,
    pub totp_pending: Option<String>,
    pub totp_last_step: i64,
    pub backup_hashes: Vec<String>,
    pub backup_created_at: Option<DateTime<Utc>>,
    pub failed: i64,
}

impl std::fmt::Debug for MfaRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaRow")
            .field("sms", &self.sms)
            .field("totp_secret", &self.totp_secret.as_ref().map(|_| "***"))
            .field("totp_pending", &self.totp_pending.as_ref().map(|_| "***"))
            .field("backup_codes", &self.backup_hashes.len())
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

impl MfaRow {
    /// Two-step sign-in is on.
    pub fn on(&self) -> bool {
        self.sms || self.totp_secret.is_some()
    }
}

pub const WRONG_CODE: &str = "Неверный код";
pub const APP_ALREADY_ON: &str = "Приложение уже подключено. Чтобы подключить другое, сначала отключите текущее";
pub const REUSED_CODE: &str = "Этот код уже использован. Дождитесь следующего кода в приложении";

fn rid(account: &str) -> RecordId {
    RecordId::new("mfa", account.to_string())
}

pub async fn load(db: &Db, account: &str) -> Result<MfaRow, AppError> {
    let row: Option<MfaRow> = db.query("SELECT * FROM ONLY $id").bind(("id", rid(account))).one("mfa load").await?;
    Ok(opened(row, account))
}

/// The row as the rules use it: defaults for an account without one, app
/// keys opened.
pub fn opened(row: Option<MfaRow>, account: &str) -> MfaRow {
    let mut row = row.unwrap_or_default();
    // App keys are sealed at rest. One that does not open (a wrong or lost
    // PORTAL_SECRET_KEY) stays listed but matches no code: the second step
    // fails closed, never silently off.
    for key in [&mut row.totp_secret, &mut row.totp_pending] {
        if let Some(stored) = key.take() {
            *key = Some(crate::platform::secrets::open(&stored).unwrap_or_else(|| {
                tracing::error!(account, "an authenticator key does not open with PORTAL_SECRET_KEY");
                String::new()
            }));
        }
    }
    row
}

/// Re-seals every authenticator key with the current `PORTAL_SECRET_KEY`
/// (`portal rotate-secrets`; keys stored before sealing get sealed too).
/// Returns how many were re-sealed.
pub async fn reseal_all(db: &Db) -> Result<usize, AppError> {
    #[derive(SurrealValue)]
    struct Keys {
        id: RecordId,
        totp_secret: Option<String>,
        totp_pending: Option<String>,
    }
    let rows: Vec<Keys> = db
        .query("SELECT id, totp_secret, totp_pending FROM mfa WHERE totp_secret != NONE OR totp_pending != NONE")
        .all("mfa keys")
        .await?;
    let mut n = 0;
    for r in rows {
        let reseal = |v: &Option<String>| -> Result<Option<String>, AppError> {
            match v {
                Some(s) if !crate::platform::secrets::is_current(s) => {
                    let plain =
                        crate::platform::secrets::open(s).ok_or_else(|| internal("reseal", "a key does not open"))?;
                    crate::platform::secrets::seal(&plain).map(Some).ok_or_else(|| internal("reseal", "seal failed"))
                }
                other => Ok(other.clone()),
            }
        };
        let (secret, pending) = (reseal(&r.totp_secret)?, reseal(&r.totp_pending)?);
        if secret != r.totp_secret || pending != r.totp_pending {
            db.query("UPDATE $id SET totp_secret = $s, totp_pending = $p")
                .bind(("id", r.id))
                .bind(("s", secret))
                .bind(("p", pending))
                .exec("mfa reseal")
                .await?;
            n += 1;
        }
    }
    Ok(n)
}

/// `UPSERT mfa:<account> SET <set>`; `$v` in `set` is bound to `v`.
async fn write<V>(db: &Db, account: &str, set: &str, v: V, now: DateTime<Utc>) -> Result<(), AppError>
where
    V: SurrealValue + Send + 'static,
{
    db.query(format!("UPSERT $id SET {set}, updated_at = $now"))
        .bind(("id", rid(account)))
        .bind(("now", now))
        .bind(("v", v))
        .exec("mfa write")
        .await?;
    Ok(())
}

/// The second-step methods usable at sign-in, in the order offered.
/// `passkeys` is how many passkeys the account has.
pub fn sign_in_methods(row: &MfaRow, account: &AccountRow, passkeys: usize) -> Vec<Method> {
    if !row.on() {
        return Vec::new();
    }
    let mut m = Vec::new();
    if row.totp_secret.is_some() {
        m.push(Method::Totp);
    }
    if row.sms && account.phone.is_some() && account.phone_confirmed {
        m.push(Method::Sms);
    }
    if passkeys > 0 {
        m.push(Method::Passkey);
    }
    if !row.backup_hashes.is_empty() {
        m.push(Method::Backup);
    }
    m
}

/// Turns SMS codes on. The phone must be confirmed (it was, by a code, at
/// registration or when it was changed).
pub async fn enable_sms(db: &Db, account: &AccountRow, now: DateTime<Utc>) -> Result<(), AppError> {
    if !(account.phone.is_some() && account.phone_confirmed) {
        return Err(AppError::invalid(
            "Сначала укажите и подтвердите номер мобильного телефона в разделе «Личные данные»",
        ));
    }
    write(db, &account.key(), "sms = true", None::<String>, now).await
}

/// What the enrolment page shows: the key as text and as a QR code.
#[derive(Clone)]
pub struct Enrolment {
    pub key: String,
    pub url: String,
    pub qr: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment { *** }")
    }
}

/// Starts adding an authenticator app: a new key, kept pending until the
/// first right code.
pub async fn totp_start(db: &Db, account: &AccountRow, now: DateTime<Utc>) -> Result<Enrolment, AppError> {
    if load(db, &account.key()).await?.totp_secret.is_some() {
        return Err(AppError::invalid(APP_ALREADY_ON));
    }
    let secret = totp::new_secret();
    let key = totp::base32(&secret);
    let sealed = crate::platform::secrets::seal(&key).ok_or_else(|| internal("totp seal", "failed"))?;
    write(db, &account.key(), "totp_pending = $v", sealed, now).await?;
    enrolment(&key, account)
}

/// The pending enrolment, to show it again (page reload).
pub fn enrolment(key: &str, account: &AccountRow) -> Result<Enrolment, AppError> {
    let secret = totp::from_base32(key).ok_or_else(|| internal("totp key", "bad base32"))?;
    let name = account.phone.clone().or_else(|| account.email.clone()).unwrap_or_else(|| account.short_name());
    let url = totp::url(&secret, &name).ok_or_else(|| internal("totp url", "build"))?;
    let qr = totp::qr_data_url(&url).ok_or_else(|| internal("totp qr", "render"))?;
    Ok(Enrolment { key: key.to_string(), url, qr })
}

/// The first code from the app confirms it; the app is then on.
pub async fn totp_confirm(db: &Db, account: &str, code: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let row = load(db, account).await?;
    if row.totp_secret.is_some() {
        return Err(AppError::invalid(APP_ALREADY_ON));
    }
    let Some(key) = row.totp_pending.clone() else {
        return Err(AppError::invalid("Начните подключение приложения заново"));
    };
    let secret = totp::from_base32(&key).ok_or_else(|| internal("totp key", "bad base32"))?;
    let Some(step) = totp::check(&secret, code, now.timestamp()) else {
        return Err(AppError::field(
            "code",
            "Код не подошёл. Проверьте, что время на телефоне установлено автоматически, и введите новый код из приложения",
        ));
    };
    write(db, account, "totp_secret = totp_pending, totp_pending = NONE, totp_last_step = $v", step, now).await
}

/// Turns a method off. Backup codes: all are voided.
pub async fn disable(db: &Db, account: &str, method: Method, now: DateTime<Utc>) -> Result<(), AppError> {
    let set = match method {
        Method::Sms => "sms = false",
        Method::Totp => "totp_secret = NONE, totp_pending = NONE",
        Method::Backup => "backup_hashes = [], backup_created_at = NONE",
        Method::Password | Method::Passkey => return Err(AppError::invalid("Этот способ здесь не отключается")),
    };
    write(db, account, set, None::<String>, now).await
}

/// Ten new backup codes; the old ones stop working. Returns them to show once.
pub async fn new_backup_codes(db: &Db, account: &str, now: DateTime<Utc>) -> Result<Vec<String>, AppError> {
    let codes = backup::generate();
    let hashes: Vec<String> = codes.iter().map(|c| backup::hash(c)).collect();
    write(db, account, "backup_hashes = $v, backup_created_at = $now", hashes, now).await?;
    Ok(codes)
}

/// Checks a second-step code of `method` (TOTP or backup; SMS codes are
/// checked by `flows`). Spends it when right.
pub async fn check_code(
    db: &Db,
    account: &str,
    method: Method,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    match method {
        Method::Totp => {
            let row = load(db, account).await?;
            let Some(secret) = row.totp_secret.as_deref().and_then(totp::from_base32) else { return Ok(false) };
            let Some(step) = totp::check(&secret, code, now.timestamp()) else { return Ok(false) };
            // Accept each step once: only a step later than the last one
            // moves the mark, in one statement, so two sign-ins with the
            // same code cannot both pass.
            let moved: Vec<i64> = db
                .query("UPDATE $id SET totp_last_step = $step WHERE totp_last_step < $step RETURN VALUE totp_last_step")
                .bind(("id", rid(account)))
                .bind(("step", step))
                .all("totp step")
                .await?;
            if moved.is_empty() {
                return Err(AppError::field("code", REUSED_CODE));
            }
            Ok(true)
        }
        Method::Backup => {
            for h in backup::candidates(code) {
                let used: Vec<RecordId> = db
                    .query("UPDATE $id SET backup_hashes -= $h WHERE backup_hashes CONTAINS $h RETURN VALUE id")
                    .bind(("id", rid(account)))
                    .bind(("h", h))
                    .all("backup code")
                    .await?;
                if !used.is_empty() {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => Ok(false),
    }
}

/// Takes one try of the second step BEFORE the code is checked, in one
/// statement, so guesses sent in parallel cannot all pass the limit
/// together. The try that reaches the limit sets the lock in the same
/// statement (a right code lifts it), so an unfinished request cannot leave
/// a full count behind; a lock that ran out starts a fresh count. Returns
/// the try's number; while locked, the lock.
pub async fn reserve_try(db: &Db, s: &AuthSettings, account: &str, now: DateTime<Utc>) -> Result<i64, AppError> {
    #[derive(SurrealValue)]
    struct Before {
        failed: Option<i64>,
        locked_until: Option<DateTime<Utc>>,
    }
    let max = i64::from(s.lockout_attempts);
    let before: Option<Before> = crate::platform::db::retrying_one("mfa count", || {
        // Every SET clause reads the row as it was before the statement.
        db.query(
            "UPSERT $id SET
                failed = IF locked_until != NONE AND locked_until > $now THEN failed
                    ELSE IF locked_until != NONE THEN 1 ELSE (failed OR 0) + 1 END,
                locked_until = IF locked_until != NONE AND locked_until > $now THEN locked_until
                    ELSE IF $max > 0 AND (IF locked_until != NONE THEN 1 ELSE (failed OR 0) + 1 END) >= $max
                        THEN $until ELSE NONE END,
                updated_at = $now
             RETURN BEFORE",
        )
        .bind(("id", rid(account)))
        .bind(("max", max))
        .bind(("until", now + s.mfa_lock_duration))
        .bind(("now", now))
    })
    .await?;
    let (failed, locked_until) = before.map(|b| (b.failed.unwrap_or(0), b.locked_until)).unwrap_or((0, None));
    match locked_until {
        Some(until) if until > now => Err(AppError::Locked { until: crate::format::moscow_time(until, now) }),
        Some(_) => Ok(1),
        None => Ok(failed + 1),
    }
}

/// The reserved try was a wrong code: at the limit sign-in locks and the
/// owner is told. Returns the error to show.
pub async fn after_wrong(
    db: &Db,
    s: &AuthSettings,
    public_url: &str,
    account: &str,
    device: Option<&str>,
    spent: i64,
    now: DateTime<Utc>,
) -> Result<AppError, AppError> {
    let max = i64::from(s.lockout_attempts);
    if max > 0 && spent >= max {
        // The second step is locked already (set with this try); this locks
        // sign-in from this browser too and tells the owner.
        let until = now + s.mfa_lock_duration;
        crate::auth::lockout::lock_for_codes(db, public_url, account, device, s.lockout_attempts, until, now).await?;
        return Ok(AppError::Locked { until: crate::format::moscow_time(until, now) });
    }
    let left = if max > 0 { format!(". Осталось попыток: {}", max - spent) } else { String::new() };
    Ok(AppError::field("code", format!("{WRONG_CODE}{left}")))
}

/// A wrong code counted at once (reserve and judge in one go).
pub async fn wrong_code(
    db: &Db,
    s: &AuthSettings,
    public_url: &str,
    account: &str,
    device: Option<&str>,
    now: DateTime<Utc>,
) -> Result<AppError, AppError> {
    match reserve_try(db, s, account, now).await {
        Ok(spent) => after_wrong(db, s, public_url, account, device, spent, now).await,
        Err(locked) => Ok(locked),
    }
}

/// A right second-step code: the count starts again.
pub async fn right_code(db: &Db, account: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    db.query(
        "UPDATE $id SET failed = 0, locked_until = NONE, updated_at = $now WHERE failed > 0 OR locked_until != NONE",
    )
    .bind(("id", rid(account)))
    .bind(("now", now))
    .exec("mfa count")
    .await?;
    Ok(())
}

/// New backup codes wait here for the one page view that shows them.
pub async fn keep_for_reveal(db: &Db, session_key: &str, codes: &[String], now: DateTime<Utc>) -> Result<(), AppError> {
    db.query("DELETE reveal WHERE expires_at < $now; UPSERT $id SET codes = $codes, expires_at = $until")
        .bind(("now", now))
        .bind(("id", RecordId::new("reveal", session_key.to_string())))
        .bind(("codes", codes.to_vec()))
        .bind(("until", now + chrono::TimeDelta::minutes(5)))
        .exec("reveal")
        .await?;
    Ok(())
}

/// The new backup codes, once: they are deleted as they are read.
pub async fn take_reveal(db: &Db, session_key: &str, now: DateTime<Utc>) -> Result<Option<Vec<String>>, AppError> {
    #[derive(SurrealValue)]
    struct Reveal {
        codes: Vec<String>,
        expires_at: DateTime<Utc>,
    }
    let rows: Vec<Reveal> = db
        .query("DELETE $id RETURN BEFORE")
        .bind(("id", RecordId::new("reveal", session_key.to_string())))
        .all("reveal")
        .await?;
    Ok(rows.into_iter().next().filter(|r| r.expires_at > now).map(|r| r.codes))
}
