//! The kernel's types and the rules of sign-in that need no database:
//! roles and account levels, sign-in methods, TOTP codes (RFC 6238 through
//! totp-rs), backup codes and the re-authentication window. Shared by the
//! browser and the server.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use surrealdb::types::SurrealValue;

/// A «Это был не я» link that is spent or too old.
pub const LINK_GONE: &str = "Ссылка устарела или уже использована. Если вы считаете, что в ваш кабинет вошёл кто-то другой, восстановите пароль и обратитесь в службу поддержки";

/// What a staff member may do; a citizen account holds none. A person may
/// hold several. Stored as its `as_str()` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// МФЦ operator: registers and confirms citizens in person; has an office.
    Operator,
    /// An official of a department: reviews documents and applications.
    Official,
    /// Support agent: answers citizens' questions and chats.
    Support,
    /// Administrator: staff accounts and roles.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Operator, Role::Official, Role::Support, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Official => "official",
            Role::Support => "support",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// As the staff console names it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Operator => "Оператор МФЦ",
            Role::Official => "Сотрудник ведомства",
            Role::Support => "Служба поддержки",
            Role::Admin => "Администратор",
        }
    }

    /// The role's home in the staff console.
    pub fn home(self) -> &'static str {
        match self {
            Role::Operator => "/staff/mfc",
            Role::Official => "/staff/official",
            Role::Support => "/staff/support",
            Role::Admin => "/staff/admin",
        }
    }
}

/// The account level of spec 003 «Уровни учётной записи».
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Упрощённая: registered by a code to a phone or e-mail.
    Simplified,
    /// Стандартная: СНИЛС and passport checked by the registries.
    Standard,
    /// Подтверждённая: identity confirmed in person, by a signature or a bank.
    Confirmed,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Simplified, Level::Standard, Level::Confirmed];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Simplified => "simplified",
            Level::Standard => "standard",
            Level::Confirmed => "confirmed",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Simplified => "Упрощённая",
            Level::Standard => "Стандартная",
            Level::Confirmed => "Подтверждённая",
        }
    }

    /// What the level opens (spec 003 «Уровни учётной записи»).
    pub fn opens(self) -> &'static str {
        match self {
            Level::Simplified => {
                "Справочная информация, часть услуг без подтверждения личности, оплата штрафов и налогов"
            }
            Level::Standard => "Большинство услуг: справки, запись к врачу, выписки, заявления в ведомства",
            Level::Confirmed => {
                "Все услуги портала, в том числе паспорта, регистрация по месту жительства и электронная подпись"
            }
        }
    }

    /// The next level, if any.
    pub fn next(self) -> Option<Level> {
        match self {
            Level::Simplified => Some(Level::Standard),
            Level::Standard => Some(Level::Confirmed),
            Level::Confirmed => None,
        }
    }

    /// How to reach this level from the one below, as a person reads it.
    pub fn how_to_reach(self) -> &'static str {
        match self {
            Level::Simplified => "Зарегистрируйтесь и подтвердите телефон или электронную почту",
            Level::Standard => {
                "Укажите СНИЛС и паспорт: их проверят в Социальном фонде и МВД, обычно за несколько минут"
            }
            Level::Confirmed => {
                "Подтвердите личность в любом МФЦ с паспортом и СНИЛС: оператор подтвердит учётную запись за несколько минут"
            }
        }
    }

    /// Where a person raises their account to this level.
    pub fn reach_href(self) -> &'static str {
        match self {
            Level::Simplified => "/register",
            Level::Standard => "/profile/verify",
            Level::Confirmed => "/help#mfc",
        }
    }

    /// The message of a page or an action that needs this level.
    pub fn needed_message(self) -> String {
        format!("Нужна учётная запись уровня «{}». {}", self.label(), self.how_to_reach())
    }
}

/// How an account reached its level. The bank and the electronic signature
/// (spec 003 «Дополнительные средства») come in a later issue and raise the
/// same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum LevelRoute {
    /// A contact confirmed by a code at registration.
    Registration,
    /// СНИЛС and passport confirmed by the state registries.
    Registries,
    /// Identity confirmed in person by an МФЦ operator.
    Mfc,
    /// Through a bank's identification (later).
    Bank,
    /// Through a qualified electronic signature (later).
    Signature,
}

impl LevelRoute {
    pub fn label(self) -> &'static str {
        match self {
            LevelRoute::Registration => "Регистрация на портале",
            LevelRoute::Registries => "Проверка СНИЛС и паспорта в ведомствах",
            LevelRoute::Mfc => "Подтверждение личности в МФЦ",
            LevelRoute::Bank => "Подтверждение через банк",
            LevelRoute::Signature => "Подтверждение электронной подписью",
        }
    }
}

/// The only ways up: the registries make an account «Стандартная» from
/// «Упрощённая»; an МФЦ, a bank or a signature make it «Подтверждённая»
/// from either lower level. Nothing lowers a level.
pub fn level_step_allowed(from: Level, to: Level, route: LevelRoute) -> bool {
    match route {
        LevelRoute::Registration => false,
        LevelRoute::Registries => from == Level::Simplified && to == Level::Standard,
        LevelRoute::Mfc | LevelRoute::Bank | LevelRoute::Signature => from < Level::Confirmed && to == Level::Confirmed,
    }
}

/// How a sign-in attempt proved (or failed to prove) who it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Password,
    Sms,
    Totp,
    Backup,
    Passkey,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Password => "password",
            Method::Sms => "sms",
            Method::Totp => "totp",
            Method::Backup => "backup",
            Method::Passkey => "passkey",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "password" => Method::Password,
            "sms" => Method::Sms,
            "totp" => Method::Totp,
            "backup" => Method::Backup,
            "passkey" => Method::Passkey,
            _ => return None,
        })
    }

    /// Proves possession of something only the owner has, strongly enough
    /// for staff: an authenticator app, a backup code or a passkey. An SMS
    /// can be diverted (SIM swap), so it is not enough for staff.
    pub fn is_strong(self) -> bool {
        matches!(self, Method::Totp | Method::Backup | Method::Passkey)
    }

    /// As the journal and the second-step page name it.
    pub fn label(self) -> &'static str {
        match self {
            Method::Password => "Пароль",
            Method::Sms => "Код из SMS",
            Method::Totp => "Код из приложения",
            Method::Backup => "Резервный код",
            Method::Passkey => "Биометрия (ключ доступа)",
        }
    }
}

/// Turning a method off or making new backup codes needs the password (or
/// a passkey) given within this window.
pub fn proof_is_fresh(proof_at: Option<DateTime<Utc>>, window: TimeDelta, now: DateTime<Utc>) -> bool {
    proof_at.is_some_and(|t| t <= now && now - t < window)
}

/// A 6-digit code as typed: spaces and dashes dropped.
pub fn clean_code(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

const CODE_FORMAT: &str = "Код состоит из 6 цифр";

/// A confirmation code from SMS or e-mail: exactly 6 digits once spaces are removed.
pub fn validate_code(input: &str) -> Result<String, &'static str> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) { Ok(code) } else { Err(CODE_FORMAT) }
}

#[cfg(feature = "ssr")]
pub mod totp {
    //! RFC 6238: 30-second steps, 6 digits, SHA-1 (what every authenticator
    //! app understands), one step of drift either way. Replay is refused by
    //! the caller, which keeps the last accepted step.
    use totp_rs::{Builder, Secret, Totp};

    pub const ISSUER: &str = "Госпортал";

    /// 160 random bits, as RFC 4226 recommends.
    pub fn new_secret() -> Vec<u8> {
        use rand::RngCore;
        let mut bytes = vec![0u8; 20];
        rand::rng().fill_bytes(&mut bytes);
        bytes
    }

    pub fn base32(secret: &[u8]) -> String {
        Secret::from(secret).to_base32()
    }

    pub fn from_base32(s: &str) -> Option<Vec<u8>> {
        Secret::try_from_base32(s).ok().map(|s| s.as_ref().to_vec())
    }

    fn build(secret: &[u8], account_name: &str) -> Option<Totp> {
        Builder::new()
            .with_secret(secret)
            .with_issuer(Some(ISSUER))
            .with_account_name(account_name.replace(':', " "))
            .build()
            .ok()
    }

    /// The `otpauth://` address the QR code carries.
    pub fn url(secret: &[u8], account_name: &str) -> Option<String> {
        build(secret, account_name)?.to_url().ok()
    }

    /// The step the code belongs to, if it is right within ±1 step of `unix`.
    pub fn check(secret: &[u8], code: &str, unix: i64) -> Option<i64> {
        let code = super::clean_code(code);
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        build(secret, "x")?.check(&code, u64::try_from(unix).ok()?).and_then(|s| i64::try_from(s).ok())
    }

    /// The code for time `unix` (tests, and nothing else).
    pub fn code_at(secret: &[u8], unix: i64) -> String {
        build(secret, "x").map(|t| t.generate(u64::try_from(unix).unwrap_or(0)).to_string()).unwrap_or_default()
    }

    /// The QR code of `text` as an SVG `data:` address for an `<img>`.
    pub fn qr_data_url(text: &str) -> Option<String> {
        use qrcode::QrCode;
        use qrcode::render::svg;
        let svg =
            QrCode::new(text.as_bytes()).ok()?.render::<svg::Color>().min_dimensions(220, 220).quiet_zone(true).build();
        use base64::Engine;
        Some(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg)))
    }
}

#[cfg(feature = "ssr")]
pub mod backup {
    //! Ten single-use backup codes of 10 characters (about 50 bits each)
    //! from an alphabet without look-alikes, shown as `xxxxx-xxxxx`. Only
    //! their keyed hash is kept (`platform::secrets`); a used one is removed.
    use rand::Rng;
    use sha2::{Digest, Sha256};

    pub const COUNT: usize = 10;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

    pub fn generate() -> Vec<String> {
        let mut rng = rand::rng();
        (0..COUNT)
            .map(|_| {
                let raw: String = (0..10).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect();
                format!("{}-{}", &raw[..5], &raw[5..])
            })
            .collect()
    }

    fn normal(code: &str) -> String {
        super::clean_code(code).to_lowercase()
    }

    /// As stored: lower case, no spaces or dashes, keyed hash.
    pub fn hash(code: &str) -> String {
        crate::platform::secrets::keyed_hash(&normal(code))
    }

    /// Every stored form the code may have: keyed with the current or a
    /// previous key, or the plain SHA-256 of codes made before keying.
    pub fn candidates(code: &str) -> Vec<String> {
        let norm = normal(code);
        let mut all = crate::platform::secrets::keyed_hashes(&norm);
        all.push(hex::encode(Sha256::digest(norm.as_bytes())));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_six_digits_spaces_ignored() {
        assert_eq!(validate_code("123456"), Ok("123456".to_string()));
        assert_eq!(validate_code(" 123 456 "), Ok("123456".to_string()));
    }

    #[test]
    fn code_of_other_length_or_with_letters_is_refused() {
        for input in ["", "12345", "1234567", "12345a", "123-456", "１２３４５６"] {
            assert_eq!(validate_code(input), Err(CODE_FORMAT), "{input}");
        }
    }

    #[test]
    fn roles_are_named_and_parsed_back() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert!(r.home().starts_with("/staff/"));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn a_proof_is_fresh_for_ten_minutes() {
        let now = Utc::now();
        let w = TimeDelta::minutes(10);
        assert!(proof_is_fresh(Some(now - TimeDelta::minutes(9)), w, now));
        assert!(!proof_is_fresh(Some(now - TimeDelta::minutes(10)), w, now));
        assert!(!proof_is_fresh(None, w, now));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn totp_accepts_one_step_of_drift_and_names_the_step() {
        let secret = totp::new_secret();
        let t = 1_800_000_000i64;
        let code = totp::code_at(&secret, t);
        assert_eq!(totp::check(&secret, &code, t), Some(t / 30));
        assert_eq!(totp::check(&secret, &code, t + 30), Some(t / 30), "one step late is fine");
        assert_eq!(totp::check(&secret, &code, t - 30), Some(t / 30), "one step early is fine");
        assert_eq!(totp::check(&secret, &code, t + 90), None, "three steps late is not");
        assert_eq!(totp::check(&secret, "12345", t), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(totp::check(&secret, &spaced, t), Some(t / 30));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_key_survives_base32_and_the_url_names_the_portal() {
        let secret = totp::new_secret();
        assert_eq!(totp::from_base32(&totp::base32(&secret)), Some(secret.clone()));
        let url = totp::url(&secret, "+79160000001").unwrap_or_default();
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains("secret="), "{url}");
        assert!(totp::qr_data_url(&url).is_some_and(|d| d.starts_with("data:image/svg+xml;base64,")));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn backup_codes_are_ten_distinct_and_hash_as_typed() {
        let codes = backup::generate();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        let c = &codes[0];
        assert_eq!(backup::hash(c), backup::hash(&c.to_uppercase().replace('-', " ")));
    }
}

#[cfg(test)]
mod level_tests {
    use super::*;

    #[test]
    fn a_level_is_raised_only_by_the_steps_its_route_allows() {
        use Level::*;
        use LevelRoute::*;
        assert!(level_step_allowed(Simplified, Standard, Registries));
        assert!(!level_step_allowed(Standard, Standard, Registries));
        assert!(!level_step_allowed(Simplified, Confirmed, Registries));
        assert!(!level_step_allowed(Confirmed, Standard, Registries));
        for route in [Mfc, Bank, Signature] {
            assert!(level_step_allowed(Simplified, Confirmed, route));
            assert!(level_step_allowed(Standard, Confirmed, route));
            assert!(!level_step_allowed(Confirmed, Confirmed, route));
            assert!(!level_step_allowed(Simplified, Standard, route));
        }
        for from in Level::ALL {
            for to in Level::ALL {
                assert!(!level_step_allowed(from, to, Registration));
                if to <= from {
                    for route in [Registries, Mfc, Bank, Signature] {
                        assert!(!level_step_allowed(from, to, route), "{from:?} → {to:?} by {route:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn levels_round_trip_their_names() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
    }
}
