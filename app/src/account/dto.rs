//! What the account server functions send to the pages. Plain serde types,
//! shared by browser and server; nothing secret ever goes in here.

use serde::{Deserialize, Serialize};

use super::model::PasswordPolicy;

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
    pub level: crate::auth::Level,
    /// How the account reached its level, newest first.
    pub level_history: Vec<LevelStep>,
    /// The password (or a passkey) was proven in this session within the
    /// re-authentication window: a contact may change without asking again.
    pub proof_fresh: bool,
}

/// What the password forms need to check as you type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRules {
    pub policy: PasswordPolicy,
    pub history: u32,
}

/// One raise of the account's level, as the profile lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelStep {
    /// «Стандартная»
    pub to: String,
    /// «Проверка СНИЛС и паспорта в ведомствах»
    pub route: String,
    /// «14.03.2026 12:05 (МСК)»
    pub at: String,
}

/// One row of «Кто обращался к моим данным».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    /// The row's key (for «Сообщить о нарушении»).
    pub key: String,
    /// «14.03.2026 12:05 (МСК)»
    pub at: String,
    /// «Сотрудник ведомства», «Оператор МФЦ»
    pub role: String,
    /// The office or department, if the role has one.
    pub unit: Option<String>,
    pub what: String,
    pub why: String,
    pub reported: bool,
}
