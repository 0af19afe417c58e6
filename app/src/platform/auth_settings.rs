//! The sign-in and session settings of spec 000 §2.3 / §3.3 and spec 003:
//! lockout, slow-down, password policy and age, code rules, session
//! timeouts. Every number is a setting (`PORTAL_*`); the defaults are the
//! specification's.

use std::collections::HashMap;

use chrono::TimeDelta;

use crate::auth::policy::PasswordPolicy;

#[derive(Debug, Clone, PartialEq)]
pub struct AuthSettings {
    /// Wrong passwords in a row that lock an account (0 = never lock).
    pub lockout_attempts: u32,
    pub lockout_duration: TimeDelta,
    /// Failed sign-ins from one address (any accounts) within `ip_window`
    /// before each further attempt must wait, doubling up to 5 minutes.
    pub ip_failures_free: u32,
    pub ip_window: TimeDelta,
    /// Days after which a password must be changed (0 = never).
    pub password_max_age_days: u32,
    /// How many previous passwords may not be reused.
    pub password_history: u32,
    /// The lowest zxcvbn score (0..4) a new password may have.
    pub password_min_score: u8,
    pub policy: PasswordPolicy,
    pub code_ttl: TimeDelta,
    pub code_attempts: u32,
    pub code_resend_after: TimeDelta,
    pub codes_per_hour: u32,
    pub session_idle: TimeDelta,
    /// Idle timeout with «Чужой компьютер».
    pub session_idle_public: TimeDelta,
    /// Idle timeout of a staff session (never «запомнить»).
    pub session_idle_staff: TimeDelta,
    pub session_absolute: TimeDelta,
    /// How long before the idle timeout the page warns and offers «Продлить».
    pub session_warning: TimeDelta,
    /// Turning a second-step method off or new backup codes need the
    /// password (or a passkey) proven within this window.
    pub reauth_window: TimeDelta,
    /// Sign-in lock after `lockout_attempts` wrong second-step codes.
    pub mfa_lock_duration: TimeDelta,
    /// How many messages may be asked for per hour, per address and in all.
    pub budgets: SendBudgets,
}

/// Per hour: (per client address, in all). 0 = no budget. Checked before
/// any password is hashed or code made, so a flood costs the portal little
/// and cannot run up the SMS bill or spam one phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendBudgets {
    /// «Зарегистрироваться» (`PORTAL_BUDGET_REGISTER_PER_ADDRESS`, `…_TOTAL`).
    pub register: (u32, u32),
    /// «Забыли пароль?» (`PORTAL_BUDGET_RECOVER_*`).
    pub recover: (u32, u32),
    /// «Отправить код ещё раз», another channel (`PORTAL_BUDGET_RESEND_*`).
    pub resend: (u32, u32),
    /// A code by voice call, the dearest channel (`PORTAL_BUDGET_VOICE_*`).
    pub voice: (u32, u32),
}

impl Default for SendBudgets {
    fn default() -> Self {
        SendBudgets { register: (20, 2000), recover: (10, 2000), resend: (30, 5000), voice: (5, 300) }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            lockout_attempts: 5,
            lockout_duration: TimeDelta::minutes(30),
            ip_failures_free: 20,
            ip_window: TimeDelta::minutes(15),
            password_max_age_days: 90,
            password_history: 5,
            password_min_score: 3,
            policy: PasswordPolicy::default(),
            code_ttl: TimeDelta::minutes(10),
            code_attempts: 5,
            code_resend_after: TimeDelta::seconds(60),
            codes_per_hour: 5,
            session_idle: TimeDelta::minutes(30),
            session_idle_public: TimeDelta::minutes(15),
            session_idle_staff: TimeDelta::minutes(15),
            session_absolute: TimeDelta::hours(12),
            session_warning: TimeDelta::minutes(5),
            reauth_window: TimeDelta::minutes(10),
            mfa_lock_duration: TimeDelta::minutes(15),
            budgets: SendBudgets::default(),
        }
    }
}

/// `90s`, `30m`, `12h`, `1d`, or a bare number of seconds.
pub fn parse_duration(raw: &str) -> Option<TimeDelta> {
    let raw = raw.trim();
    let (digits, unit) = match raw.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => raw.split_at(i),
        None => (raw, "s"),
    };
    let n: i64 = digits.parse().ok()?;
    match unit {
        "s" => TimeDelta::try_seconds(n),
        "m" => TimeDelta::try_minutes(n),
        "h" => TimeDelta::try_hours(n),
        "d" => TimeDelta::try_days(n),
        _ => None,
    }
}

impl AuthSettings {
    /// Reads the `PORTAL_*` auth variables; each bad value adds a line to `errors`.
    pub fn from_map(vars: &HashMap<String, String>, errors: &mut Vec<String>) -> AuthSettings {
        let mut s = AuthSettings::default();
        let get = |k: &str| vars.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut number = |k: &str, target: &mut u32, max: u32| {
            if let Some(v) = get(k) {
                match v.parse::<u32>() {
                    Ok(n) if n <= max => *target = n,
                    _ => errors.push(format!("{k}: '{v}' is not a whole number from 0 to {max}")),
                }
            }
        };
        number("PORTAL_LOCKOUT_ATTEMPTS", &mut s.lockout_attempts, 1000);
        number("PORTAL_IP_FAILURES_FREE", &mut s.ip_failures_free, 1_000_000);
        number("PORTAL_PASSWORD_MAX_AGE_DAYS", &mut s.password_max_age_days, 3650);
        number("PORTAL_PASSWORD_HISTORY", &mut s.password_history, 24);
        number("PORTAL_CODE_ATTEMPTS", &mut s.code_attempts, 100);
        number("PORTAL_CODES_PER_HOUR", &mut s.codes_per_hour, 1000);
        let b = &mut s.budgets;
        for (name, (per_address, total)) in [
            ("REGISTER", &mut b.register),
            ("RECOVER", &mut b.recover),
            ("RESEND", &mut b.resend),
            ("VOICE", &mut b.voice),
        ] {
            number(&format!("PORTAL_BUDGET_{name}_PER_ADDRESS"), per_address, 1_000_000);
            number(&format!("PORTAL_BUDGET_{name}_TOTAL"), total, 100_000_000);
        }
        let mut score = u32::from(s.password_min_score);
        number("PORTAL_PASSWORD_MIN_SCORE", &mut score, 4);
        s.password_min_score = u8::try_from(score).unwrap_or(3);
        let mut min_length = s.policy.min_length as u32;
        number("PORTAL_PASSWORD_MIN_LENGTH", &mut min_length, 64);
        s.policy.min_length = min_length as usize;
        for (k, target) in [
            ("PORTAL_PASSWORD_REQUIRE_UPPER", &mut s.policy.require_upper),
            ("PORTAL_PASSWORD_REQUIRE_LOWER", &mut s.policy.require_lower),
            ("PORTAL_PASSWORD_REQUIRE_DIGIT", &mut s.policy.require_digit),
            ("PORTAL_PASSWORD_REQUIRE_SPECIAL", &mut s.policy.require_special),
            ("PORTAL_PASSWORD_FORBID_RUNS", &mut s.policy.forbid_runs),
            ("PORTAL_PASSWORD_FORBID_TRIPLES", &mut s.policy.forbid_triples),
        ] {
            match get(k).as_deref() {
                None => {}
                Some("true" | "1" | "yes") => *target = true,
                Some("false" | "0" | "no") => *target = false,
                Some(other) => errors.push(format!("{k}: '{other}' is not true or false")),
            }
        }
        for (k, target) in [
            ("PORTAL_LOCKOUT_DURATION", &mut s.lockout_duration),
            ("PORTAL_IP_WINDOW", &mut s.ip_window),
            ("PORTAL_CODE_TTL", &mut s.code_ttl),
            ("PORTAL_CODE_RESEND_AFTER", &mut s.code_resend_after),
            ("PORTAL_SESSION_IDLE", &mut s.session_idle),
            ("PORTAL_SESSION_IDLE_PUBLIC", &mut s.session_idle_public),
            ("PORTAL_SESSION_IDLE_STAFF", &mut s.session_idle_staff),
            ("PORTAL_SESSION_ABSOLUTE", &mut s.session_absolute),
            ("PORTAL_SESSION_WARNING", &mut s.session_warning),
            ("PORTAL_REAUTH_WINDOW", &mut s.reauth_window),
            ("PORTAL_MFA_LOCK_DURATION", &mut s.mfa_lock_duration),
        ] {
            if let Some(v) = get(k) {
                match parse_duration(&v) {
                    Some(d) if d > TimeDelta::zero() || k == "PORTAL_CODE_RESEND_AFTER" => *target = d,
                    _ => errors.push(format!("{k}: '{v}' is not a duration; use e.g. 90s, 30m, 12h or 1d")),
                }
            }
        }
        if s.session_warning >= s.session_idle_public.min(s.session_idle).min(s.session_idle_staff) {
            errors.push("PORTAL_SESSION_WARNING: must be shorter than both idle timeouts".to_string());
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_their_units() {
        assert_eq!(parse_duration("90s"), Some(TimeDelta::seconds(90)));
        assert_eq!(parse_duration("30m"), Some(TimeDelta::minutes(30)));
        assert_eq!(parse_duration("12h"), Some(TimeDelta::hours(12)));
        assert_eq!(parse_duration("45"), Some(TimeDelta::seconds(45)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("5w"), None);
    }

    #[test]
    fn bad_auth_settings_are_named() {
        let vars: HashMap<String, String> = [
            ("PORTAL_LOCKOUT_ATTEMPTS", "many"),
            ("PORTAL_SESSION_IDLE", "forever"),
            ("PORTAL_PASSWORD_REQUIRE_UPPER", "perhaps"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut errors = Vec::new();
        AuthSettings::from_map(&vars, &mut errors);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("PORTAL_LOCKOUT_ATTEMPTS"));
    }

    #[test]
    fn settings_override_the_defaults() {
        let vars: HashMap<String, String> =
            [("PORTAL_LOCKOUT_ATTEMPTS", "3"), ("PORTAL_SESSION_IDLE", "20s"), ("PORTAL_SESSION_WARNING", "10s")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let mut errors = Vec::new();
        let s = AuthSettings::from_map(&vars, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(s.lockout_attempts, 3);
        assert_eq!(s.session_idle, TimeDelta::seconds(20));
    }
}
