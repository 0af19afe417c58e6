//! Checks of what a person types into the account forms: phone, e-mail,
//! СНИЛС, ИНН, the «Логин» field, names, birth date, password and
//! confirmation codes. Pure functions: the browser runs them for live hints
//! as you type, the server runs the same code and has the final word. Plain
//! Rust only (std, serde, chrono), so it builds for wasm too. Messages are
//! Russian, addressed to the citizen, and say what to fix.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- phone

const PHONE_FORMAT: &str = "Введите номер мобильного телефона: 10 цифр после +7, например +7 916 123-45-67";
const PHONE_NOT_MOBILE: &str = "Нужен номер мобильного телефона: после +7 он начинается с 9, например +7 916 123-45-67";

/// Characters people put between the digits of a number: spaces, hyphens and
/// dashes, parentheses, dots.
fn is_number_separator(c: char) -> bool {
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
fn is_cyrillic_letter(c: char) -> bool {
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

// ---------------------------------------------------------------- names

/// A Latin letter, plain or with diacritics (Latin-1 and Latin Extended-A/B).
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// A surname, name or patronymic: spaces trimmed and collapsed, typographic
/// apostrophes and hyphens made plain; letters of one alphabet (Cyrillic or
/// Latin), a hyphen, an apostrophe or a single space between letters, 1..=60
/// characters. An empty optional field gives an empty string.
pub fn validate_name(field_label: &str, input: &str, required: bool) -> Result<String, String> {
    let name: String = input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| match c {
            '’' | 'ʼ' | '‘' | '`' => '\'',
            '‐' | '‑' => '-',
            other => other,
        })
        .collect();
    if name.is_empty() {
        return if required { Err(format!("{field_label}: заполните поле")) } else { Ok(name) };
    }
    if name.chars().count() > 60 {
        return Err(format!("{field_label}: не более 60 символов"));
    }
    let is_separator = |c: char| matches!(c, '-' | '\'' | ' ');
    if !name.chars().all(|c| is_cyrillic_letter(c) || is_latin_letter(c) || is_separator(c)) {
        return Err(format!("{field_label}: только буквы, дефис и апостроф"));
    }
    let chars: Vec<char> = name.chars().collect();
    let edges_ok = chars.first().is_some_and(|c| !is_separator(*c)) && chars.last().is_some_and(|c| !is_separator(*c));
    if !edges_ok || chars.windows(2).any(|w| is_separator(w[0]) && is_separator(w[1])) {
        return Err(format!("{field_label}: дефис, апостроф и пробел ставятся только между буквами"));
    }
    if chars.iter().any(|&c| is_cyrillic_letter(c)) && chars.iter().any(|&c| is_latin_letter(c)) {
        return Err(format!("{field_label}: буквы одного алфавита — только русские или только латинские"));
    }
    Ok(name)
}

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

// ---------------------------------------------------------------- password

/// The password policy of 003 «Парольная политика»; a setting, these are the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub min_length: usize,
    /// Long passphrases and password managers must fit.
    pub max_length: usize,
    pub require_upper: bool,
    pub require_lower: bool,
    pub require_digit: bool,
    pub require_special: bool,
    /// No keyboard or alphabet runs of 4 and more (`qwer`, `1234`, `абвг`, reversed too).
    pub forbid_runs: bool,
    /// No character three times in a row.
    pub forbid_triples: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 12,
            max_length: 128,
            require_upper: true,
            require_lower: true,
            require_digit: true,
            require_special: true,
            forbid_runs: true,
            forbid_triples: true,
        }
    }
}

/// What the password must not contain: the person's names, birth date and login.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PasswordContext<'a> {
    pub surname: &'a str,
    pub name: &'a str,
    pub patronymic: &'a str,
    pub birth_date: Option<NaiveDate>,
    /// A phone or an e-mail, as typed or normalised.
    pub login: &'a str,
}

/// One line of the checklist shown under the password field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rule {
    Length,
    Upper,
    Lower,
    Digit,
    Special,
    NoRuns,
    NoTriples,
    NoPersonalData,
}

impl Rule {
    /// Every rule, in checklist order.
    pub const ALL: [Rule; 8] = [
        Rule::Length,
        Rule::Upper,
        Rule::Lower,
        Rule::Digit,
        Rule::Special,
        Rule::NoRuns,
        Rule::NoTriples,
        Rule::NoPersonalData,
    ];

    /// The checklist text for the default policy.
    pub fn label(self) -> &'static str {
        match self {
            Rule::Length => "Не менее 12 символов",
            Rule::Upper => "Заглавная буква",
            Rule::Lower => "Строчная буква",
            Rule::Digit => "Цифра",
            Rule::Special => "Специальный символ (!, %, # …)",
            Rule::NoRuns => "Без последовательностей вроде qwerty или 12345",
            Rule::NoTriples => "Без трёх одинаковых символов подряд",
            Rule::NoPersonalData => "Без имени, фамилии, даты рождения и логина",
        }
    }

    /// The checklist text for `policy` (its minimum length may differ from 12).
    pub fn text(self, policy: &PasswordPolicy) -> String {
        match self {
            Rule::Length => format!("Не менее {} {}", policy.min_length, characters_genitive(policy.min_length)),
            other => other.label().to_string(),
        }
    }

    /// Whether `policy` asks for this rule at all.
    fn enabled(self, policy: &PasswordPolicy) -> bool {
        match self {
            Rule::Length | Rule::NoPersonalData => true,
            Rule::Upper => policy.require_upper,
            Rule::Lower => policy.require_lower,
            Rule::Digit => policy.require_digit,
            Rule::Special => policy.require_special,
            Rule::NoRuns => policy.forbid_runs,
            Rule::NoTriples => policy.forbid_triples,
        }
    }
}

/// «символа» after «не менее 21», «символов» after «не менее 12».
fn characters_genitive(n: usize) -> &'static str {
    if n % 10 == 1 && n % 100 != 11 { "символа" } else { "символов" }
}

/// Keyboard rows and alphabets; a run is 4+ characters of one of them, forwards or backwards.
const RUN_SOURCES: [&str; 9] = [
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
    "1234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
];

/// Whether 4 or more consecutive characters (any case) follow a keyboard row or an alphabet.
fn has_run(password: &str) -> bool {
    let chars: Vec<char> = password.chars().flat_map(char::to_lowercase).collect();
    let reversed: Vec<String> = RUN_SOURCES.iter().map(|row| row.chars().rev().collect()).collect();
    chars.windows(4).any(|window| {
        let piece: String = window.iter().collect();
        RUN_SOURCES.iter().any(|row| row.contains(&piece)) || reversed.iter().any(|row| row.contains(&piece))
    })
}

/// Whether one character comes three times in a row.
fn has_triple(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    chars.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
}

/// Lower case with «ё» as «е», for comparing personal data.
fn fold(s: &str) -> String {
    s.trim().to_lowercase().replace('ё', "е")
}

/// Latin spellings of a (folded) Cyrillic word: the passport one (ICAO, as
/// in «Ivanov», «Iuliia») and a common one («Yuliya», «Khrustalev» → «Hrustalev»).
fn transliterations(word: &str) -> [String; 2] {
    let mut passport = String::new();
    let mut common = String::new();
    for c in word.chars() {
        let (p, o) = match c {
            'а' => ("a", "a"),
            'б' => ("b", "b"),
            'в' => ("v", "v"),
            'г' => ("g", "g"),
            'д' => ("d", "d"),
            'е' => ("e", "e"),
            'ж' => ("zh", "zh"),
            'з' => ("z", "z"),
            'и' => ("i", "i"),
            'й' => ("i", "y"),
            'к' => ("k", "k"),
            'л' => ("l", "l"),
            'м' => ("m", "m"),
            'н' => ("n", "n"),
            'о' => ("o", "o"),
            'п' => ("p", "p"),
            'р' => ("r", "r"),
            'с' => ("s", "s"),
            'т' => ("t", "t"),
            'у' => ("u", "u"),
            'ф' => ("f", "f"),
            'х' => ("kh", "h"),
            'ц' => ("ts", "ts"),
            'ч' => ("ch", "ch"),
            'ш' => ("sh", "sh"),
            'щ' => ("shch", "sch"),
            'ъ' => ("ie", ""),
            'ы' => ("y", "y"),
            'ь' => ("", ""),
            'э' => ("e", "e"),
            'ю' => ("iu", "yu"),
            'я' => ("ia", "ya"),
            _ => {
                passport.push(c);
                common.push(c);
                continue;
            }
        };
        passport.push_str(p);
        common.push_str(o);
    }
    [passport, common]
}

/// The pieces of personal data a password must not contain, folded.
fn personal_fragments(ctx: &PasswordContext) -> Vec<String> {
    let mut fragments = Vec::new();
    for full in [ctx.surname, ctx.name, ctx.patronymic].map(fold) {
        // «Мамин-Сибиряк» forbids the whole and each part.
        let parts = std::iter::once(full.as_str()).chain(full.split(['-', ' ', '\'']));
        for part in parts.filter(|p| p.chars().count() >= 3) {
            fragments.push(part.to_string());
            fragments.extend(transliterations(part));
        }
    }

    if let Some(date) = ctx.birth_date {
        let (d, m, y) = (format!("{:02}", date.day()), format!("{:02}", date.month()), format!("{:04}", date.year()));
        let yy = format!("{:02}", date.year().rem_euclid(100));
        fragments.extend([
            format!("{d}{m}{y}"),
            format!("{d}.{m}.{y}"),
            format!("{y}-{m}-{d}"),
            format!("{y}{m}{d}"),
            format!("{d}{m}{yy}"),
        ]);
    }

    let login = fold(ctx.login);
    if let Some((local, _)) = login.rsplit_once('@') {
        fragments.extend(
            std::iter::once(local)
                .chain(local.split(['.', '_', '-', '+']))
                .filter(|p| p.chars().count() >= 3)
                .map(str::to_string),
        );
    } else if let Ok(phone) = normalize_phone(&login) {
        fragments.push(phone.trim_start_matches("+7").to_string());
    }
    fragments
}

/// Whether the password holds the person's names, birth date or login.
fn has_personal_data(ctx: &PasswordContext, password: &str) -> bool {
    let folded = fold(password);
    if personal_fragments(ctx).iter().any(|f| folded.contains(f.as_str())) {
        return true;
    }
    // The year and the day with the month, anywhere: «Kot1985!0504».
    ctx.birth_date.is_some_and(|date| {
        let (d, m) = (format!("{:02}", date.day()), format!("{:02}", date.month()));
        folded.contains(&format!("{:04}", date.year()))
            && ["", ".", "-", "/"].iter().any(|sep| folded.contains(&format!("{d}{sep}{m}")))
    })
}

/// Every rule that `policy` asks for, each with whether `password` meets it,
/// for the live checklist. The zxcvbn strength estimate and the «not one of
/// the last 5 passwords» rule need the server and are checked there.
pub fn check_password(policy: &PasswordPolicy, ctx: &PasswordContext, password: &str) -> Vec<(Rule, bool)> {
    let length = password.chars().count();
    Rule::ALL
        .into_iter()
        .filter(|rule| rule.enabled(policy))
        .map(|rule| {
            let met = match rule {
                Rule::Length => (policy.min_length..=policy.max_length).contains(&length),
                Rule::Upper => password.chars().any(char::is_uppercase),
                Rule::Lower => password.chars().any(char::is_lowercase),
                Rule::Digit => password.chars().any(|c| c.is_ascii_digit()),
                Rule::Special => password.chars().any(|c| !c.is_alphanumeric() && !c.is_whitespace()),
                Rule::NoRuns => !has_run(password),
                Rule::NoTriples => !has_triple(password),
                Rule::NoPersonalData => !has_personal_data(ctx, password),
            };
            (rule, met)
        })
        .collect()
}

/// Whether `password` meets every rule of `policy`.
pub fn password_ok(policy: &PasswordPolicy, ctx: &PasswordContext, password: &str) -> bool {
    check_password(policy, ctx, password).iter().all(|(_, met)| *met)
}

/// The message for a password over the maximum length, which the checklist
/// line «Не менее 12 символов» does not explain.
pub fn password_too_long(policy: &PasswordPolicy, password: &str) -> Option<String> {
    (password.chars().count() > policy.max_length)
        .then(|| format!("Пароль — не длиннее {} {}", policy.max_length, characters_genitive(policy.max_length)))
}

/// A hint when the password has Russian letters: the keyboard may be in the
/// wrong layout (000 §2.1).
pub fn keyboard_layout_hint(password: &str) -> Option<&'static str> {
    password.chars().any(is_cyrillic_letter).then_some("В пароле есть русские буквы — проверьте раскладку клавиатуры")
}

// ---------------------------------------------------------------- codes

const CODE_FORMAT: &str = "Код состоит из 6 цифр";

/// A confirmation code from SMS or e-mail: exactly 6 digits once spaces are removed.
pub fn validate_code(input: &str) -> Result<String, &'static str> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) { Ok(code) } else { Err(CODE_FORMAT) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // phone

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

    #[test]
    fn name_is_trimmed_and_inner_spaces_collapsed() {
        assert_eq!(validate_name("Фамилия", "  Иванова   Петрова ", true), Ok("Иванова Петрова".to_string()));
        assert_eq!(validate_name("Фамилия", "Мамин-Сибиряк", true), Ok("Мамин-Сибиряк".to_string()));
        assert_eq!(validate_name("Фамилия", "д’Артаньян", true), Ok("д'Артаньян".to_string()));
        assert_eq!(validate_name("Имя", "Jean-Luc", true), Ok("Jean-Luc".to_string()));
        assert_eq!(validate_name("Имя", "Ёжик", true), Ok("Ёжик".to_string()));
        assert_eq!(validate_name("Отчество", "   ", false), Ok(String::new()));
    }

    #[test]
    fn required_name_must_be_filled() {
        assert_eq!(validate_name("Фамилия", "  ", true), Err("Фамилия: заполните поле".to_string()));
    }

    #[test]
    fn name_with_digits_or_symbols_is_refused_naming_the_field() {
        assert_eq!(
            validate_name("Фамилия", "Иванов2", true),
            Err("Фамилия: только буквы, дефис и апостроф".to_string())
        );
        assert_eq!(validate_name("Имя", "Иван!", true), Err("Имя: только буквы, дефис и апостроф".to_string()));
    }

    #[test]
    fn name_signs_stand_only_between_letters() {
        for input in ["-Иван", "Иван-", "Иван--Петров", "Иван - Петров", "'Иван"] {
            assert!(validate_name("Имя", input, true).is_err_and(|e| e.contains("между буквами")), "{input}");
        }
    }

    #[test]
    fn name_mixing_alphabets_is_refused() {
        // The «а» is Latin.
        assert_eq!(
            validate_name("Фамилия", "Ивaнов", true),
            Err("Фамилия: буквы одного алфавита — только русские или только латинские".to_string())
        );
    }

    #[test]
    fn name_is_at_most_60_characters() {
        assert!(validate_name("Фамилия", &"Я".repeat(60), true).is_ok());
        assert_eq!(validate_name("Фамилия", &"Я".repeat(61), true), Err("Фамилия: не более 60 символов".to_string()));
    }

    // birth date

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

    fn person() -> PasswordContext<'static> {
        PasswordContext {
            surname: "Иванов",
            name: "Юлия",
            patronymic: "Сергеевна",
            birth_date: Some(date(1985, 4, 5)),
            login: "ivan.petrov@mail.ru",
        }
    }

    fn unmet(password: &str) -> Vec<Rule> {
        check_password(&PasswordPolicy::default(), &person(), password)
            .into_iter()
            .filter(|(_, met)| !met)
            .map(|(rule, _)| rule)
            .collect()
    }

    #[test]
    fn default_policy_is_the_one_of_the_specification() {
        let policy = PasswordPolicy::default();
        assert_eq!((policy.min_length, policy.max_length), (12, 128));
        assert!(policy.require_upper && policy.require_lower && policy.require_digit && policy.require_special);
        assert!(policy.forbid_runs && policy.forbid_triples);
    }

    #[test]
    fn strong_password_meets_every_rule() {
        let checks = check_password(&PasswordPolicy::default(), &person(), "Moroz!Veter7Luna");
        assert_eq!(checks.iter().map(|(rule, _)| *rule).collect::<Vec<_>>(), Rule::ALL.to_vec());
        assert!(checks.iter().all(|(_, met)| *met));
        assert!(password_ok(&PasswordPolicy::default(), &person(), "Moroz!Veter7Luna"));
    }

    #[test]
    fn password_length_is_between_12_and_128() {
        assert_eq!(unmet("Moroz!Ve7Lu"), vec![Rule::Length]);
        assert_eq!(unmet("Moroz!Vet7Lu"), vec![]);
        let long = format!("Moroz!Veter7{}", "Luna".repeat(30));
        assert_eq!(unmet(&long), vec![Rule::Length]);
        assert!(password_too_long(&PasswordPolicy::default(), &long).is_some_and(|m| m.contains("128 символов")));
        assert_eq!(password_too_long(&PasswordPolicy::default(), "Moroz!Veter7Luna"), None);
    }

    #[test]
    fn password_needs_upper_lower_digit_and_special_in_any_alphabet() {
        assert_eq!(unmet("moroz!veter7luna"), vec![Rule::Upper]);
        assert_eq!(unmet("MOROZ!VETER7LUNA"), vec![Rule::Lower]);
        assert_eq!(unmet("Moroz!VeterSLuna"), vec![Rule::Digit]);
        assert_eq!(unmet("MorozVeter7Luna"), vec![Rule::Special]);
        assert_eq!(unmet("Мороз!Ветер7Луна"), vec![]);
        assert_eq!(unmet("МОРОЗ!ВЕТЕР7ЛУНА"), vec![Rule::Lower]);
    }

    #[test]
    fn password_must_not_follow_a_keyboard_row_or_the_alphabet() {
        for password in [
            "Moroz!Qwer7Luna",
            "Moroz!1234Luna",
            "Moroz!9876Luna",
            "Moroz!AbcdLuna7",
            "Мороз!Йцук7Луна",
            "Мороз!ьэюя7Луна",
            "Moroz!7Lkjh",
        ] {
            assert!(unmet(password).contains(&Rule::NoRuns), "{password}");
        }
        assert!(!unmet("Moroz!Qwe7Luna").contains(&Rule::NoRuns));
    }

    #[test]
    fn password_must_not_repeat_a_character_three_times() {
        assert!(unmet("Moroz!!!Veter7Luna").contains(&Rule::NoTriples));
        assert!(!unmet("Moroz!!Veter7Luna").contains(&Rule::NoTriples));
    }

    #[test]
    fn password_must_not_contain_names_in_either_alphabet() {
        for password in [
            "Иванов!Ветер7Луна",
            "ИВАНОВ!ветер7Луна",
            "Moroz!Ivanov7Luna",
            "Moroz!Iuliia7Kot",
            "Moroz!Yuliya7Kot",
            "Мороз!Сергеевна7",
        ] {
            assert!(unmet(password).contains(&Rule::NoPersonalData), "{password}");
        }
    }

    #[test]
    fn password_must_not_contain_the_birth_date() {
        for password in [
            "Moroz!05041985",
            "Moroz!05.04.1985",
            "Moroz!1985-04-05",
            "Moroz!19850405",
            "Moroz!050485Lu",
            "Kot1985!Moroz0504",
            "Kot1985!Moroz05.04",
        ] {
            assert!(unmet(password).contains(&Rule::NoPersonalData), "{password}");
        }
        assert!(!unmet("Kot1985!MorozLuna").contains(&Rule::NoPersonalData));
    }

    #[test]
    fn password_must_not_contain_the_login() {
        assert!(unmet("Ivan.Petrov!Kot7").contains(&Rule::NoPersonalData));
        assert!(unmet("Moroz!Petrov7Luna").contains(&Rule::NoPersonalData));
        let by_phone = PasswordContext { login: "+7 916 123-45-67", ..PasswordContext::default() };
        let checks = check_password(&PasswordPolicy::default(), &by_phone, "Moroz!9161234567");
        assert!(checks.contains(&(Rule::NoPersonalData, false)));
        assert!(password_ok(&PasswordPolicy::default(), &by_phone, "Moroz!Veter7Luna"));
    }

    #[test]
    fn short_names_are_not_forbidden() {
        let ctx = PasswordContext { name: "Ян", surname: "Ли", ..PasswordContext::default() };
        assert!(password_ok(&PasswordPolicy::default(), &ctx, "Moroz!Yan7Li-Kot"));
    }

    #[test]
    fn checklist_lists_only_the_rules_the_policy_asks_for() {
        let policy = PasswordPolicy { require_special: false, forbid_triples: false, ..PasswordPolicy::default() };
        let rules: Vec<Rule> =
            check_password(&policy, &person(), "MorozVeter7Luna").into_iter().map(|(r, _)| r).collect();
        assert_eq!(
            rules,
            vec![Rule::Length, Rule::Upper, Rule::Lower, Rule::Digit, Rule::NoRuns, Rule::NoPersonalData]
        );
        assert!(password_ok(&policy, &person(), "MorozVeter7Luna"));
    }

    #[test]
    fn checklist_labels_are_the_agreed_texts() {
        assert_eq!(Rule::Length.label(), "Не менее 12 символов");
        assert_eq!(Rule::Special.label(), "Специальный символ (!, %, # …)");
        assert_eq!(Rule::NoPersonalData.label(), "Без имени, фамилии, даты рождения и логина");
        assert_eq!(Rule::Length.text(&PasswordPolicy::default()), Rule::Length.label());
        assert_eq!(
            Rule::Length.text(&PasswordPolicy { min_length: 21, ..PasswordPolicy::default() }),
            "Не менее 21 символа"
        );
        assert_eq!(Rule::Upper.text(&PasswordPolicy::default()), "Заглавная буква");
    }

    #[test]
    fn russian_letters_in_password_suggest_checking_the_layout() {
        assert_eq!(
            keyboard_layout_hint("Ьщкщя!Муеук7"),
            Some("В пароле есть русские буквы — проверьте раскладку клавиатуры")
        );
        assert_eq!(keyboard_layout_hint("Moroz!Veter7Luna"), None);
    }

    // codes

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
}
