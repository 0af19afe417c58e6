//! Checks of what a person types into the account forms that only this
//! area uses: the birth date. The identifiers (`auth::identifier`), names
//! (`auth::names`), the password policy (`auth::policy`) and the code format
//! (`auth::model`) are the kernel's; they are re-exported here for the
//! account's pages. Pure functions that build for wasm.

use chrono::{Datelike, Months, NaiveDate};

pub use crate::auth::identifier::{
    Identifier, normalize_email, normalize_inn, normalize_phone, normalize_snils, parse_identifier,
};
pub use crate::auth::model::validate_code;
pub use crate::auth::names::validate_name;
pub use crate::auth::policy::*;
pub use crate::ui::password::keyboard_layout_hint;

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

/// A contact change on a session whose password was not proven lately.
pub const CONTACT_NEEDS_PASSWORD: &str = "Чтобы сменить контакт, введите пароль от личного кабинета";

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

    // password
}
