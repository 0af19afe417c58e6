//! What the browser and the server share about passkeys: the messages a
//! person reads, the rule for a passkey's name, and the wire types of the
//! two-step ceremonies (the WebAuthn options come from webauthn-rs-proto).

use serde::{Deserialize, Serialize};
use webauthn_rs_proto::{CreationChallengeResponse, RequestChallengeResponse};

/// The longest name a passkey may have, in characters.
pub const NAME_MAX: usize = 60;

pub const UNSUPPORTED: &str = "Этот браузер не поддерживает вход по биометрии (ключи доступа). \
     Обновите браузер или войдите по паролю";
pub const CANCELLED: &str = "Вход по биометрии отменён или время ожидания истекло. \
     Попробуйте ещё раз или войдите по паролю";
pub const UNKNOWN_PASSKEY: &str = "Этот ключ доступа не найден: возможно, его удалили в настройках безопасности. \
     Войдите по паролю и добавьте ключ заново";
pub const NEEDS_SCRIPT: &str = "Вход по биометрии работает только с включённым JavaScript: \
     ключ доступа проверяет сам браузер. Включите JavaScript или войдите по паролю";
pub const EXPIRED: &str = "Время на подтверждение истекло. Нажмите кнопку ещё раз";
pub const ALREADY_ADDED: &str = "Этот ключ доступа уже добавлен к вашей учётной записи";
pub const NOT_VERIFIED: &str = "Не удалось проверить ключ доступа. Попробуйте ещё раз";
pub const INSECURE: &str = "Вход по биометрии недоступен по этому адресу сайта. \
     Откройте портал по его основному адресу";
pub const NO_PASSKEYS: &str = "У вас нет ключей доступа. Добавьте ключ в разделе «Биометрия»";

/// Checks a passkey name and returns it trimmed.
pub fn validate_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Введите название ключа, например «Телефон» или «Ноутбук»".to_string());
    }
    if name.chars().count() > NAME_MAX {
        return Err(format!("Название не длиннее {NAME_MAX} символов"));
    }
    if name.chars().any(char::is_control) {
        return Err("Название не может содержать служебные символы".to_string());
    }
    Ok(name.to_string())
}

/// A first name for a new passkey from the browser's user agent, like
/// «Chrome на Windows»; the person can change it.
pub fn default_name(user_agent: &str) -> String {
    match crate::format::device(user_agent) {
        (None, None) => "Ключ доступа".to_string(),
        _ => crate::format::describe_device(user_agent),
    }
}

/// A passkey as its owner sees it in the list (never the credential).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    /// «10.03.2026 12:00 по московскому времени»
    pub created: String,
    /// None: not used to sign in yet.
    pub last_used: Option<String>,
}

/// Step one of adding a passkey: what `navigator.credentials.create` needs,
/// and the id of the challenge kept on the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegistrationChallenge {
    pub challenge: String,
    pub options: CreationChallengeResponse,
}

/// Step one of signing in or of a check: what `navigator.credentials.get`
/// needs, and the id of the challenge kept on the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthenticationChallenge {
    pub challenge: String,
    pub options: RequestChallengeResponse,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_limited() {
        assert_eq!(validate_name("  Телефон ").as_deref(), Ok("Телефон"));
        assert!(validate_name("   ").is_err());
        assert!(validate_name(&"ж".repeat(60)).is_ok());
        assert!(validate_name(&"ж".repeat(61)).is_err());
        assert!(validate_name("a\u{7}b").is_err());
    }

    #[test]
    fn default_names_read_like_a_device() {
        let chrome_win = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
        assert_eq!(default_name(chrome_win), "Chrome на Windows");
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(default_name(safari_iphone), "Safari на iPhone");
        let headless =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36";
        assert_eq!(default_name(headless), "Chrome на Linux");
        let yandex = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 YaBrowser/24.1 Mobile Safari/537.36";
        assert_eq!(default_name(yandex), "Яндекс Браузер на Android");
        assert_eq!(default_name(""), "Ключ доступа");
    }
}
