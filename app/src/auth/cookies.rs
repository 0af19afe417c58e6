//! The portal's cookies: the session, the pending second step, the device. The cookie holds a random 256-bit token; the database keeps
//! only its SHA-256, so a leaked database does not hand out live sessions.
//! This module never stores or logs the token itself.

use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use leptos::prelude::use_context;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::platform::config::Config;

/// A fresh session token: 32 bytes from the OS-seeded CSPRNG, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database stores and looks sessions up by.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session cookie's base name.
pub const SESSION: &str = "portal_session";
/// A password accepted, the second step pending: the flow id, so the second
/// step can only be finished in the browser that typed the password.
pub const SIGNIN: &str = "portal_signin";
/// A long-lived random id of this browser, to tell a new device at sign-in.
pub const DEVICE: &str = "portal_device";

/// `__Host-` (Secure, no Domain, Path=/) when the portal is served over https.
pub fn named(config: &Config, base: &str) -> String {
    if config.https() { format!("__Host-{base}") } else { base.to_string() }
}

pub fn cookie_name(config: &Config) -> String {
    named(config, SESSION)
}

/// The `Set-Cookie` value for cookie `base`. `max_age` None is a browser
/// session cookie (nothing stays on the disk).
pub fn set_named(config: &Config, base: &str, value: &str, max_age_secs: Option<i64>) -> String {
    let mut c = format!("{}={value}; Path=/; HttpOnly; SameSite=Lax", named(config, base));
    if let Some(secs) = max_age_secs {
        c.push_str(&format!("; Max-Age={secs}"));
    }
    if config.https() {
        c.push_str("; Secure");
    }
    c
}

/// The `Set-Cookie` value for a new session («Чужой компьютер»: no max age).
pub fn cookie(config: &Config, token: &str, max_age_secs: Option<i64>) -> String {
    set_named(config, SESSION, token, max_age_secs)
}

/// The `Set-Cookie` value that removes cookie `base`.
pub fn clear_named(config: &Config, base: &str) -> String {
    set_named(config, base, "", Some(0))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(config: &Config) -> String {
    clear_named(config, SESSION)
}

/// Cookie `base` of this request when it is a hex string of `len` chars.
pub fn request_cookie(config: &Config, base: &str, len: usize) -> Option<String> {
    let parts = use_context::<Parts>()?;
    let name = named(config, base);
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == len && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The session token sent with this request, if any.
pub fn request_token(config: &Config) -> Option<String> {
    request_cookie(config, SESSION, 64)
}

/// Sets a header on the response being built (server function or page).
pub fn set_cookie_header(value: &str) {
    if let (Some(res), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value)) {
        res.append_header(SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_stored_hashed() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn https_cookies_are_host_prefixed_and_secure() {
        let mut config = Config::for_tests();
        assert_eq!(cookie(&config, "t", None), "portal_session=t; Path=/; HttpOnly; SameSite=Lax");
        config.public_url = "https://gosportal.example".into();
        let c = cookie(&config, "t", Some(60));
        assert!(c.starts_with("__Host-portal_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"));
        assert!(c.ends_with("; Secure"));
    }
}
