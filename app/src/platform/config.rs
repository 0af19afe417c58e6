//! Configuration of one portal process, read from environment variables and
//! an optional file of `NAME=value` lines (`PORTAL_CONFIG`, or `portal.env`
//! in the working directory). The environment wins over the file.
//!
//! Every bad value is reported with its variable name and what is expected;
//! all problems are collected so an operator fixes them in one pass. It must
//! never print a secret's value.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dev,
    Production,
}

impl Mode {
    pub fn is_dev(self) -> bool {
        self == Mode::Dev
    }
}

/// Where the database lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DbEndpoint {
    /// Embedded, on disk: `surrealkv://path`.
    SurrealKv(String),
    /// Embedded, in memory (tests): `mem://`.
    Memory,
    /// A SurrealDB server: `ws://host:port` or `wss://…`, signed in as a root user.
    Remote { url: String, user: String, password: Secret },
}

impl DbEndpoint {
    /// The address the SurrealDB client connects to.
    pub fn url(&self) -> String {
        match self {
            DbEndpoint::SurrealKv(path) => format!("surrealkv://{path}"),
            DbEndpoint::Memory => "mem://".to_string(),
            DbEndpoint::Remote { url, .. } => url.clone(),
        }
    }
}

impl fmt::Debug for DbEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbEndpoint::Remote { url, user, .. } => write!(f, "{url} (user {user})"),
            other => f.write_str(&other.url()),
        }
    }
}

/// A secret value: never printed, never serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// `smtp://host:port` (STARTTLS) or `smtps://host:port` (TLS).
    pub url: String,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct SmsGatewayConfig {
    /// Receives `POST {"to": "+7…", "text": "…", "kind": "sms"|"voice"}`.
    pub url: String,
    pub token: Option<Secret>,
}

/// The one support contact block shown on «Помощь» and in the footer.
#[derive(Debug, Clone)]
pub struct SupportContacts {
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub listen: SocketAddr,
    pub public_url: String,
    pub db: DbEndpoint,
    pub db_namespace: String,
    pub db_database: String,
    /// Where uploaded files are kept (`PORTAL_FILES*`, see `platform::files`).
    pub files: super::files::FileSettings,
    pub smtp: Option<SmtpConfig>,
    pub sms: Option<SmsGatewayConfig>,
    pub support: SupportContacts,
    pub log_json: bool,
    pub auth: super::auth_settings::AuthSettings,
    /// Passkeys: relying-party id and origin (`PORTAL_WEBAUTHN_*`).
    pub passkeys: super::passkey_settings::PasskeySettings,
    /// The exchange with external systems and the simulated registries
    /// (`PORTAL_EXCHANGE_*`, `PORTAL_REGISTRY_*`).
    pub exchange: super::exchange_settings::ExchangeSettings,
    /// Reverse proxies whose `X-Forwarded-For` is believed
    /// (`PORTAL_TRUSTED_PROXIES`, comma-separated addresses). Empty: the
    /// TCP peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The key that encrypts secrets at rest (authenticator keys) and keys
    /// the backup-code hashes (`PORTAL_SECRET_KEY`, 64 hex digits). A dev
    /// portal without one uses a fixed development key.
    pub secret_key: Option<Secret>,
    /// Keys that opened secrets before a rotation (`PORTAL_SECRET_KEY_PREVIOUS`,
    /// comma-separated): read with, never written with.
    pub secret_key_previous: Vec<Secret>,
}

impl Config {
    /// True when the public address is https, so cookies get `Secure` and
    /// the `__Host-` prefix and responses carry HSTS.
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// A configuration for tests: in-memory database, dev mode.
    pub fn for_tests() -> Config {
        Config {
            mode: Mode::Dev,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: "http://localhost".to_string(),
            db: DbEndpoint::Memory,
            db_namespace: "portal".to_string(),
            db_database: "test".to_string(),
            files: super::files::FileSettings::Memory,
            smtp: None,
            sms: None,
            support: SupportContacts { phone: "8 800 100-00-00".into(), email: "help@example.ru".into() },
            log_json: false,
            auth: super::auth_settings::AuthSettings::default(),
            passkeys: super::passkey_settings::PasskeySettings::derived("http://localhost"),
            exchange: super::exchange_settings::ExchangeSettings::default(),
            trusted_proxies: Vec::new(),
            secret_key: None,
            secret_key_previous: Vec::new(),
        }
    }

    /// Reads the process environment and the optional file.
    pub fn from_env() -> Result<Config, ConfigErrors> {
        let mut vars: HashMap<String, String> = HashMap::new();
        let file = std::env::var("PORTAL_CONFIG").ok();
        let path = file.clone().unwrap_or_else(|| "portal.env".to_string());
        match dotenvy::from_path_iter(&path) {
            Ok(iter) => {
                for item in iter {
                    match item {
                        Ok((k, v)) => {
                            vars.insert(k, v);
                        }
                        Err(e) => {
                            return Err(ConfigErrors(vec![format!(
                                "PORTAL_CONFIG: the file {path} cannot be read: {e}"
                            )]));
                        }
                    }
                }
            }
            Err(e) if file.is_some() => {
                return Err(ConfigErrors(vec![format!("PORTAL_CONFIG: the file {path} cannot be read: {e}")]));
            }
            Err(_) => {} // no default file: fine
        }
        for (k, v) in std::env::vars() {
            if k.starts_with("PORTAL_") || k.starts_with("LEPTOS_") {
                vars.insert(k, v);
            }
        }
        Config::from_map(&vars)
    }

    /// Parses a map of variables; the heart of `from_env`, testable.
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Config, ConfigErrors> {
        let mut errors = Vec::new();
        let get = |k: &str| vars.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());

        let mode = match get("PORTAL_MODE").as_deref() {
            None | Some("dev") => Mode::Dev,
            Some("production") => Mode::Production,
            Some(other) => {
                errors.push(format!("PORTAL_MODE: '{other}' is not a mode; use 'dev' or 'production'"));
                Mode::Dev
            }
        };

        let listen_raw =
            get("PORTAL_LISTEN").or_else(|| get("LEPTOS_SITE_ADDR")).unwrap_or_else(|| "127.0.0.1:3000".to_string());
        let listen = match listen_raw.parse::<SocketAddr>() {
            Ok(a) => a,
            Err(_) => {
                errors.push(format!(
                    "PORTAL_LISTEN: '{listen_raw}' is not an address; use host:port, e.g. 127.0.0.1:3000"
                ));
                SocketAddr::from(([127, 0, 0, 1], 3000))
            }
        };

        let public_url =
            get("PORTAL_PUBLIC_URL").unwrap_or_else(|| format!("http://{listen}")).trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            errors.push(format!("PORTAL_PUBLIC_URL: '{public_url}' must start with https:// (or http:// in dev mode)"));
        }

        let db_raw = get("PORTAL_DB").unwrap_or_else(|| "surrealkv://data".to_string());
        let db = if let Some(path) = db_raw.strip_prefix("surrealkv://") {
            if path.is_empty() {
                errors.push("PORTAL_DB: surrealkv:// needs a directory, e.g. surrealkv://data".to_string());
            }
            DbEndpoint::SurrealKv(path.to_string())
        } else if db_raw == "mem://" || db_raw == "memory" {
            DbEndpoint::Memory
        } else if db_raw.starts_with("ws://") || db_raw.starts_with("wss://") {
            let user = get("PORTAL_DB_USER");
            let password = get("PORTAL_DB_PASSWORD");
            if user.is_none() {
                errors.push("PORTAL_DB_USER: required with a remote database (ws:// or wss://)".to_string());
            }
            if password.is_none() {
                errors.push("PORTAL_DB_PASSWORD: required with a remote database (ws:// or wss://)".to_string());
            }
            DbEndpoint::Remote {
                url: db_raw.clone(),
                user: user.unwrap_or_default(),
                password: Secret(password.unwrap_or_default()),
            }
        } else {
            errors.push(format!(
                "PORTAL_DB: '{db_raw}' is not a database address; use surrealkv://<dir>, mem:// or ws://host:port"
            ));
            DbEndpoint::Memory
        };

        let files = super::files::FileSettings::from_map(vars, &db, mode == Mode::Production, &mut errors);

        let smtp = get("PORTAL_SMTP_URL").map(|url| {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                errors.push(format!("PORTAL_SMTP_URL: '{url}' must start with smtp:// or smtps://"));
            }
            let from = get("PORTAL_MAIL_FROM").unwrap_or_default();
            if !from.contains('@') {
                errors
                    .push("PORTAL_MAIL_FROM: required with PORTAL_SMTP_URL, an address like noreply@example.ru".into());
            }
            SmtpConfig { url, user: get("PORTAL_SMTP_USER"), password: get("PORTAL_SMTP_PASSWORD").map(Secret), from }
        });

        let sms = get("PORTAL_SMS_GATEWAY_URL").map(|url| {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                errors.push(format!("PORTAL_SMS_GATEWAY_URL: '{url}' must be an http(s) address"));
            }
            SmsGatewayConfig { url, token: get("PORTAL_SMS_GATEWAY_TOKEN").map(Secret) }
        });

        let support = SupportContacts {
            phone: get("PORTAL_SUPPORT_PHONE").unwrap_or_else(|| "8 800 100-70-10".to_string()),
            email: get("PORTAL_SUPPORT_EMAIL").unwrap_or_else(|| "support@gosportal.example".to_string()),
        };

        let log_json = match get("PORTAL_LOG_FORMAT").as_deref() {
            None => mode == Mode::Production,
            Some("json") => true,
            Some("text") => false,
            Some(other) => {
                errors.push(format!("PORTAL_LOG_FORMAT: '{other}' is not a format; use 'json' or 'text'"));
                false
            }
        };

        let auth = super::auth_settings::AuthSettings::from_map(vars, &mut errors);
        let passkeys = super::passkey_settings::PasskeySettings::from_map(
            vars,
            &public_url,
            mode == Mode::Production,
            &mut errors,
        );

        let exchange = super::exchange_settings::ExchangeSettings::from_map(vars, &mut errors);

        let mut trusted_proxies = Vec::new();
        for raw in get("PORTAL_TRUSTED_PROXIES").unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty())
        {
            match raw.parse() {
                Ok(ip) => trusted_proxies.push(ip),
                Err(_) => errors.push(format!("PORTAL_TRUSTED_PROXIES: '{raw}' is not an IP address")),
            }
        }
        let is_key = |k: &str| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit());
        let secret_key = get("PORTAL_SECRET_KEY").map(Secret);
        if let Some(key) = &secret_key
            && !is_key(key.expose())
        {
            errors.push("PORTAL_SECRET_KEY: must be 64 hex digits (32 random bytes: `openssl rand -hex 32`)".into());
        }
        let secret_key_previous: Vec<Secret> = get("PORTAL_SECRET_KEY_PREVIOUS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| Secret(k.to_string()))
            .collect();
        if secret_key_previous.iter().any(|k| !is_key(k.expose())) {
            errors.push("PORTAL_SECRET_KEY_PREVIOUS: each key must be 64 hex digits, separated by commas".into());
        }

        let config = Config {
            mode,
            listen,
            public_url,
            db,
            db_namespace: get("PORTAL_DB_NAMESPACE").unwrap_or_else(|| "portal".to_string()),
            db_database: get("PORTAL_DB_DATABASE").unwrap_or_else(|| "main".to_string()),
            files,
            smtp,
            sms,
            support,
            log_json,
            auth,
            passkeys,
            exchange,
            trusted_proxies,
            secret_key,
            secret_key_previous,
        };
        if config.mode == Mode::Production {
            errors.extend(config.production_problems());
        }
        if errors.is_empty() { Ok(config) } else { Err(ConfigErrors(errors)) }
    }

    /// Settings that are fine for a developer but unsafe for citizens.
    fn production_problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if !self.https() {
            p.push(
                "PORTAL_PUBLIC_URL: production needs an https:// address (cookies are Secure only over https)".into(),
            );
        }
        if self.db == DbEndpoint::Memory {
            p.push("PORTAL_DB: mem:// loses every account on restart; production needs surrealkv:// or ws://".into());
        }
        if let DbEndpoint::Remote { url, .. } = &self.db {
            let local = url.contains("://127.") || url.contains("://localhost") || url.contains("://[::1]");
            if url.starts_with("ws://") && !local {
                p.push("PORTAL_DB: production talks to a remote database over wss:// (TLS), not ws://".into());
            }
        }
        if self.smtp.is_none() && self.sms.is_none() {
            p.push("PORTAL_SMTP_URL or PORTAL_SMS_GATEWAY_URL: production needs a real channel for codes and notices (the dev outbox is off)".into());
        }
        if self.secret_key.is_none() {
            p.push(
                "PORTAL_SECRET_KEY: production needs its own key for secrets at rest (`openssl rand -hex 32`)".into(),
            );
        }
        let tls_required = |url: &str| {
            let url = url.to_ascii_lowercase();
            url.starts_with("smtps://")
                || url.split_once('?').is_some_and(|(_, q)| q.split('&').any(|kv| kv == "tls=required"))
        };
        if let Some(smtp) = &self.smtp
            && !tls_required(&smtp.url)
        {
            p.push("PORTAL_SMTP_URL: production sends mail over TLS only: smtps://, or smtp://…?tls=required".into());
        }
        if let Some(smtp) = &self.smtp
            && smtp.user.is_some()
            && smtp.password.is_none()
        {
            p.push("PORTAL_SMTP_PASSWORD: missing while PORTAL_SMTP_USER is set".into());
        }
        if let Some(sms) = &self.sms {
            if sms.token.is_none() {
                p.push("PORTAL_SMS_GATEWAY_TOKEN: production needs the gateway's secret token".into());
            }
            if !sms.url.starts_with("https://") {
                p.push("PORTAL_SMS_GATEWAY_URL: production needs an https:// gateway".into());
            }
        }
        p
    }
}

/// Every problem found in the configuration, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<String>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "configuration error{}:", if self.0.len() == 1 { "" } else { "s" })?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn errors(pairs: &[(&str, &str)]) -> Vec<String> {
        match Config::from_map(&map(pairs)) {
            Ok(_) => Vec::new(),
            Err(ConfigErrors(e)) => e,
        }
    }

    #[test]
    fn defaults_are_a_dev_portal_on_embedded_storage() {
        let c = Config::from_map(&HashMap::new()).unwrap();
        assert_eq!(c.mode, Mode::Dev);
        assert_eq!(c.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(c.db, DbEndpoint::SurrealKv("data".into()));
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn each_bad_value_is_named() {
        let e = errors(&[("PORTAL_MODE", "prod"), ("PORTAL_LISTEN", "nowhere"), ("PORTAL_DB", "postgres://x")]);
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("PORTAL_MODE:"));
        assert!(e[1].starts_with("PORTAL_LISTEN:"));
        assert!(e[2].starts_with("PORTAL_DB:"));
    }

    #[test]
    fn remote_database_needs_credentials_and_hides_the_password() {
        let e = errors(&[("PORTAL_DB", "ws://127.0.0.1:8000")]);
        assert!(e.iter().any(|m| m.starts_with("PORTAL_DB_USER:")));
        assert!(e.iter().any(|m| m.starts_with("PORTAL_DB_PASSWORD:")));
        let c = Config::from_map(&map(&[
            ("PORTAL_DB", "ws://127.0.0.1:8000"),
            ("PORTAL_DB_USER", "root"),
            ("PORTAL_DB_PASSWORD", "hunter2-secret"),
        ]))
        .unwrap();
        assert!(!format!("{c:?}").contains("hunter2-secret"));
    }

    #[test]
    fn production_refuses_insecure_settings_and_says_which() {
        let e = errors(&[("PORTAL_MODE", "production"), ("PORTAL_DB", "mem://")]);
        assert!(e.iter().any(|m| m.starts_with("PORTAL_PUBLIC_URL:")), "{e:?}");
        assert!(e.iter().any(|m| m.starts_with("PORTAL_DB:")), "{e:?}");
        assert!(e.iter().any(|m| m.starts_with("PORTAL_SMTP_URL or PORTAL_SMS_GATEWAY_URL:")), "{e:?}");
        assert!(e.iter().any(|m| m.starts_with("PORTAL_SECRET_KEY:")), "{e:?}");
    }

    #[test]
    fn production_refuses_mail_without_tls() {
        let base = [
            ("PORTAL_MODE", "production"),
            ("PORTAL_PUBLIC_URL", "https://lk.example.ru"),
            ("PORTAL_MAIL_FROM", "noreply@example.ru"),
            ("PORTAL_SECRET_KEY", KEY),
        ];
        let plain = errors(&[&base[..], &[("PORTAL_SMTP_URL", "smtp://mail.example.ru:25")]].concat());
        assert!(plain.iter().any(|m| m.starts_with("PORTAL_SMTP_URL: production sends mail over TLS")), "{plain:?}");
        let starttls = errors(&[&base[..], &[("PORTAL_SMTP_URL", "smtp://mail.example.ru:587?tls=required")]].concat());
        assert!(starttls.is_empty(), "{starttls:?}");
    }

    const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    #[test]
    fn a_secret_key_is_64_hex_digits_and_never_printed() {
        assert!(errors(&[("PORTAL_SECRET_KEY", "short")]).iter().any(|m| m.starts_with("PORTAL_SECRET_KEY:")));
        let c = Config::from_map(&map(&[("PORTAL_SECRET_KEY", KEY)])).unwrap();
        assert!(!format!("{c:?}").contains("00112233"));
    }

    #[test]
    fn trusted_proxies_are_addresses() {
        let c = Config::from_map(&map(&[("PORTAL_TRUSTED_PROXIES", "10.0.0.1, ::1")])).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert!(errors(&[("PORTAL_TRUSTED_PROXIES", "proxy.local")]).iter().any(|m| m.starts_with("PORTAL_TRUSTED")));
    }

    #[test]
    fn production_with_https_storage_and_a_channel_starts() {
        let e = errors(&[
            ("PORTAL_MODE", "production"),
            ("PORTAL_PUBLIC_URL", "https://lk.example.ru"),
            ("PORTAL_SMTP_URL", "smtps://mail.example.ru:465"),
            ("PORTAL_MAIL_FROM", "noreply@example.ru"),
            ("PORTAL_SECRET_KEY", KEY),
        ]);
        assert!(e.is_empty(), "{e:?}");
    }
}
