//! The checks and every query of the area. A new check and its two
//! exchange requests are one transaction, guarded by the unique index on
//! `pending_for` (one pending check per account); a verdict, with what it
//! changes (the account's СНИЛС, passport and level, the notice), is one
//! transaction that goes through only if the check was still pending.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::model::{CheckState, PassportInput, Refusal, Verified, VerifyInput};
use super::registry::{Holder, PASSPORT_SYSTEM, PassportQuery, SNILS_SYSTEM, SnilsQuery};
use crate::auth::accounts::{AccountRow, account_rid, login_key};
use crate::auth::identifier::Identifier;
use crate::auth::{Level, LevelRoute};
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt, is_conflict, is_unique, record_key};
use crate::platform::exchange::{self, NewRequest};
use crate::platform::request::internal;

/// A check as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct CheckRow {
    pub id: RecordId,
    pub account: String,
    pub state: CheckState,
    pub snils: String,
    pub passport_series: String,
    pub passport_number: String,
    /// `YYYY-MM-DD`
    pub passport_issued_on: String,
    pub passport_issued_by: String,
    pub passport_division: String,
    pub refusals: Vec<Refusal>,
    pub snils_request: String,
    pub passport_request: String,
    pub created_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
}

impl CheckRow {
    pub fn key(&self) -> String {
        record_key(&self.id)
    }

    /// The data sent, as the form shows it again.
    pub fn input(&self) -> VerifyInput {
        let issued_on = chrono::NaiveDate::parse_from_str(&self.passport_issued_on, "%Y-%m-%d")
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_else(|_| self.passport_issued_on.clone());
        VerifyInput {
            snils: self.snils.clone(),
            passport: PassportInput {
                series: self.passport_series.clone(),
                number: self.passport_number.clone(),
                issued_on,
                issued_by: self.passport_issued_by.clone(),
                division_code: self.passport_division.clone(),
            },
        }
    }
}

fn check_rid(key: &str) -> RecordId {
    RecordId::new("identity_check", key.to_string())
}

fn holder_of(a: &AccountRow) -> Holder {
    Holder {
        surname: a.surname.clone(),
        name: a.name.clone(),
        patronymic: a.patronymic.clone().unwrap_or_default(),
        birth_date: a.birth_date.clone(),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| internal("identity request", e))
}

/// A new pending check `key` of `account` and its requests to the two
/// registries, in one transaction. `Ok(false)`: a check of this account is
/// pending already (the unique index), and nothing was written.
pub async fn create(
    db: &Db,
    account: &AccountRow,
    key: &str,
    v: &Verified,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let holder = holder_of(account);
    let snils = json(&SnilsQuery { snils: v.snils.clone(), holder: holder.clone() })?;
    let p = &v.passport;
    let passport = json(&PassportQuery {
        series: p.series.clone(),
        number: p.number.clone(),
        issued_on: p.issued_on.format("%Y-%m-%d").to_string(),
        issued_by: p.issued_by.clone(),
        division_code: p.division_code.clone(),
        holder,
    })?;
    let (snils_id, passport_id) = (exchange::new_message_id(), exchange::new_message_id());
    let build = || {
        let q = db
            .query("BEGIN")
            .query(
                "CREATE $check SET account = $account, pending_for = $account, state = 'pending', snils = $snils,
                    passport_series = $series, passport_number = $number, passport_issued_on = $issued_on,
                    passport_issued_by = $issued_by, passport_division = $division, refusals = [],
                    snils_request = $snils_request, passport_request = $passport_request, created_at = $now",
            )
            .bind(("check", check_rid(key)))
            .bind(("account", account.key()))
            .bind(("snils", v.snils.clone()))
            .bind(("series", p.series.clone()))
            .bind(("number", p.number.clone()))
            .bind(("issued_on", p.issued_on.format("%Y-%m-%d").to_string()))
            .bind(("issued_by", p.issued_by.clone()))
            .bind(("division", p.division_code.clone()))
            .bind(("snils_request", snils_id.clone()))
            .bind(("passport_request", passport_id.clone()))
            .bind(("now", now));
        let q = exchange::enqueue_in(
            q,
            0,
            NewRequest { message_id: &snils_id, system: SNILS_SYSTEM, subject: key, payload: snils.clone() },
            now,
        );
        let q = exchange::enqueue_in(
            q,
            1,
            NewRequest { message_id: &passport_id, system: PASSPORT_SYSTEM, subject: key, payload: passport.clone() },
            now,
        );
        q.query("COMMIT")
    };
    // Sends at once race for the unique index: the losers see it taken, or
    // (when their transactions overlapped) a conflict, and then try again
    // to see it taken.
    for attempt in 0..40u64 {
        let mut res = build().await.map_err(|e| internal("identity check", e))?;
        let errors = res.take_errors();
        if errors.is_empty() {
            return Ok(true);
        }
        if errors.values().any(is_unique) {
            return Ok(false);
        }
        if !errors.values().any(is_conflict) {
            let first = errors.into_values().next().map(|e| e.to_string()).unwrap_or_default();
            return Err(internal("identity check", first));
        }
        let ms = 1 + attempt.min(10) * 2 + rand::random_range(0..5u64);
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    Err(internal("identity check", "kept conflicting"))
}

pub async fn load(db: &Db, key: &str) -> Result<Option<CheckRow>, AppError> {
    db.query("SELECT * FROM ONLY $id").bind(("id", check_rid(key))).one("identity check").await
}

/// The account's newest check.
pub async fn latest(db: &Db, account: &str) -> Result<Option<CheckRow>, AppError> {
    db.query("SELECT * FROM identity_check WHERE account = $account ORDER BY created_at DESC LIMIT 1")
        .bind(("account", account.to_string()))
        .one("identity check latest")
        .await
}

/// How many checks an account has (tests).
pub async fn count(db: &Db, account: &str) -> Result<usize, AppError> {
    let keys: Vec<RecordId> = db
        .query("SELECT VALUE id FROM identity_check WHERE account = $account")
        .bind(("account", account.to_string()))
        .all("identity check count")
        .await?;
    Ok(keys.len())
}

/// A verdict as it is written.
pub struct Outcome {
    pub to: CheckState,
    pub refusals: Vec<Refusal>,
    /// The passport as the profile keeps it (when confirmed).
    pub passport: String,
    /// The notice to the citizen.
    pub subject: String,
    pub text: String,
}

/// Writes the verdict of a pending check, with what it brings: for
/// «confirmed» the account's СНИЛС (a login from now on) and passport and
/// the raise to «Стандартная»; and the notice. One transaction that stops
/// (and writes nothing) if the check is no longer pending or the СНИЛС has
/// become another account's meanwhile. `Ok(false)` when it stopped.
pub async fn settle(
    db: &Db,
    check: &CheckRow,
    account: &AccountRow,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let to = outcome.to;
    let mut q = db
        .query("BEGIN")
        .query(
            "LET $won = (UPDATE $check SET state = $to, refusals = $refusals, settled_at = $now, pending_for = $key
                WHERE state = 'pending' RETURN VALUE id);
             IF array::len($won) = 0 { THROW 'identity check: settled already' };",
        )
        .bind(("check", check.id.clone()))
        .bind(("to", to))
        .bind(("refusals", outcome.refusals.clone()))
        .bind(("key", check.key()))
        .bind(("now", now));
    if to == CheckState::Confirmed {
        let login = RecordId::new("login", login_key(&Identifier::Snils(check.snils.clone())));
        q = q
            .query(
                "LET $holder = (SELECT VALUE account FROM ONLY $login);
                 IF $holder != NONE AND $holder != $account_key { THROW 'identity check: СНИЛС on another account' };
                 LET $simple = (SELECT VALUE level FROM ONLY $account) = 'simplified';
                 IF $holder = NONE AND $simple { CREATE $login SET account = $account_key };
                 UPDATE $account SET snils = $snils, passport = $passport WHERE level = 'simplified';",
            )
            .bind(("login", login))
            .bind(("account_key", account.key()))
            .bind(("account", account_rid(&account.key())))
            .bind(("snils", check.snils.clone()))
            .bind(("passport", outcome.passport.clone()));
        // A СНИЛС the account had before (the demo data) stops being a login.
        if let Some(old) = account.snils.as_ref().filter(|old| **old != check.snils) {
            q = q
                // Only while it is still this account's, and only for an
                // account the check raises (an МФЦ may have confirmed it
                // from the originals meanwhile: its data stays).
                .query("IF $simple { DELETE $old_login WHERE account = $account_key }")
                .bind(("old_login", RecordId::new("login", login_key(&Identifier::Snils(old.clone())))));
        }
        q = crate::auth::levels::raise_in(q, 0, &account.key(), Level::Standard, LevelRoute::Registries, None, now);
    }
    q = crate::notify::notice_in(
        q,
        0,
        account,
        crate::notify::NoticeKind::PersonalData,
        &outcome.subject,
        &outcome.text,
        Some("/profile/verify"),
        now,
    );
    let mut res = q.query("COMMIT").await.map_err(|e| internal("identity settle", e))?;
    let errors = res.take_errors();
    if errors.is_empty() {
        return Ok(true);
    }
    let first = errors.into_values().next().map(|e| e.to_string()).unwrap_or_default();
    tracing::info!(check = %check.key(), "identity settle stopped: {first}");
    Ok(false)
}
