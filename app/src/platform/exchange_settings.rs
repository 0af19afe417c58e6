//! Settings of the exchange with external systems (`platform::exchange`)
//! and of the simulated registries that answer it in development and tests
//! (`identity::simulator`): how often and how long a request is tried, how
//! long an answer is awaited, and the simulation's delay and injected
//! faults. Every bad value is named with its variable.

use std::collections::HashMap;

use chrono::TimeDelta;

use super::auth_settings::parse_duration;

#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeSettings {
    /// Sends of one request (the first and the retries) before it ends as
    /// failed (never accepted) or timed out (accepted, never answered)
    /// (`PORTAL_EXCHANGE_ATTEMPTS`).
    pub attempts: u32,
    /// The wait before the first retry; each next one doubles, with ±25 %
    /// jitter, up to `retry_max` (`PORTAL_EXCHANGE_RETRY_AFTER`).
    pub retry_after: TimeDelta,
    /// The longest wait between two sends (`PORTAL_EXCHANGE_RETRY_MAX`).
    pub retry_max: TimeDelta,
    /// How long an answer is awaited after a send is accepted; then the
    /// request is sent again with the same message id
    /// (`PORTAL_EXCHANGE_ANSWER_WAIT`).
    pub answer_wait: TimeDelta,
    pub simulation: RegistrySimulation,
}

/// The simulated registries (dev mode and tests).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegistrySimulation {
    /// How long a registry takes to answer (`PORTAL_REGISTRY_DELAY_MS`).
    pub delay: TimeDelta,
    /// Share of sends that get no acceptance in time (half of them reached
    /// the registry anyway) (`PORTAL_REGISTRY_TIMEOUT_RATE`, 0 to 1).
    pub timeout_rate: f64,
    /// Share of sends refused by a transport error (`PORTAL_REGISTRY_ERROR_RATE`).
    pub error_rate: f64,
    /// Share of answers delivered twice (`PORTAL_REGISTRY_DUPLICATE_RATE`).
    pub duplicate_rate: f64,
}

impl Default for RegistrySimulation {
    fn default() -> Self {
        RegistrySimulation { delay: TimeDelta::seconds(2), timeout_rate: 0.0, error_rate: 0.0, duplicate_rate: 0.0 }
    }
}

impl Default for ExchangeSettings {
    fn default() -> Self {
        ExchangeSettings {
            attempts: 5,
            retry_after: TimeDelta::seconds(2),
            retry_max: TimeDelta::minutes(5),
            answer_wait: TimeDelta::seconds(30),
            simulation: RegistrySimulation::default(),
        }
    }
}

impl ExchangeSettings {
    /// Reads the `PORTAL_EXCHANGE_*` and `PORTAL_REGISTRY_*` variables; each
    /// bad value adds a line to `errors`.
    pub fn from_map(vars: &HashMap<String, String>, errors: &mut Vec<String>) -> ExchangeSettings {
        let mut s = ExchangeSettings::default();
        let get = |k: &str| vars.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if let Some(v) = get("PORTAL_EXCHANGE_ATTEMPTS") {
            match v.parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => s.attempts = n,
                _ => errors.push(format!("PORTAL_EXCHANGE_ATTEMPTS: '{v}' is not a whole number from 1 to 100")),
            }
        }
        for (k, target) in [
            ("PORTAL_EXCHANGE_RETRY_AFTER", &mut s.retry_after),
            ("PORTAL_EXCHANGE_RETRY_MAX", &mut s.retry_max),
            ("PORTAL_EXCHANGE_ANSWER_WAIT", &mut s.answer_wait),
        ] {
            if let Some(v) = get(k) {
                match parse_duration(&v) {
                    Some(d) if d > TimeDelta::zero() => *target = d,
                    _ => errors.push(format!("{k}: '{v}' is not a duration; use e.g. 2s, 30s or 5m")),
                }
            }
        }
        if s.retry_max < s.retry_after {
            errors.push("PORTAL_EXCHANGE_RETRY_MAX: must not be shorter than PORTAL_EXCHANGE_RETRY_AFTER".into());
        }
        if let Some(v) = get("PORTAL_REGISTRY_DELAY_MS") {
            match v.parse::<i64>() {
                Ok(ms) if (0..=600_000).contains(&ms) => s.simulation.delay = TimeDelta::milliseconds(ms),
                _ => errors
                    .push(format!("PORTAL_REGISTRY_DELAY_MS: '{v}' is not a number of milliseconds from 0 to 600000")),
            }
        }
        for (k, target) in [
            ("PORTAL_REGISTRY_TIMEOUT_RATE", &mut s.simulation.timeout_rate),
            ("PORTAL_REGISTRY_ERROR_RATE", &mut s.simulation.error_rate),
            ("PORTAL_REGISTRY_DUPLICATE_RATE", &mut s.simulation.duplicate_rate),
        ] {
            if let Some(v) = get(k) {
                match v.parse::<f64>() {
                    Ok(r) if (0.0..=1.0).contains(&r) => *target = r,
                    _ => errors.push(format!("{k}: '{v}' is not a share from 0 to 1, e.g. 0.2")),
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> (ExchangeSettings, Vec<String>) {
        let vars = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut errors = Vec::new();
        (ExchangeSettings::from_map(&vars, &mut errors), errors)
    }

    #[test]
    fn registry_settings_are_read_and_bad_ones_named() {
        let (s, errors) = read(&[
            ("PORTAL_REGISTRY_DELAY_MS", "250"),
            ("PORTAL_REGISTRY_TIMEOUT_RATE", "0.3"),
            ("PORTAL_EXCHANGE_ANSWER_WAIT", "10s"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(s.simulation.delay, TimeDelta::milliseconds(250));
        assert_eq!(s.simulation.timeout_rate, 0.3);
        assert_eq!(s.answer_wait, TimeDelta::seconds(10));
        let (_, errors) = read(&[
            ("PORTAL_REGISTRY_DELAY_MS", "soon"),
            ("PORTAL_REGISTRY_ERROR_RATE", "2"),
            ("PORTAL_EXCHANGE_ATTEMPTS", "0"),
        ]);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("PORTAL_REGISTRY_DELAY_MS:")));
        assert!(errors.iter().any(|e| e.starts_with("PORTAL_REGISTRY_ERROR_RATE:")));
        assert!(errors.iter().any(|e| e.starts_with("PORTAL_EXCHANGE_ATTEMPTS:")));
    }
}
