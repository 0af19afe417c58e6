//! What the operator's pages receive. Never a code sent to a citizen.

use serde::{Deserialize, Serialize};

/// A citizen as the operator sees them during a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// «Соколова Елена Викторовна»
    pub full_name: String,
    /// ДД.ММ.ГГГГ
    pub birth_date: String,
    pub snils: Option<String>,
    pub passport: Option<String>,
    /// «+7 916 ***-**-34» (or the e-mail, masked, when there is no phone), or None.
    pub phone: Option<String>,
    pub phone_confirmed: bool,
    /// СНИЛС and passport are on record (the identity can be confirmed).
    pub has_documents: bool,
    /// «Подтверждённая»
    pub level: String,
    pub confirmed: bool,
}

/// The one-time password of an account registered at this visit, shown
/// to its operator until the sheet expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    /// The login on the sheet (the СНИЛС).
    pub login: String,
    /// The activation code: the one-time password.
    pub password: String,
    /// «30.11.2026 18:05»: until when the sheet can be printed.
    pub sheet_until: String,
    /// «03.12.2026 17:35»: until when the password opens the account.
    pub password_until: String,
}

/// A visit: the task, the citizen, and what was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub task: String,
    /// «Приём в МФЦ: …»
    pub subject: String,
    pub card: Card,
    pub issued: Option<Issued>,
}

/// The PIN pad: whose identity, where the code went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinPad {
    pub task: String,
    /// «Соколова Е. В.»
    pub short_name: String,
    /// «SMS на +7 916 ***-**-34»
    pub sent_to: String,
    /// «Подтверждение личности» or «Подтверждение телефона».
    pub title: String,
}
