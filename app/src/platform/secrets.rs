//! Secrets at rest: authenticator-app keys are stored sealed (ChaCha20-
//! Poly1305 with a key from `PORTAL_SECRET_KEY`), backup codes as a keyed
//! hash (HMAC-SHA256 with the same key), so a copy of the database alone
//! opens no second step. `ring` does the cryptography (it is already in
//! the build through rustls); nothing here is hand-rolled.
//!
//! Rotation (README «Operations»): put the new key in `PORTAL_SECRET_KEY`
//! and the old one in `PORTAL_SECRET_KEY_PREVIOUS`, run `portal
//! rotate-secrets` (re-seals every app key with the new one), and drop the
//! old key once no backup codes made before the change are in use (a hash
//! cannot be re-keyed without the code; old ones keep working meanwhile).
//!
//! A dev portal without a key uses a fixed development key (production
//! refuses to start without its own, see `Config`).

use std::sync::OnceLock;

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;

/// The keys: the current one first, then previous ones (decrypt/verify only).
struct Keys(Vec<[u8; 32]>);

static KEYS: OnceLock<Keys> = OnceLock::new();

/// The development key: public, so only for dev portals and tests.
const DEV_KEY: [u8; 32] = *b"gosportal-development-key-000000";

const SEALED: &str = "v1:";
const KEYED: &str = "k1:";

/// Sets the keys from hex strings (`PORTAL_SECRET_KEY`, then
/// `PORTAL_SECRET_KEY_PREVIOUS`); called once at start-up. Without one the
/// development key is used.
pub fn init(current: Option<&str>, previous: &[String]) {
    let mut keys = Vec::new();
    keys.push(current.and_then(parse_key).unwrap_or(DEV_KEY));
    keys.extend(previous.iter().filter_map(|k| parse_key(k)));
    let _ = KEYS.set(Keys(keys));
}

fn parse_key(hex_key: &str) -> Option<[u8; 32]> {
    hex::decode(hex_key.trim()).ok()?.try_into().ok()
}

fn keys() -> &'static [[u8; 32]] {
    &KEYS.get_or_init(|| Keys(vec![DEV_KEY])).0
}

fn aead(key: &[u8; 32]) -> Option<LessSafeKey> {
    UnboundKey::new(&CHACHA20_POLY1305, key).ok().map(LessSafeKey::new)
}

/// Seals `plain` with the current key: `v1:` + base64(nonce ‖ ciphertext ‖ tag).
pub fn seal(plain: &str) -> Option<String> {
    use base64::Engine;
    use rand::Rng;
    let key = aead(&keys()[0])?;
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill(&mut nonce);
    let mut data = plain.as_bytes().to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data).ok()?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&data);
    Some(format!("{SEALED}{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)))
}

/// Opens what `seal` made, with the current or a previous key. A value
/// stored before sealing existed (no prefix) is returned as it is, so an
/// upgraded database keeps working until `rotate-secrets` seals it.
pub fn open(stored: &str) -> Option<String> {
    use base64::Engine;
    let Some(b64) = stored.strip_prefix(SEALED) else { return Some(stored.to_string()) };
    let raw = base64::engine::general_purpose::STANDARD_NO_PAD.decode(b64).ok()?;
    if raw.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = raw.split_at(NONCE_LEN);
    for k in keys() {
        let mut data = sealed.to_vec();
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        if let Some(key) = aead(k)
            && let Ok(plain) = key.open_in_place(nonce, Aad::empty(), &mut data)
        {
            return String::from_utf8(plain.to_vec()).ok();
        }
    }
    None
}

/// Whether `stored` is sealed with the current key (else `rotate-secrets`
/// re-seals it).
pub fn is_current(stored: &str) -> bool {
    stored.strip_prefix(SEALED).is_some() && {
        use base64::Engine;
        let Some(raw) = base64::engine::general_purpose::STANDARD_NO_PAD.decode(&stored[SEALED.len()..]).ok() else {
            return false;
        };
        raw.len() >= NONCE_LEN && {
            let (nonce, sealed) = raw.split_at(NONCE_LEN);
            let mut data = sealed.to_vec();
            match (aead(&keys()[0]), Nonce::try_assume_unique_for_key(nonce)) {
                (Some(key), Ok(nonce)) => key.open_in_place(nonce, Aad::empty(), &mut data).is_ok(),
                _ => false,
            }
        }
    }
}

fn keyed_with(key: &[u8; 32], data: &str) -> String {
    let k = hmac::Key::new(hmac::HMAC_SHA256, key);
    format!("{KEYED}{}", hex::encode(hmac::sign(&k, data.as_bytes()).as_ref()))
}

/// The keyed hash of `data` with the current key (what is stored).
pub fn keyed_hash(data: &str) -> String {
    keyed_with(&keys()[0], data)
}

/// Every form `data` may be stored in: keyed with the current and previous
/// keys (what a lookup must try).
pub fn keyed_hashes(data: &str) -> Vec<String> {
    keys().iter().map(|k| keyed_with(k, data)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_and_does_not_show_the_secret() {
        let sealed = seal("JBSWY3DPEHPK3PXP").unwrap();
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(seal("JBSWY3DPEHPK3PXP").unwrap(), sealed, "a fresh nonce every time");
        assert_eq!(open(&sealed).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert!(is_current(&sealed));
        // Tampering is caught; an old plain value still opens (upgrade path).
        let mut bad = sealed.clone();
        bad.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert_eq!(open(&bad), None);
        assert_eq!(open("JBSWY3DPEHPK3PXP").as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert!(!is_current("JBSWY3DPEHPK3PXP"));
    }

    #[test]
    fn a_keyed_hash_depends_on_the_key() {
        let h = keyed_hash("abcde23456");
        assert!(h.starts_with("k1:"));
        assert_eq!(h, keyed_hash("abcde23456"));
        assert_ne!(h, keyed_with(&[7u8; 32], "abcde23456"));
        assert!(keyed_hashes("abcde23456").contains(&h));
    }
}
