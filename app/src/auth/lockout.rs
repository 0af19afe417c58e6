//! Password sign-in (spec 000 §1.1, §2.1, §2.3) with the lockout and the
//! per-address slow-down.
//!
//! Lockout, per account (or per unknown login, so that an unknown login
//! behaves exactly like a known one and reveals nothing):
//!
//! ```text
//!             wrong (n+1 < N)                    attempt before `until`
//!            ┌──────────────┐                  ┌──────────────────────┐
//!            ▼              │                  ▼                      │
//!   Open(n) ─┴─ wrong, n+1 = N ─▶ Locked(until = now + 30 min) ───────┘
//!     ▲  │        (notice to the owner's phone / e-mail)   │
//!     │  └─ right password ─▶ Open(0)                      │ now ≥ until, or recovery done
//!     └────────────────────────────────────────────────────┘
//! ```
//!
//! The lock is a lever an attacker could pull against the owner (five
//! guesses every half hour keep an account shut), so it has two kinds of
//! counter: one for every browser the account has not signed in from, and
//! one per browser that holds the account's device cookie (`devices`). The
//! owner's own browser keeps working while strangers are locked out; a
//! passkey is never stopped by wrong passwords; the owner hears of a lock
//! at most once per lock period (`lock_notice`).
//!
//! A try is taken from the counter in one statement, and the password's
//! answer is used only when that try was granted, so guesses sent in
//! parallel cannot all pass the limit: with N tries left, at most N of any
//! burst are judged (and journaled); the rest are refused as locked whatever
//! the password. The hash runs beside the statement, not after it, so the
//! write's flush to disk costs a sign-in no time.
//!
//! Slow-down, per client address across all accounts (automated guessing):
//! the first `ip_failures_free` failures in `ip_window` cost nothing; after
//! that each attempt must wait 2^k seconds after the last failure (k = how
//! many over), at most 5 minutes. The wait is refused with a message, never
//! slept through, so scripts cannot tie up the server.
//!
//! Every wrong-login answer is the same message and costs one argon2id
//! verification, whether or not the account exists.

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::accounts;
use super::identifier::{Identifier, parse_identifier};
use super::journal;
use super::model::Method;
use crate::error::AppError;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{Db, QueryExt, retrying, retrying_one};
use crate::platform::password;
use crate::platform::request::Client;

pub const WRONG_LOGIN: &str = "Неверный логин или пароль. Проверьте раскладку клавиатуры и не включён ли Caps Lock";

/// The counter a right password took a try from. It must be released (the
/// count set back to zero): `release`, or `release_in` inside the sign-in's
/// own transaction.
#[derive(Debug, Clone)]
pub struct Counter(RecordId);

/// Sets the count of `counter` back to zero (a right password).
pub async fn release(db: &Db, counter: &Counter, now: DateTime<Utc>) -> Result<(), AppError> {
    clear(db, &counter.0, now).await
}

/// Appends `release` to `q` (bindings `l_…`).
pub fn release_in<'a>(
    q: crate::platform::db::Query<'a>,
    counter: &Counter,
    now: DateTime<Utc>,
) -> crate::platform::db::Query<'a> {
    q.query("UPDATE $l_id SET failed = 0, locked_until = NONE, updated_at = $l_now WHERE failed > 0 OR locked_until != NONE")
        .bind(("l_id", counter.0.clone()))
        .bind(("l_now", now))
}

/// The result of a right password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub account: String,
    /// The password is older than the allowed age: change it before going on.
    pub must_change_password: bool,
}

#[derive(Debug, Clone, SurrealValue)]
struct LockoutRow {
    failed: i64,
    locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, SurrealValue)]
struct IpRow {
    count: i64,
    window_start: DateTime<Utc>,
    last_at: DateTime<Utc>,
}

use crate::format::moscow_time;

fn account_lock_key(account: &str) -> RecordId {
    RecordId::new("lockout", format!("account:{account}"))
}

/// The counter of one browser the account has signed in from.
fn device_lock_key(account: &str, device_hash: &str) -> RecordId {
    RecordId::new("lockout", format!("account:{account}:device:{device_hash}"))
}

/// The counter this browser's tries on `account` go to: its own when it
/// holds a device cookie the account has signed in from, else the one all
/// unknown browsers share.
pub async fn key_for(db: &Db, account: &str, device: Option<&str>) -> Result<RecordId, AppError> {
    if let Some(device) = device
        && super::devices::is_known(db, account, device).await?
    {
        return Ok(device_lock_key(account, &super::cookies::token_hash(device)));
    }
    Ok(account_lock_key(account))
}

fn login_lock_key(ident: &Identifier) -> RecordId {
    RecordId::new("lockout", format!("login:{}", accounts::login_key(ident)))
}

/// What a try taken from a counter found.
#[derive(Debug, Clone, SurrealValue)]
struct Reserved {
    /// Tries spent in this period, this one included.
    failed: i64,
    locked_until: Option<DateTime<Utc>>,
}

/// Takes one try from the counter `key` in one statement: nothing while a
/// lock runs, a fresh count once a lock has run out. The try that reaches
/// `max` sets the lock in the same statement (a right password lifts it
/// again), so a request that never finishes cannot leave a full count
/// without a lock. Returns what the counter held before (every SET clause
/// reads the record as it was) and the try's number.
async fn reserve(
    db: &Db,
    key: &RecordId,
    account: Option<&str>,
    max: i64,
    lock_for: TimeDelta,
    now: DateTime<Utc>,
) -> Result<Taken, AppError> {
    let before: Option<Reserved> = retrying_one("lockout reserve", || {
        db.query(
            "UPSERT $id SET
                failed = IF locked_until != NONE AND locked_until > $now THEN failed
                    ELSE IF locked_until != NONE THEN 1 ELSE (failed OR 0) + 1 END,
                locked_until = IF locked_until != NONE AND locked_until > $now THEN locked_until
                    ELSE IF (IF locked_until != NONE THEN 1 ELSE (failed OR 0) + 1 END) >= $max THEN $until
                    ELSE NONE END,
                account = $account,
                updated_at = $now
             RETURN BEFORE",
        )
        .bind(("id", key.clone()))
        .bind(("account", account.map(str::to_string)))
        .bind(("max", max))
        .bind(("until", now + lock_for))
        .bind(("now", now))
    })
    .await?;
    let before = before.unwrap_or(Reserved { failed: 0, locked_until: None });
    Ok(match before.locked_until {
        Some(until) if until > now => Taken::Locked(until),
        Some(_) => Taken::Try(1),
        None => Taken::Try(before.failed + 1),
    })
}

/// A try taken from a counter: its number, or the lock that refused it.
#[derive(Debug, Clone, Copy)]
enum Taken {
    Try(i64),
    Locked(DateTime<Utc>),
}

async fn lockout(db: &Db, key: &RecordId) -> Result<Option<LockoutRow>, AppError> {
    db.query("SELECT failed, locked_until FROM ONLY $id").bind(("id", key.clone())).one("lockout load").await
}

/// Clears the count of the counter `key` (a right password there).
async fn clear(db: &Db, key: &RecordId, now: DateTime<Utc>) -> Result<(), AppError> {
    // Only rows with something to clear are written, so two right sign-ins
    // of one account at the same moment do not collide.
    retrying("lockout clear", || {
        db.query("UPDATE $id SET failed = 0, locked_until = NONE, updated_at = $now WHERE failed > 0 OR locked_until != NONE")
            .bind(("id", key.clone()))
            .bind(("now", now))
    })
    .await
}

/// Clears every count and lock of `account`, in all browsers (a finished
/// recovery proves the owner).
pub async fn unlock(db: &Db, account: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    retrying("lockout clear", || {
        db.query(
            "UPDATE lockout SET failed = 0, locked_until = NONE, updated_at = $now
             WHERE (account = $account OR id = $id) AND (failed > 0 OR locked_until != NONE)",
        )
        .bind(("account", account.to_string()))
        .bind(("id", account_lock_key(account)))
        .bind(("now", now))
    })
    .await
}

/// Locks sign-in under `key` until `until` (the wrong-try count starts again).
async fn set_lock(db: &Db, key: &RecordId, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), AppError> {
    retrying("lockout set", || {
        db.query("UPSERT $id SET failed = 0, locked_until = $until, updated_at = $now")
            .bind(("id", key.clone()))
            .bind(("until", until))
            .bind(("now", now))
    })
    .await
}

/// Refuses the attempt while this address must wait.
async fn check_address(db: &Db, s: &AuthSettings, ip: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let row: Option<IpRow> = db
        .query("SELECT count, window_start, last_at FROM ONLY $id")
        .bind(("id", RecordId::new("ip_failure", ip.to_string())))
        .one("ip load")
        .await?;
    let Some(row) = row else { return Ok(()) };
    if row.window_start + s.ip_window <= now {
        return Ok(());
    }
    let over = row.count - i64::from(s.ip_failures_free);
    if over < 0 {
        return Ok(());
    }
    let wait = TimeDelta::seconds(1i64 << over.min(9)).min(TimeDelta::minutes(5));
    let left = (row.last_at + wait - now).num_seconds();
    if left > 0 {
        return Err(AppError::invalid(format!(
            "С вашего адреса слишком много неудачных попыток входа. Повторите через {left} с"
        )));
    }
    Ok(())
}

async fn record_address_failure(db: &Db, s: &AuthSettings, ip: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let window = std::time::Duration::from_secs(s.ip_window.num_seconds().max(0) as u64);
    retrying("ip failure", || {
        db.query(
            "UPSERT $id SET
            count = IF window_start = NONE OR window_start + $window <= $now THEN 1 ELSE count + 1 END,
            window_start = IF window_start = NONE OR window_start + $window <= $now THEN $now ELSE window_start END,
            last_at = $now",
        )
        .bind(("id", RecordId::new("ip_failure", ip.to_string())))
        .bind(("window", window))
        .bind(("now", now))
    })
    .await
}

/// How long a temporary password (a new staff member's, or one an
/// administrator issued again) may be used for the first sign-in.
pub const TEMPORARY_PASSWORD_TTL: TimeDelta = TimeDelta::hours(72);

pub const TEMPORARY_EXPIRED: &str =
    "Временный пароль истёк: он действует 72 часа. Обратитесь к администратору портала за новым";

pub const DISABLED: &str = "Учётная запись сотрудника отключена. Обратитесь к администратору портала";

pub const RECOVERY_REQUIRED: &str =
    "Вход приостановлен: вы сообщили, что в кабинет входил кто-то другой. Восстановите пароль, чтобы войти снова";

/// Checks a login and password from a browser with no device cookie of
/// the account (an unknown browser). `public_url` goes into the lock notice.
pub async fn sign_in(
    db: &Db,
    s: &AuthSettings,
    public_url: &str,
    login: &str,
    pass: &str,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<SignedIn, AppError> {
    let (signed, _, counter) = sign_in_from(db, s, public_url, login, pass, client, None, now).await?;
    release(db, &counter, now).await?;
    Ok(signed)
}

/// Checks a login and password from a browser holding the device cookie
/// `device` (if any). Every attempt on a known account goes into its
/// journal. A right password also returns the account as read and the
/// counter to release (the caller does it with its own writes).
#[allow(clippy::too_many_arguments)]
pub async fn sign_in_from(
    db: &Db,
    s: &AuthSettings,
    public_url: &str,
    login: &str,
    pass: &str,
    client: &Client,
    device: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(SignedIn, accounts::AccountRow, Counter), AppError> {
    let ip = crate::platform::request::address_key(&client.ip);
    let ip = ip.as_str();
    let ident = parse_identifier(login).map_err(|m| AppError::field("login", m))?;
    if pass.is_empty() {
        return Err(AppError::field("password", "Введите пароль"));
    }
    check_address(db, s, ip, now).await?;

    let account = accounts::load_by_login(db, &ident).await?;
    let account_key = account.as_ref().map(|a| a.key());
    let key = match &account_key {
        Some(a) => key_for(db, a, device).await?,
        None => login_lock_key(&ident),
    };
    let max = i64::from(s.lockout_attempts);
    // The try is taken before the password is looked at (see the module doc).
    // The try is taken in one statement and the hash computed side by side:
    // the hash does not wait for the write to reach the disk, and its answer
    // is used only when the try was granted (a refused request learns
    // nothing from it; see the module doc).
    let reserving = async {
        if max > 0 {
            reserve(db, &key, account_key.as_deref(), max, s.lockout_duration, now).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let hashing = async {
        match &account {
            Some(a) => password::verify(pass.to_string(), a.password_hash.clone()).await,
            None => password::verify_dummy(pass.to_string()).await.map(|_| false),
        }
    };
    let (taken, right) = tokio::join!(reserving, hashing);
    let taken = taken?;
    if let Some(Taken::Locked(until)) = taken {
        if let Some(a) = &account_key {
            journal::record(db, a, Method::Password, false, "Вход заблокирован", client, now).await?;
        }
        return Err(AppError::Locked { until: moscow_time(until, now) });
    }

    let right = right?;
    if right && let Some(a) = account {
        let account = a.key();
        if a.recovery_required == Some(true) {
            journal::record(db, &account, Method::Password, false, "Вход приостановлен до восстановления", client, now)
                .await?;
            return Err(AppError::invalid(RECOVERY_REQUIRED));
        }
        if a.disabled {
            journal::record(db, &account, Method::Password, false, "Учётная запись отключена", client, now).await?;
            return Err(AppError::invalid(DISABLED));
        }
        if a.password_temporary && a.password_changed_at + TEMPORARY_PASSWORD_TTL <= now {
            journal::record(db, &account, Method::Password, false, "Временный пароль истёк", client, now).await?;
            return Err(AppError::invalid(TEMPORARY_EXPIRED));
        }
        let max_age = i64::from(s.password_max_age_days);
        let must_change_password =
            a.password_temporary || (max_age > 0 && a.password_changed_at + TimeDelta::days(max_age) <= now);
        return Ok((SignedIn { account, must_change_password }, a, Counter(key)));
    }

    record_address_failure(db, s, ip, now).await?;
    if let Some(a) = &account_key {
        journal::record(db, a, Method::Password, false, "Неверный пароль", client, now).await?;
    }
    let Some(Taken::Try(failed)) = taken else {
        return Err(AppError::invalid(WRONG_LOGIN));
    };
    if failed >= max {
        // The lock was set when this try was taken.
        let until = now + s.lockout_duration;
        if let Some(a) = &account_key {
            notify_locked(db, s, public_url, a, until, now).await?;
        }
        return Err(AppError::Locked { until: moscow_time(until, now) });
    }
    let left = max - failed;
    Err(AppError::invalid(format!("{WRONG_LOGIN}. Осталось попыток до временной блокировки входа: {left}")))
}

/// Whether the owner of `account` should hear of a lock until `until`: at
/// most one notice per lock period, whichever counter locked (one
/// statement, so parallel locks send one notice).
async fn first_notice(db: &Db, account: &str, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<bool, AppError> {
    let sent: Option<bool> = retrying_one("lock notice", || {
        db.query(
            "UPSERT $id SET sent = (until = NONE OR until <= $now),
                until = IF until = NONE OR until <= $now THEN $until ELSE until END
             RETURN VALUE sent",
        )
        .bind(("id", RecordId::new("lock_notice", account.to_string())))
        .bind(("until", until))
        .bind(("now", now))
    })
    .await?;
    Ok(sent.unwrap_or(false))
}

/// Spec 000 §2.3 (docs/product-rules.md §3): the owner learns of the lock, its reason and time, and
/// how to lift it.
async fn notify_locked(
    db: &Db,
    s: &AuthSettings,
    public_url: &str,
    account: &str,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !first_notice(db, account, until, now).await? {
        return Ok(());
    }
    let Some(a) = accounts::load(db, account).await? else { return Ok(()) };
    let text = format!(
        "вход в ваш личный кабинет с незнакомых устройств заблокирован до {} после {} неверных попыток ввода пароля. \
         На устройствах, с которых вы уже входили, и по ключу доступа вход работает. \
         Снять блокировку сразу можно восстановлением пароля: {public_url}/recover.",
        moscow_time(until, now),
        s.lockout_attempts
    );
    crate::notify::security_notice(db, public_url, &a, "Вход в личный кабинет заблокирован", &text, now).await
}

/// Locks sign-in to `account` from this browser (`device`: its device
/// cookie, if any) until `until` after too many wrong second-step codes,
/// and tells the owner why (once per lock period).
pub async fn lock_for_codes(
    db: &Db,
    public_url: &str,
    account: &str,
    device: Option<&str>,
    attempts: u32,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    set_lock(db, &key_for(db, account, device).await?, until, now).await?;
    if !first_notice(db, account, until, now).await? {
        return Ok(());
    }
    let Some(a) = accounts::load(db, account).await? else { return Ok(()) };
    let text = format!(
        "вход в ваш личный кабинет заблокирован до {} после {attempts} неверных кодов подтверждения входа.",
        moscow_time(until, now)
    );
    crate::notify::security_notice(db, public_url, &a, "Вход в личный кабинет заблокирован", &text, now).await
}

/// The time sign-in to `account` from this browser (`device`) is locked
/// until, if it is locked now.
pub async fn locked_until(
    db: &Db,
    account: &str,
    device: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let key = key_for(db, account, device).await?;
    Ok(lockout(db, &key).await?.and_then(|l| l.locked_until).filter(|u| *u > now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::db;

    #[tokio::test]
    async fn a_try_that_reaches_the_limit_locks_even_if_its_request_never_finishes() {
        let db = db::memory().await.unwrap();
        let t = crate::testing::t0();
        let key = account_lock_key("anna");
        let minutes = TimeDelta::minutes;
        // Five tries taken, none of them ever answered (the client went away).
        for n in 1..=5 {
            assert!(
                matches!(reserve(&db, &key, Some("anna"), 5, minutes(30), t).await.unwrap(), Taken::Try(i) if i == n)
            );
        }
        assert!(matches!(reserve(&db, &key, Some("anna"), 5, minutes(30), t).await.unwrap(), Taken::Locked(_)));
        // The lock runs out on its own: a fresh count, not a lock that moves forever.
        assert!(matches!(
            reserve(&db, &key, Some("anna"), 5, minutes(30), t + minutes(30)).await.unwrap(),
            Taken::Try(1)
        ));
    }

    #[tokio::test]
    async fn the_second_step_counter_cannot_get_stuck_either() {
        let db = db::memory().await.unwrap();
        let s = AuthSettings::default();
        let t = crate::testing::t0();
        for n in 1..=5 {
            assert_eq!(crate::auth::mfa::reserve_try(&db, &s, "anna", t).await.unwrap(), n);
        }
        assert!(matches!(crate::auth::mfa::reserve_try(&db, &s, "anna", t).await, Err(AppError::Locked { .. })));
        assert_eq!(crate::auth::mfa::reserve_try(&db, &s, "anna", t + s.mfa_lock_duration).await.unwrap(), 1);
    }
}
