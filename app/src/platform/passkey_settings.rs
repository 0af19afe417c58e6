//! Where passkeys (WebAuthn) are valid: the relying-party id (a domain, the
//! scope of every passkey made here) and the origin pages are served from.
//!
//! `PORTAL_WEBAUTHN_RP_ID` and `PORTAL_WEBAUTHN_ORIGIN` default to the host
//! and origin of `PORTAL_PUBLIC_URL`. An IP address cannot be a relying-party
//! id, so a public address like `http://127.0.0.1:3000` (the dev default)
//! gives `localhost` and `http://localhost:3000`: open the portal by that
//! name to use passkeys in development.
//!
//! A passkey is bound to its relying-party id for good: changing it later
//! makes every registered passkey useless.

use std::collections::HashMap;

use webauthn_rs::prelude::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeySettings {
    /// A registrable domain or `localhost`, e.g. `lk.example.ru`.
    pub rp_id: String,
    /// `scheme://host[:port]` of the pages, whose host is `rp_id` or below it.
    pub origin: String,
}

impl PasskeySettings {
    /// Defaults derived from the public address (see the module comment).
    pub fn derived(public_url: &str) -> PasskeySettings {
        let Ok(url) = Url::parse(public_url) else {
            return PasskeySettings { rp_id: "localhost".into(), origin: "http://localhost".into() };
        };
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let host_is_ip = host.is_empty() || host.starts_with('[') || host.parse::<std::net::IpAddr>().is_ok();
        let rp_id = if host_is_ip { "localhost".to_string() } else { host };
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        let host = if host_is_ip { "localhost".to_string() } else { rp_id.clone() };
        PasskeySettings { rp_id, origin: format!("{}://{host}{port}", url.scheme()) }
    }

    /// Reads the two settings; every problem goes to `errors` with the
    /// setting's name.
    pub fn from_map(
        vars: &HashMap<String, String>,
        public_url: &str,
        production: bool,
        errors: &mut Vec<String>,
    ) -> PasskeySettings {
        let get = |k: &str| vars.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let derived = PasskeySettings::derived(public_url);
        let rp_id = get("PORTAL_WEBAUTHN_RP_ID").map(|v| v.to_ascii_lowercase()).unwrap_or(derived.rp_id);
        let origin = get("PORTAL_WEBAUTHN_ORIGIN").unwrap_or(derived.origin).trim_end_matches('/').to_string();
        let settings = PasskeySettings { rp_id, origin };
        errors.extend(settings.problems(production));
        settings
    }

    fn problems(&self, production: bool) -> Vec<String> {
        let mut p = Vec::new();
        let id = &self.rp_id;
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        let is_ip = id.parse::<std::net::IpAddr>().is_ok() || id.starts_with('[');
        if is_ip {
            p.push(format!(
                "PORTAL_WEBAUTHN_RP_ID: '{id}' is an IP address; a relying-party id must be a domain name (use localhost in development)"
            ));
        } else if !id.split('.').all(label_ok) {
            p.push(format!(
                "PORTAL_WEBAUTHN_RP_ID: '{id}' is not a domain name; use the bare host, e.g. lk.example.ru (no scheme, no port)"
            ));
        }
        let origin = &self.origin;
        let url = match Url::parse(origin) {
            Ok(u) if (u.scheme() == "https" || u.scheme() == "http") && u.path() == "/" && u.query().is_none() => u,
            _ => {
                p.push(format!(
                    "PORTAL_WEBAUTHN_ORIGIN: '{origin}' is not an origin; use scheme://host[:port], e.g. https://lk.example.ru"
                ));
                return p;
            }
        };
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if !p.is_empty() {
            return p;
        }
        if host != *id && !host.ends_with(&format!(".{id}")) {
            p.push(format!(
                "PORTAL_WEBAUTHN_ORIGIN: the host of '{origin}' must be PORTAL_WEBAUTHN_RP_ID ('{id}') or a subdomain of it"
            ));
        } else if url.scheme() == "http" && production {
            // In dev mode an http origin other than localhost is let through:
            // the portal works, only browsers will refuse passkeys there.
            p.push(format!(
                "PORTAL_WEBAUTHN_ORIGIN: '{origin}' must be https:// in production (browsers allow passkeys over http only on localhost)"
            ));
        } else if let Err(e) = webauthn_rs::WebauthnBuilder::new(id, &url).and_then(|b| b.build()) {
            p.push(format!("PORTAL_WEBAUTHN_RP_ID / PORTAL_WEBAUTHN_ORIGIN: not accepted by WebAuthn: {e}"));
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)], public_url: &str, production: bool) -> (PasskeySettings, Vec<String>) {
        let vars = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut errors = Vec::new();
        let s = PasskeySettings::from_map(&vars, public_url, production, &mut errors);
        (s, errors)
    }

    #[test]
    fn an_ip_public_address_gives_localhost() {
        let (s, e) = parse(&[], "http://127.0.0.1:3000", false);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(s, PasskeySettings { rp_id: "localhost".into(), origin: "http://localhost:3000".into() });
    }

    #[test]
    fn a_domain_public_address_is_the_relying_party() {
        let (s, e) = parse(&[], "https://lk.example.ru", true);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(s, PasskeySettings { rp_id: "lk.example.ru".into(), origin: "https://lk.example.ru".into() });
    }

    #[test]
    fn a_parent_domain_may_be_the_relying_party() {
        let (_, e) = parse(&[("PORTAL_WEBAUTHN_RP_ID", "example.ru")], "https://lk.example.ru", true);
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let (_, e) = parse(&[("PORTAL_WEBAUTHN_RP_ID", "127.0.0.1")], "http://127.0.0.1:3000", false);
        assert!(e.iter().any(|m| m.starts_with("PORTAL_WEBAUTHN_RP_ID:")), "{e:?}");
        let (_, e) = parse(&[("PORTAL_WEBAUTHN_RP_ID", "https://x.ru")], "https://x.ru", false);
        assert!(e.iter().any(|m| m.starts_with("PORTAL_WEBAUTHN_RP_ID:")), "{e:?}");
        let (_, e) = parse(&[("PORTAL_WEBAUTHN_ORIGIN", "https://other.ru")], "https://lk.example.ru", false);
        assert!(e.iter().any(|m| m.starts_with("PORTAL_WEBAUTHN_ORIGIN:")), "{e:?}");
        let (_, e) = parse(&[("PORTAL_WEBAUTHN_ORIGIN", "localhost:3000")], "http://localhost:3000", false);
        assert!(e.iter().any(|m| m.starts_with("PORTAL_WEBAUTHN_ORIGIN:")), "{e:?}");
        let (_, e) = parse(&[], "http://lk.example.ru", true);
        assert!(e.iter().any(|m| m.starts_with("PORTAL_WEBAUTHN_ORIGIN:")), "{e:?}");
    }
}
