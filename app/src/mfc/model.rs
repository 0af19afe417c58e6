//! What the operator types: the search and the registration form. Pure,
//! shared by the browser (hints) and the server (the final word).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::identifier::{normalize_email, normalize_phone, normalize_snils};
use crate::auth::names::validate_name;
use crate::auth::personal::{Passport, PassportInput, validate_birth_date};

pub const SEARCH_HELP: &str =
    "Введите СНИЛС (11 цифр), номер мобильного телефона (+7…) или серию и номер паспорта (10 цифр)";

const NO_CONTACT: &str = "Укажите мобильный телефон или электронную почту: на них придёт код подтверждения";

/// What a search is by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// «112-233-445 95»
    Snils(String),
    /// «+79160000001»
    Phone(String),
    /// «4512654321»: series and number, digits only.
    Passport(String),
}

impl Search {
    pub fn label(&self) -> &'static str {
        match self {
            Search::Snils(_) => "СНИЛС",
            Search::Phone(_) => "телефону",
            Search::Passport(_) => "паспорту",
        }
    }
}

/// Reads a search, in the order to try: 10 digits are a passport; a `+`
/// makes a phone; 11 digits are a СНИЛС when its control number is right
/// and also a phone when they read as one (+7 / 8 and a 9 after), so a
/// СНИЛС like 791-… is still found.
pub fn parse_search(input: &str) -> Result<Vec<Search>, String> {
    let input = input.trim();
    let digits: String = input.chars().filter(char::is_ascii_digit).collect();
    let only_number_chars = input.chars().all(|c| c.is_ascii_digit() || " -+()".contains(c));
    if input.is_empty() || !only_number_chars {
        return Err(SEARCH_HELP.to_string());
    }
    if digits.len() == 10 && !input.starts_with('+') {
        return Ok(vec![Search::Passport(digits)]);
    }
    if input.starts_with('+') {
        return normalize_phone(input).map(|p| vec![Search::Phone(p)]).map_err(str::to_string);
    }
    if digits.len() != 11 {
        return Err(SEARCH_HELP.to_string());
    }
    let mut found = Vec::new();
    let snils = normalize_snils(input);
    if let Ok(s) = &snils {
        found.push(Search::Snils(s.clone()));
    }
    if (digits.starts_with("79") || digits.starts_with("89"))
        && let Ok(phone) = normalize_phone(input)
    {
        found.push(Search::Phone(phone));
    }
    match (found.is_empty(), snils) {
        (false, _) => Ok(found),
        (true, Err(e)) => Err(e.to_string()),
        (true, Ok(_)) => Err(SEARCH_HELP.to_string()),
    }
}

/// The form «Регистрация в МФЦ», as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterForm {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub snils: String,
    pub passport: PassportInput,
    pub phone: String,
    pub email: String,
    pub address: String,
}

/// The form checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub birth: NaiveDate,
    pub snils: String,
    pub passport: Passport,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl RegisterForm {
    /// Every field checked; the errors name their form fields.
    pub fn check(&self, today: NaiveDate) -> Result<NewPerson, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let mut take = |field: &'static str, r: Result<String, String>| match r {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push((field, e));
                None
            }
        };
        let surname = take("surname", validate_name("Фамилия", &self.surname, true));
        let name = take("name", validate_name("Имя", &self.name, true));
        let patronymic = take("patronymic", validate_name("Отчество", &self.patronymic, false));
        let birth = validate_birth_date(&self.birth_date, today);
        let birth_ok = birth.ok();
        let _ = take("birth_date", birth.map(|d| d.to_string()).map_err(str::to_string));
        let snils = take("snils", normalize_snils(&self.snils).map_err(str::to_string));
        let phone = if self.phone.trim().is_empty() {
            Some(String::new())
        } else {
            take("phone", normalize_phone(&self.phone).map_err(str::to_string))
        };
        let email = if self.email.trim().is_empty() {
            Some(String::new())
        } else {
            take("email", normalize_email(&self.email).map_err(str::to_string))
        };
        if self.phone.trim().is_empty() && self.email.trim().is_empty() {
            errors.push(("phone", NO_CONTACT.to_string()));
        }
        let address = self.address.split_whitespace().collect::<Vec<_>>().join(" ");
        if address.chars().count() > 300 {
            errors.push(("address", "Адрес — не больше 300 знаков".to_string()));
        }
        let passport = match self.passport.validate(birth_ok, today) {
            Ok(p) => Some(p),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        };
        match (surname, name, patronymic, birth_ok, snils, passport, phone, email) {
            (
                Some(surname),
                Some(name),
                Some(patronymic),
                Some(birth),
                Some(snils),
                Some(passport),
                Some(phone),
                Some(email),
            ) if errors.is_empty() => Ok(NewPerson {
                surname,
                name,
                patronymic: Some(patronymic).filter(|p| !p.is_empty()),
                birth,
                snils,
                passport,
                phone: Some(phone).filter(|p| !p.is_empty()),
                email: Some(email).filter(|e| !e.is_empty()),
                address: Some(address).filter(|a| !a.is_empty()),
            }),
            _ => Err(errors),
        }
    }
}

/// The PIN pad takes six digits; anything else is cleaned away.
pub fn pin_digits(input: &str) -> String {
    input.chars().filter(char::is_ascii_digit).take(6).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_read_as_snils_phone_or_passport() {
        assert_eq!(parse_search("112-233-445 95"), Ok(vec![Search::Snils("112-233-445 95".into())]));
        assert_eq!(parse_search("+7 916 000-00-01"), Ok(vec![Search::Phone("+79160000001".into())]));
        assert_eq!(parse_search("89160000001"), Ok(vec![Search::Phone("+79160000001".into())]));
        assert_eq!(parse_search("45 12 654321"), Ok(vec![Search::Passport("4512654321".into())]));
        // A СНИЛС that reads like a phone is tried as a СНИЛС first.
        let snils = crate::auth::identifier::normalize_snils("791-234-567 00").ok().or_else(|| {
            (0..100)
                .map(|c| format!("791-234-567 {c:02}"))
                .find(|s| crate::auth::identifier::normalize_snils(s).is_ok())
        });
        let snils = snils.unwrap();
        let digits: String = snils.chars().filter(char::is_ascii_digit).collect();
        let found = parse_search(&digits).unwrap();
        assert_eq!(found[0], Search::Snils(snils));
        assert_eq!(found[1], Search::Phone(format!("+7{}", &digits[1..])));
        assert!(parse_search("112-233-445 96").is_err(), "a СНИЛС with a wrong control number");
        assert_eq!(parse_search("Иванов"), Err(SEARCH_HELP.to_string()));
        assert_eq!(parse_search(""), Err(SEARCH_HELP.to_string()));
    }

    fn sokolova() -> RegisterForm {
        RegisterForm {
            surname: "Соколова".into(),
            name: "Елена".into(),
            patronymic: "Викторовна".into(),
            birth_date: "14.02.1991".into(),
            snils: "156-372-948 94".into(),
            passport: PassportInput {
                series: "45 12".into(),
                number: "654321".into(),
                issued_on: "20.03.2011".into(),
                issued_by: "ГУ МВД России по г. Москве".into(),
                division_code: "770-005".into(),
            },
            phone: "+7 916 555-12-34".into(),
            email: "".into(),
            address: "".into(),
        }
    }

    #[test]
    fn the_registration_form_is_checked_field_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let p = sokolova().check(today).unwrap();
        assert_eq!(p.snils, "156-372-948 94");
        assert_eq!(p.phone.as_deref(), Some("+79165551234"));
        let mut no_contact = sokolova();
        no_contact.phone = "".into();
        let fields: Vec<_> = no_contact.check(today).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["phone"]);
        assert_eq!(p.passport.series_number(), "45 12 654321");
        let mut bad = sokolova();
        bad.snils = "156-372-948 95".into();
        bad.passport.division_code = "77".into();
        bad.surname = "".into();
        let fields: Vec<_> = bad.check(today).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["surname", "snils", "passport_division"]);
    }

    #[test]
    fn the_pin_pad_keeps_six_digits() {
        assert_eq!(pin_digits("12 34-567 8"), "123456");
    }
}
