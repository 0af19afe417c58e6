//! What a person signs in with: a mobile phone, an e-mail, a СНИЛС or an
//! ИНН, each read from the way people type it into its normal form, and the
//! «Логин» field that may hold any of them. Pure functions shared by the
//! browser (live hints) and the server (the final word); they build for wasm.

use serde::{Deserialize, Serialize};
// ---------------------------------------------------------------- phone

const PHONE_FORMAT: &str = "Введите номер мобильного телефона: 10 цифр после +7, например +7 916 123-45-67";
const PHONE_NOT_MOBILE: &str = "Нужен номер мобильного телефона: после +7 он начинается с 9, например +7 916 123-45-67";

/// Characters people put between the digits of a number: spaces, hyphens and
/// dashes, parentheses, dots.
pub(crate) fn is_number_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—' | '(' | ')' | '.')
}

/// A Russian mobile number as people type it (`8 (916) 123-45-67`,
/// `+7 916 1234567`, `9161234567` …) in the normal form `+79161234567`.
pub fn normalize_phone(input: &str) -> Result<String, &'static str> {
    let trimmed = input.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !is_number_separator(c) {
            return Err(PHONE_FORMAT);
        }
    }
    let national = match (plus, digits.len()) {
        (true, 11) if digits.starts_with('7') => &digits[1..],
        (false, 11) if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        (false, 10) => digits.as_str(),
        _ => return Err(PHONE_FORMAT),
    };
    if !national.starts_with('9') {
        return Err(PHONE_NOT_MOBILE);
    }
    Ok(format!("+7{national}"))
}

// ---------------------------------------------------------------- e-mail

const EMAIL_EMPTY: &str = "Введите адрес электронной почты";
const EMAIL_SPACES: &str = "Уберите пробелы из адреса электронной почты";
const EMAIL_AT: &str = "В адресе почты должен быть один знак @, например ivanov@mail.ru";
const EMAIL_LOCAL_EMPTY: &str = "Перед знаком @ укажите имя почтового ящика, например ivanov@mail.ru";
const EMAIL_LOCAL_LONG: &str = "Имя почтового ящика перед @ — не длиннее 64 символов";
const EMAIL_LOCAL_CHARS: &str = "Перед знаком @ допустимы латинские буквы, цифры и знаки . _ - +";
const EMAIL_LOCAL_DOTS: &str = "Точка перед знаком @ не может стоять первой, последней или дважды подряд";
const EMAIL_DOMAIN: &str = "После знака @ укажите домен почты, например mail.ru или почта.рф";
const EMAIL_TOO_LONG: &str = "Адрес электронной почты — не длиннее 254 символов";

/// Characters allowed in the mailbox name before `@` (RFC 5322 `atext`, lower case).
fn is_local_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || "!#$%&'*+/=?^_`{|}~-.".contains(c)
}

/// A letter of the Cyrillic block, allowed in internationalised domains (почта.рф).
pub(crate) fn is_cyrillic_letter(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c) && c.is_alphabetic()
}

/// One dot-separated part of a domain: 1..=63 letters, digits or hyphens,
/// not starting or ending with a hyphen.
fn is_domain_label(label: &str) -> bool {
    let count = label.chars().count();
    (1..=63).contains(&count)
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || is_cyrillic_letter(c))
}

/// An e-mail address trimmed and lower-cased (the portal treats addresses
/// case-insensitively), if it has a sane shape.
pub fn normalize_email(input: &str) -> Result<String, &'static str> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err(EMAIL_EMPTY);
    }
    if email.chars().any(char::is_whitespace) {
        return Err(EMAIL_SPACES);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(EMAIL_AT);
    };
    if domain.contains('@') {
        return Err(EMAIL_AT);
    }
    if local.is_empty() {
        return Err(EMAIL_LOCAL_EMPTY);
    }
    if local.chars().count() > 64 {
        return Err(EMAIL_LOCAL_LONG);
    }
    if !local.chars().all(is_local_char) {
        return Err(EMAIL_LOCAL_CHARS);
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(EMAIL_LOCAL_DOTS);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let top_ok = labels.last().is_some_and(|top| top.chars().count() >= 2 && !top.chars().all(|c| c.is_ascii_digit()));
    if labels.len() < 2 || !top_ok || !labels.iter().all(|l| is_domain_label(l)) {
        return Err(EMAIL_DOMAIN);
    }
    if email.chars().count() > 254 {
        return Err(EMAIL_TOO_LONG);
    }
    Ok(email)
}

// ---------------------------------------------------------------- СНИЛС

const SNILS_FORMAT: &str = "СНИЛС состоит из 11 цифр, например 112-233-445 95";
const SNILS_CHECKSUM: &str = "В номере СНИЛС ошибка — проверьте цифры";

/// The digits of a number typed with spaces and dashes, or `None` if
/// anything else is in it.
fn digits_only(input: &str) -> Option<Vec<u32>> {
    let mut digits = Vec::new();
    for c in input.trim().chars() {
        if let Some(d) = c.to_digit(10) {
            digits.push(d);
        } else if !(c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—')) {
            return None;
        }
    }
    Some(digits)
}

/// The control number of a СНИЛС from its first 9 digits (the Pension
/// Fund rule: weights 9..1; below 100 as is, 100 and 101 give 00, above
/// that the remainder of division by 101, again with 100 giving 00).
fn snils_control(digits: &[u32]) -> u32 {
    let sum: u32 = digits.iter().take(9).zip((1..=9).rev()).map(|(d, w)| d * w).sum();
    let control = if sum > 101 { sum % 101 } else { sum };
    if control >= 100 { 0 } else { control }
}

/// A СНИЛС typed as `112-233-445 95` or 11 digits with spaces or dashes,
/// checked by its control number, in the normal form `112-233-445 95`.
pub fn normalize_snils(input: &str) -> Result<String, &'static str> {
    let digits = digits_only(input).filter(|d| d.len() == 11).ok_or(SNILS_FORMAT)?;
    if digits.iter().all(|&d| d == 0) {
        return Err(SNILS_CHECKSUM);
    }
    let number = digits.iter().take(9).fold(0u32, |n, d| n * 10 + d);
    let control = digits.iter().skip(9).fold(0u32, |n, d| n * 10 + d);
    // Numbers up to 001-001-998 were issued before the control rule.
    if number > 1_001_998 && control != snils_control(&digits) {
        return Err(SNILS_CHECKSUM);
    }
    let s: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
    Ok(format!("{}-{}-{} {}", &s[0..3], &s[3..6], &s[6..9], &s[9..11]))
}

// ---------------------------------------------------------------- ИНН

const INN_FORMAT: &str = "ИНН физического лица состоит из 12 цифр";
const INN_CHECKSUM: &str = "В ИНН ошибка — проверьте цифры";

/// One control digit of an ИНН: the weighted sum mod 11, then mod 10.
fn inn_control(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    sum % 11 % 10
}

/// A person's ИНН (12 digits, the last two are control digits), spaces and
/// dashes removed. A 10-digit organisation ИНН is refused: this is a personal account.
pub fn normalize_inn(input: &str) -> Result<String, &'static str> {
    let digits = digits_only(input).filter(|d| d.len() == 12).ok_or(INN_FORMAT)?;
    let n11 = inn_control(&digits, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    let n12 = inn_control(&digits, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    if digits.iter().all(|&d| d == 0) || digits.get(10) != Some(&n11) || digits.get(11) != Some(&n12) {
        return Err(INN_CHECKSUM);
    }
    Ok(digits.iter().map(|d| char::from(b'0' + *d as u8)).collect())
}

// ---------------------------------------------------------------- «Логин»

const IDENTIFIER: &str = "Введите телефон, электронную почту, СНИЛС или ИНН";

/// What a person signs in with, in its normal form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Identifier {
    /// `+79161234567`
    Phone(String),
    /// lower case
    Email(String),
    /// `112-233-445 95`
    Snils(String),
    /// 12 digits
    Inn(String),
}

impl Identifier {
    /// The normal form, as stored and looked up.
    pub fn value(&self) -> &str {
        match self {
            Identifier::Phone(v) | Identifier::Email(v) | Identifier::Snils(v) | Identifier::Inn(v) => v,
        }
    }
}

/// Written exactly in the СНИЛС layout `XXX-XXX-XXX YY` (or with a dash
/// before the control number).
fn has_snils_layout(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 14
        && b.iter().enumerate().all(|(i, &c)| match i {
            3 | 7 => c == b'-',
            11 => c == b' ' || c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Reads the sign-in «Логин» field. Spaces at both ends are dropped (people
/// paste them). The order, so that no input has two meanings:
/// 1. contains `@` → e-mail;
/// 2. contains `+` → phone;
/// 3. otherwise only digits may remain after removing spaces, dashes,
///    parentheses and dots, and then
///    - 10 digits starting with 9, or 11 digits starting with 7 or 8 and
///      then 9 → phone (a mobile number is the most common login), except
///      when written in the СНИЛС layout `XXX-XXX-XXX YY` and valid as a СНИЛС;
///    - other 11 digits → СНИЛС (its control number must match);
///    - 12 digits → ИНН.
pub fn parse_identifier(input: &str) -> Result<Identifier, &'static str> {
    let trimmed = input.trim();
    if trimmed.contains('@') {
        return normalize_email(trimmed).map(Identifier::Email);
    }
    if trimmed.contains('+') {
        return normalize_phone(trimmed).map(Identifier::Phone);
    }
    let mut digits = String::new();
    for c in trimmed.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !is_number_separator(c) {
            return Err(IDENTIFIER);
        }
    }
    let mut leading = digits.chars();
    let mobile =
        matches!((digits.len(), leading.next(), leading.next()), (10, Some('9'), _) | (11, Some('7' | '8'), Some('9')));
    if mobile && !(has_snils_layout(trimmed) && normalize_snils(trimmed).is_ok()) {
        return normalize_phone(&digits).map(Identifier::Phone);
    }
    match digits.len() {
        11 => normalize_snils(&digits).map(Identifier::Snils).map_err(|snils_error| {
            // «8 495 …»: a landline rather than a mistyped СНИЛС.
            if digits.starts_with('7') || digits.starts_with('8') {
                normalize_phone(&digits).err().unwrap_or(snils_error)
            } else {
                snils_error
            }
        }),
        12 => normalize_inn(&digits).map(Identifier::Inn),
        _ => Err(IDENTIFIER),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_is_accepted_in_every_usual_spelling() {
        for input in [
            "8 (916) 123-45-67",
            "+7 916 1234567",
            "89161234567",
            "79161234567",
            "9161234567",
            "+7 (916) 123-45-67",
            "8.916.123.45.67",
            "  +7-916-123-45-67  ",
        ] {
            assert_eq!(normalize_phone(input), Ok("+79161234567".to_string()), "{input}");
        }
    }

    #[test]
    fn phone_with_wrong_digit_count_or_letters_is_refused() {
        for input in [
            "",
            "916123456",
            "891612345678",
            "+7 916 123-45-6x",
            "+8 916 123-45-67",
            "+9161234567",
            "7 916 123 45 67 +",
        ] {
            assert_eq!(normalize_phone(input), Err(PHONE_FORMAT), "{input}");
        }
    }

    #[test]
    fn landline_phone_is_refused_as_not_mobile() {
        assert_eq!(normalize_phone("8 (495) 123-45-67"), Err(PHONE_NOT_MOBILE));
        assert_eq!(normalize_phone("4951234567"), Err(PHONE_NOT_MOBILE));
    }

    // e-mail

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        assert_eq!(normalize_email("  Ivan.Petrov@Mail.RU "), Ok("ivan.petrov@mail.ru".to_string()));
        assert_eq!(
            normalize_email("ivan+gos@sub-domain.example.com"),
            Ok("ivan+gos@sub-domain.example.com".to_string())
        );
    }

    #[test]
    fn email_may_have_a_cyrillic_domain() {
        assert_eq!(normalize_email("Ivanov@ПОЧТА.РФ"), Ok("ivanov@почта.рф".to_string()));
    }

    #[test]
    fn email_without_one_at_sign_is_refused() {
        assert_eq!(normalize_email("ivanov.mail.ru"), Err(EMAIL_AT));
        assert_eq!(normalize_email("ivan@ov@mail.ru"), Err(EMAIL_AT));
        assert_eq!(normalize_email("   "), Err(EMAIL_EMPTY));
    }

    #[test]
    fn email_with_spaces_inside_is_refused() {
        assert_eq!(normalize_email("ivan ov@mail.ru"), Err(EMAIL_SPACES));
    }

    #[test]
    fn email_mailbox_name_must_be_sane() {
        assert_eq!(normalize_email("@mail.ru"), Err(EMAIL_LOCAL_EMPTY));
        assert_eq!(normalize_email(&format!("{}@mail.ru", "a".repeat(65))), Err(EMAIL_LOCAL_LONG));
        assert!(normalize_email(&format!("{}@mail.ru", "a".repeat(64))).is_ok());
        assert_eq!(normalize_email("иванов@mail.ru"), Err(EMAIL_LOCAL_CHARS));
        assert_eq!(normalize_email(".ivan@mail.ru"), Err(EMAIL_LOCAL_DOTS));
        assert_eq!(normalize_email("ivan..ov@mail.ru"), Err(EMAIL_LOCAL_DOTS));
    }

    #[test]
    fn email_domain_must_have_a_dot_and_proper_labels() {
        for input in [
            "ivan@mailru",
            "ivan@",
            "ivan@-mail.ru",
            "ivan@mail-.ru",
            "ivan@mail..ru",
            "ivan@mail.ru.",
            "ivan@mail.r",
            "ivan@1.2.3.4",
            "ivan@mail_box.ru",
        ] {
            assert_eq!(normalize_email(input), Err(EMAIL_DOMAIN), "{input}");
        }
    }

    #[test]
    fn email_longer_than_254_characters_is_refused() {
        let domain = format!("{}.{}.{}.{}.ru", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(58));
        assert_eq!(normalize_email(&format!("ivan@{domain}")), Err(EMAIL_TOO_LONG));
    }

    // СНИЛС

    #[test]
    fn snils_is_accepted_with_or_without_separators() {
        for input in ["112-233-445 95", "11223344595", " 112 233 445 95 ", "112-233-445-95"] {
            assert_eq!(normalize_snils(input), Ok("112-233-445 95".to_string()), "{input}");
        }
    }

    #[test]
    fn snils_control_number_follows_the_official_rule() {
        // 1·9+2·8+…+9·1 = 165 → 165 mod 101 = 64
        assert!(normalize_snils("123-456-789 64").is_ok());
        // weighted sum 100 and 101 → 00
        assert!(normalize_snils("920-000-100 00").is_ok());
        assert!(normalize_snils("920-000-101 00").is_ok());
        // 201 mod 101 = 100 → 00
        assert!(normalize_snils("990-800-000 00").is_ok());
        assert_eq!(normalize_snils("123-456-789 65"), Err(SNILS_CHECKSUM));
        assert_eq!(normalize_snils("112-233-445 96"), Err(SNILS_CHECKSUM));
    }

    #[test]
    fn snils_up_to_001_001_998_is_not_checked() {
        assert!(normalize_snils("001-001-998 55").is_ok());
        assert!(normalize_snils("001-001-999 65").is_ok());
        assert_eq!(normalize_snils("001-001-999 64"), Err(SNILS_CHECKSUM));
        assert_eq!(normalize_snils("000-000-000 00"), Err(SNILS_CHECKSUM));
    }

    #[test]
    fn snils_with_wrong_length_or_letters_is_refused() {
        for input in ["", "112-233-445 9", "112-233-445 955", "112-233-445 9a", "112/233/445 95"] {
            assert_eq!(normalize_snils(input), Err(SNILS_FORMAT), "{input}");
        }
    }

    // ИНН

    /// Appends both control digits to 10 digits, computed here independently.
    fn inn_with_controls(first_ten: &str) -> String {
        let digits: Vec<u32> = first_ten.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let weighted = |weights: &[u32], ds: &[u32]| ds.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 % 10;
        let n11 = weighted(&[7, 2, 4, 10, 3, 5, 9, 4, 6, 8], &digits);
        let with_n11: Vec<u32> = digits.iter().copied().chain([n11]).collect();
        let n12 = weighted(&[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], &with_n11);
        format!("{first_ten}{n11}{n12}")
    }

    #[test]
    fn personal_inn_with_right_control_digits_is_accepted() {
        assert_eq!(normalize_inn("500100732259"), Ok("500100732259".to_string()));
        assert_eq!(normalize_inn(" 5001 0073 2259 "), Ok("500100732259".to_string()));
        for ten in ["7707083893", "7712345678", "0101000001", "9999999999"] {
            let inn = inn_with_controls(ten);
            assert_eq!(normalize_inn(&inn), Ok(inn.clone()), "{inn}");
        }
    }

    #[test]
    fn inn_with_wrong_control_digits_is_refused() {
        assert_eq!(normalize_inn("500100732258"), Err(INN_CHECKSUM));
        assert_eq!(normalize_inn("500100732249"), Err(INN_CHECKSUM));
        assert_eq!(normalize_inn("000000000000"), Err(INN_CHECKSUM));
    }

    #[test]
    fn organisation_inn_and_other_lengths_are_refused() {
        for input in ["7707083893", "", "50010073225", "5001007322590", "5001007322x9"] {
            assert_eq!(normalize_inn(input), Err(INN_FORMAT), "{input}");
        }
    }

    // «Логин»

    #[test]
    fn login_with_at_sign_is_an_email() {
        assert_eq!(parse_identifier("  Ivanov@Mail.ru "), Ok(Identifier::Email("ivanov@mail.ru".to_string())));
        assert_eq!(parse_identifier("ivanov@"), Err(EMAIL_DOMAIN));
    }

    #[test]
    fn login_that_looks_like_a_mobile_number_is_a_phone() {
        let phone = Ok(Identifier::Phone("+79161234567".to_string()));
        for input in [" +7 916 123-45-67 ", "8 (916) 123-45-67", "89161234567", "79161234567", "9161234567"] {
            assert_eq!(parse_identifier(input), phone, "{input}");
        }
    }

    #[test]
    fn login_of_eleven_digits_is_a_snils_unless_it_is_a_mobile_number() {
        let snils = Ok(Identifier::Snils("112-233-445 95".to_string()));
        assert_eq!(parse_identifier("112-233-445 95"), snils);
        assert_eq!(parse_identifier(" 11223344595 "), snils);
        // 7·9 + 9·8 = 135 → 135 mod 101 = 34: a valid СНИЛС that reads like a phone.
        assert_eq!(parse_identifier("79000000034"), Ok(Identifier::Phone("+79000000034".to_string())));
        assert_eq!(parse_identifier("790-000-000 34"), Ok(Identifier::Snils("790-000-000 34".to_string())));
        assert_eq!(parse_identifier("123-456-789 00"), Err(SNILS_CHECKSUM));
    }

    #[test]
    fn login_that_is_a_landline_says_a_mobile_is_needed() {
        assert_eq!(parse_identifier("+7 495 123-45-67"), Err(PHONE_NOT_MOBILE));
        assert_eq!(parse_identifier("8 495 123-45-67"), Err(PHONE_NOT_MOBILE));
    }

    #[test]
    fn login_of_twelve_digits_is_an_inn() {
        assert_eq!(parse_identifier("500100732259"), Ok(Identifier::Inn("500100732259".to_string())));
        assert_eq!(parse_identifier("500100732258"), Err(INN_CHECKSUM));
    }

    #[test]
    fn login_that_is_nothing_known_is_refused() {
        for input in ["", "   ", "ivanov", "12345", "7707083893", "1234567890123"] {
            assert_eq!(parse_identifier(input), Err(IDENTIFIER), "{input:?}");
        }
    }

    #[test]
    fn identifier_value_is_its_normal_form() {
        assert_eq!(parse_identifier("8 916 123 45 67").unwrap().value(), "+79161234567");
    }

    // names
}
