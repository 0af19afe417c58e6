//! What the account server functions send to the pages. Plain serde types,
//! shared by browser and server; nothing secret ever goes in here.

use serde::{Deserialize, Serialize};

use super::model::PasswordPolicy;

/// The signed-in person as every page needs it (header, session timer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// «Иванов И. И.»
    pub short_name: String,
    /// Seconds until the session ends if nothing happens.
    pub expires_in: i64,
    /// Seconds of warning before that, with «Продлить».
    pub warn_before: i64,
    /// The password is older than allowed: only the change page is open.
    pub must_change_password: bool,
    /// «Чужой компьютер» was ticked at sign-in.
    pub public: bool,
}

/// A pending code step as the code page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowView {
    /// `register`, `recover`, `phone`, `email`.
    pub purpose: String,
    /// Where the last code went: `sms`, `email` or `voice`.
    pub channel: String,
    /// «на номер +7 916 ***-**-67», «на почту iv***@mail.ru», or, in
    /// recovery by СНИЛС/ИНН, «на телефон или почту, указанные в учётной записи».
    pub destination: String,
    /// The channel the person may switch to (`sms` or `email`), if any.
    pub other_channel: Option<String>,
    /// «Получить код по телефону» (a voice call) is possible.
    pub voice: bool,
    /// Seconds until «Отправить код ещё раз» is allowed.
    pub resend_in: i64,
    /// Seconds until the current code expires (0: expired or none).
    pub code_expires_in: i64,
}

/// «Личные данные».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    /// ДД.ММ.ГГГГ
    pub birth_date: String,
    pub passport: Option<String>,
    pub registration_address: Option<String>,
    pub postal_address: Option<String>,
    /// +7 916 123-45-67
    pub phone: Option<String>,
    pub phone_confirmed: bool,
    pub email: Option<String>,
    pub email_confirmed: bool,
    pub snils: Option<String>,
    pub inn: Option<String>,
    /// «Упрощённая», «Стандартная», «Подтверждённая»
    pub level: String,
}

/// What the password forms need to check as you type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRules {
    pub policy: PasswordPolicy,
    pub history: u32,
}

/// A phone in the form people read: `+7 916 123-45-67`.
pub fn pretty_phone(phone: &str) -> String {
    let d: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 11 {
        return phone.to_string();
    }
    let s: String = d.iter().collect();
    format!("+7 {} {}-{}-{}", &s[1..4], &s[4..7], &s[7..9], &s[9..11])
}

/// `+7 916 ***-**-67`
pub fn mask_phone(phone: &str) -> String {
    let pretty = pretty_phone(phone);
    let tail: String = pretty.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
    match pretty.get(0..6) {
        Some(head) if pretty.len() == 16 => format!("{head} ***-**-{tail}"),
        _ => "***".to_string(),
    }
}

/// `iv***@mail.ru`
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let head: String = local.chars().take(2).collect();
            format!("{head}***@{domain}")
        }
        None => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_masked_for_the_code_page() {
        assert_eq!(pretty_phone("+79161234567"), "+7 916 123-45-67");
        assert_eq!(mask_phone("+79161234567"), "+7 916 ***-**-67");
        assert_eq!(mask_email("ivanov@mail.ru"), "iv***@mail.ru");
    }
}
