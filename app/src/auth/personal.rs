//! Personal data as people type it and as it is kept: the birth date and
//! the passport of a citizen of Russia. The registration form, the identity
//! check, the change request with documents and the МФЦ operator's form all
//! use these checks, in the browser (live hints) and on the server (the
//! final word). Pure functions that build for wasm.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- birth date

const DATE_EMPTY: &str = "Укажите дату рождения";
const DATE_FORMAT: &str = "Введите дату рождения в виде ДД.ММ.ГГГГ, например 25.04.1985";
const DATE_NO_SUCH: &str = "Такой даты нет в календаре — проверьте день и месяц";
const DATE_FUTURE: &str = "Дата рождения должна быть в прошлом";
const DATE_TOO_YOUNG: &str = "Зарегистрироваться можно с 14 лет";
const DATE_TOO_OLD: &str = "Проверьте год рождения";

/// A number of `min..=max` ASCII digits.
fn parse_number(part: &str, min: usize, max: usize) -> Option<u32> {
    let ok = (min..=max).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    if ok { part.parse().ok() } else { None }
}

/// `YYYY-MM-DD` (what `<input type=date>` sends) or `ДД.ММ.ГГГГ` (day and
/// month may have one digit).
pub fn parse_date(input: &str) -> Result<NaiveDate, &'static str> {
    let (year, month, day) = if let [y, m, d] = input.split('-').collect::<Vec<_>>()[..] {
        (parse_number(y, 4, 4), parse_number(m, 2, 2), parse_number(d, 2, 2))
    } else if let [d, m, y] = input.split('.').collect::<Vec<_>>()[..] {
        (parse_number(y, 4, 4), parse_number(m, 1, 2), parse_number(d, 1, 2))
    } else {
        return Err(DATE_FORMAT);
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(DATE_FORMAT);
    };
    let year = i32::try_from(year).map_err(|_| DATE_FORMAT)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DATE_NO_SUCH)
}

/// Full years from `birth` to `today`. A 29 February birthday comes on
/// 28 February in other years (the Civil Code rule for missing days).
fn full_years(birth: NaiveDate, today: NaiveDate) -> i32 {
    let years = today.year() - birth.year();
    let anniversary = u32::try_from(years)
        .ok()
        .and_then(|y| y.checked_mul(12))
        .and_then(|m| birth.checked_add_months(Months::new(m)));
    match anniversary {
        Some(day) if day <= today => years,
        _ => years - 1,
    }
}

/// A birth date typed as `YYYY-MM-DD` or `ДД.ММ.ГГГГ`: in the past, the
/// person at least 14 (a passport is issued at 14) and at most 130 years old.
pub fn validate_birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Err(DATE_EMPTY);
    }
    let birth = parse_date(input)?;
    if birth >= today {
        return Err(DATE_FUTURE);
    }
    let age = full_years(birth, today);
    if age < 14 {
        return Err(DATE_TOO_YOUNG);
    }
    if age > 130 {
        return Err(DATE_TOO_OLD);
    }
    Ok(birth)
}

// ---------------------------------------------------------------- passport

const SERIES: &str = "Серия паспорта — 4 цифры, например 45 12";
const NUMBER: &str = "Номер паспорта — 6 цифр, например 654321";
const ISSUED_EMPTY: &str = "Укажите дату выдачи паспорта";
const ISSUED_FORMAT: &str = "Введите дату выдачи в виде ДД.ММ.ГГГГ, например 20.03.2011";
const ISSUED_FUTURE: &str = "Дата выдачи не может быть в будущем";
const ISSUED_BEFORE_14: &str = "Паспорт выдаётся с 14 лет — проверьте дату выдачи и дату рождения";
const ISSUED_BY: &str = "Укажите, кем выдан паспорт, как в паспорте: например, ГУ МВД России по г. Москве";
const DIVISION: &str = "Код подразделения — 6 цифр через дефис, например 770-005";

/// A passport of a citizen of Russia, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passport {
    /// «45 12»
    pub series: String,
    /// «654321»
    pub number: String,
    pub issued_on: NaiveDate,
    pub issued_by: String,
    /// «770-005»
    pub division_code: String,
}

/// What a passport form sends, field by field (each form names its fields
/// `passport_series`, `passport_number`, `passport_issued_on`,
/// `passport_issued_by`, `passport_division`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportInput {
    pub series: String,
    pub number: String,
    pub issued_on: String,
    pub issued_by: String,
    pub division_code: String,
}

fn only_digits(input: &str) -> Option<String> {
    let cleaned: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    cleaned.chars().all(|c| c.is_ascii_digit()).then_some(cleaned)
}

pub fn validate_passport_series(input: &str) -> Result<String, &'static str> {
    match only_digits(input) {
        Some(d) if d.len() == 4 => Ok(format!("{} {}", &d[..2], &d[2..])),
        _ => Err(SERIES),
    }
}

pub fn validate_passport_number(input: &str) -> Result<String, &'static str> {
    match only_digits(input) {
        Some(d) if d.len() == 6 => Ok(d),
        _ => Err(NUMBER),
    }
}

pub fn validate_division_code(input: &str) -> Result<String, &'static str> {
    match only_digits(input) {
        Some(d) if d.len() == 6 => Ok(format!("{}-{}", &d[..3], &d[3..])),
        _ => Err(DIVISION),
    }
}

pub fn validate_issued_by(input: &str) -> Result<String, &'static str> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 || text.chars().count() > 200 || text.chars().any(char::is_control) {
        return Err(ISSUED_BY);
    }
    Ok(text)
}

/// The date of issue: a real date, not in the future, and (when the birth
/// date is known) on or after the 14th birthday.
pub fn validate_issued_on(input: &str, birth: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ISSUED_EMPTY);
    }
    let date = parse_date(input).map_err(|e| if e == DATE_NO_SUCH { DATE_NO_SUCH } else { ISSUED_FORMAT })?;
    if date > today {
        return Err(ISSUED_FUTURE);
    }
    if birth.is_some_and(|b| full_years(b, date) < 14) {
        return Err(ISSUED_BEFORE_14);
    }
    Ok(date)
}

impl PassportInput {
    /// Every field checked; the errors name their form fields.
    pub fn validate(
        &self,
        birth: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Passport, Vec<(&'static str, String)>> {
        let series = validate_passport_series(&self.series);
        let number = validate_passport_number(&self.number);
        let issued_on = validate_issued_on(&self.issued_on, birth, today);
        let issued_by = validate_issued_by(&self.issued_by);
        let division = validate_division_code(&self.division_code);
        match (series, number, issued_on, issued_by, division) {
            (Ok(series), Ok(number), Ok(issued_on), Ok(issued_by), Ok(division_code)) => {
                Ok(Passport { series, number, issued_on, issued_by, division_code })
            }
            (series, number, issued_on, issued_by, division) => {
                let mut errors = Vec::new();
                let mut add = |field: &'static str, e: Option<&'static str>| {
                    if let Some(e) = e {
                        errors.push((field, e.to_string()));
                    }
                };
                add("passport_series", series.err());
                add("passport_number", number.err());
                add("passport_issued_on", issued_on.err());
                add("passport_issued_by", issued_by.err());
                add("passport_division", division.err());
                Err(errors)
            }
        }
    }
}

impl Passport {
    /// «45 12 654321»: series and number, what identifies the passport.
    pub fn series_number(&self) -> String {
        format!("{} {}", self.series, self.number)
    }

    /// As the profile keeps and shows it: «45 12 654321, выдан ГУ МВД России
    /// по г. Москве 20.03.2011, код подразделения 770-005».
    pub fn display(&self) -> String {
        format!(
            "{}, выдан {} {}, код подразделения {}",
            self.series_number(),
            self.issued_by,
            self.issued_on.format("%d.%m.%Y"),
            self.division_code
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn birth_date_is_read_in_both_forms() {
        let today = date(2025, 6, 1);
        assert_eq!(validate_birth_date("1985-04-25", today), Ok(date(1985, 4, 25)));
        assert_eq!(validate_birth_date(" 25.04.1985 ", today), Ok(date(1985, 4, 25)));
        assert_eq!(validate_birth_date("5.4.1985", today), Ok(date(1985, 4, 5)));
    }

    #[test]
    fn birth_date_in_another_form_is_refused() {
        let today = date(2025, 6, 1);
        for input in ["25/04/1985", "85-04-25", "25.04.85", "1985-4-25", "вчера", "25.04.1985г"] {
            assert_eq!(validate_birth_date(input, today), Err(DATE_FORMAT), "{input}");
        }
        assert_eq!(validate_birth_date("", today), Err(DATE_EMPTY));
        assert_eq!(validate_birth_date("31.02.1985", today), Err(DATE_NO_SUCH));
    }

    #[test]
    fn birth_date_must_be_in_the_past() {
        let today = date(2025, 6, 1);
        assert_eq!(validate_birth_date("01.06.2025", today), Err(DATE_FUTURE));
        assert_eq!(validate_birth_date("2030-01-01", today), Err(DATE_FUTURE));
    }

    #[test]
    fn person_must_be_at_least_14() {
        let today = date(2025, 6, 1);
        assert_eq!(validate_birth_date("01.06.2011", today), Ok(date(2011, 6, 1)));
        assert_eq!(validate_birth_date("02.06.2011", today), Err(DATE_TOO_YOUNG));
        // Born on 29 February: 14 on 28 February of a common year.
        assert!(validate_birth_date("29.02.2012", date(2026, 2, 28)).is_ok());
        assert_eq!(validate_birth_date("29.02.2012", date(2026, 2, 27)), Err(DATE_TOO_YOUNG));
    }

    #[test]
    fn person_is_at_most_130() {
        let today = date(2025, 6, 1);
        assert!(validate_birth_date("02.06.1894", today).is_ok());
        assert_eq!(validate_birth_date("01.06.1894", today), Err(DATE_TOO_OLD));
    }

    #[test]
    fn a_passport_is_checked_field_by_field_and_kept_in_one_form() {
        let today = date(2026, 11, 30);
        let ok = PassportInput {
            series: "4512".into(),
            number: " 654321 ".into(),
            issued_on: "20.03.2011".into(),
            issued_by: "ГУ  МВД России по г. Москве".into(),
            division_code: "770005".into(),
        };
        let p = ok.validate(Some(date(1991, 2, 14)), today).unwrap();
        assert_eq!(p.display(), "45 12 654321, выдан ГУ МВД России по г. Москве 20.03.2011, код подразделения 770-005");
        let bad = PassportInput {
            series: "45".into(),
            number: "65432a".into(),
            issued_on: "2030-01-01".into(),
            issued_by: "".into(),
            division_code: "77-005".into(),
        };
        let fields: Vec<_> = bad.validate(None, today).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["passport_series", "passport_number", "passport_issued_on", "passport_issued_by", "passport_division"]
        );
    }

    #[test]
    fn a_passport_is_not_issued_before_fourteen() {
        let today = date(2026, 11, 30);
        assert_eq!(validate_issued_on("13.02.2005", Some(date(1991, 2, 14)), today), Err(ISSUED_BEFORE_14));
        assert!(validate_issued_on("14.02.2005", Some(date(1991, 2, 14)), today).is_ok());
        assert_eq!(validate_issued_on("31.02.2010", None, today), Err(DATE_NO_SUCH));
        assert_eq!(validate_issued_on("весной", None, today), Err(ISSUED_FORMAT));
    }
}
