//! The password policy of spec 003 «Парольная политика» (a setting; these
//! are the defaults): length, letters, digits, signs, no keyboard runs or
//! triples, none of the person's own data. Pure: the browser shows it as a
//! live checklist, the server has the final word. Builds for wasm.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::identifier::normalize_phone;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

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
}
