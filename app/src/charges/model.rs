//! What a charge is, shared by the browser and the server: the УИН and its
//! control digit, the kinds and states of a charge, money in kopecks, and
//! the 50 % discount of a traffic fine. Pure: time is a parameter.
//!
//! A charge's life (the portal's copy of an accrual of ГИС ГМП):
//!
//! ```text
//!   open ──payment succeeded──▶ paid ──ГИС ГМП matched it──▶ settled («квитировано»)
//!    │ ▲
//!    │ └── appeal refused or withdrawn
//!    ▼
//!  disputed («обжалуется») ──appeal granted──▶ annulled («отменено»)
//!    └──payment succeeded──▶ paid
//! ```

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use surrealdb::types::SurrealValue;

/// Money is kopecks in an `i64`, everywhere; never a float.
pub type Kopecks = i64;

/// «1 234,50 ₽» (no-break spaces between thousands and before the sign).
pub fn rubles(kopecks: Kopecks) -> String {
    let sign = if kopecks < 0 { "−" } else { "" };
    let abs = kopecks.unsigned_abs();
    let (r, k) = (abs / 100, abs % 100);
    let digits = r.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    if k == 0 { format!("{sign}{grouped}\u{a0}₽") } else { format!("{sign}{grouped},{k:02}\u{a0}₽") }
}

/// «1234.50» for machine-readable places (the receipt's QR, a payment link).
pub fn decimal(kopecks: Kopecks) -> String {
    format!("{}.{:02}", kopecks / 100, (kopecks % 100).abs())
}

/// Half of a fine, rounded up to the kopeck (КоАП ст. 32.2 ч. 1.3: «в
/// размере половины суммы»; the payer never pays less than half).
pub fn half(kopecks: Kopecks) -> Kopecks {
    kopecks - kopecks / 2
}

/// A traffic fine paid within this many days of its decision costs half.
pub const DISCOUNT_DAYS: i64 = 20;

/// The УИН («уникальный идентификатор начисления»): 20 or 25 digits, the
/// last a control digit over the others (Приказ Казначейства России: weights
/// 1…10 repeating, remainder of 11; a remainder of 10 is computed again
/// with weights from 3, and a second 10 gives 0).
pub fn uin_control(body: &[u8]) -> u8 {
    let sum =
        |start: usize| -> usize { body.iter().enumerate().map(|(i, d)| (*d as usize) * ((i + start) % 10 + 1)).sum() };
    let r = sum(0) % 11;
    if r < 10 {
        return r as u8;
    }
    let r = sum(2) % 11;
    if r < 10 { r as u8 } else { 0 }
}

/// What is wrong with a typed УИН, or its 20/25 digits.
pub fn parse_uin(s: &str) -> Result<String, &'static str> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.is_empty() {
        return Err("Введите УИН — он есть в постановлении или квитанции");
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("УИН состоит только из цифр");
    }
    if digits.len() != 20 && digits.len() != 25 {
        return Err("В УИН 20 или 25 цифр");
    }
    let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    let (body, last) = d.split_at(d.len() - 1);
    if uin_control(body) != last[0] {
        return Err("В УИН ошибка: не сходится контрольная цифра. Проверьте цифры по документу");
    }
    Ok(digits)
}

/// The УИН with its control digit appended to `body` (19 or 24 digits).
pub fn with_control(body: &str) -> String {
    let d: Vec<u8> = body.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    format!("{body}{}", uin_control(&d))
}

/// «1881 0177 2612 0000 0017» — read in fours.
pub fn uin_text(uin: &str) -> String {
    let mut out = String::new();
    for (i, c) in uin.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// A traffic fine (ГИБДД), found by the vehicle and driver's documents.
    Fine,
    /// A tax (ФНС), found by ИНН.
    Tax,
    /// A state duty of an application sent on the portal.
    Duty,
}

impl ChargeKind {
    pub const ALL: [ChargeKind; 3] = [ChargeKind::Fine, ChargeKind::Tax, ChargeKind::Duty];

    pub fn as_str(self) -> &'static str {
        match self {
            ChargeKind::Fine => "fine",
            ChargeKind::Tax => "tax",
            ChargeKind::Duty => "duty",
        }
    }

    pub fn parse(s: &str) -> Option<ChargeKind> {
        ChargeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ChargeKind::Fine => "Штраф",
            ChargeKind::Tax => "Налог",
            ChargeKind::Duty => "Госпошлина",
        }
    }

    /// The service of the catalogue that appeals a charge of this kind.
    pub fn appeal_service(self) -> Option<&'static str> {
        match self {
            ChargeKind::Fine => Some("fine-appeal"),
            ChargeKind::Tax => Some("tax-appeal"),
            ChargeKind::Duty => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ChargeState {
    Open,
    Disputed,
    Paid,
    Settled,
    Annulled,
}

impl ChargeState {
    pub const ALL: [ChargeState; 5] =
        [ChargeState::Open, ChargeState::Disputed, ChargeState::Paid, ChargeState::Settled, ChargeState::Annulled];

    pub fn as_str(self) -> &'static str {
        match self {
            ChargeState::Open => "open",
            ChargeState::Disputed => "disputed",
            ChargeState::Paid => "paid",
            ChargeState::Settled => "settled",
            ChargeState::Annulled => "annulled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChargeState::Open => "Не оплачено",
            ChargeState::Disputed => "Обжалуется",
            ChargeState::Paid => "Оплачено",
            ChargeState::Settled => "Оплачено, квитировано",
            ChargeState::Annulled => "Отменено",
        }
    }

    /// Whether it can be paid now (an appeal does not stop payment).
    pub fn payable(self) -> bool {
        matches!(self, ChargeState::Open | ChargeState::Disputed)
    }
}

/// What is to pay at `now`: half while the discount lasts.
pub fn amount_due(amount: Kopecks, discount_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Kopecks {
    match discount_until {
        Some(until) if now < until => half(amount),
        _ => amount,
    }
}

/// The end of a fine's discount: the end (Moscow time) of the 20th day
/// after its decision.
pub fn discount_until(decided_on: NaiveDate) -> DateTime<Utc> {
    let last = decided_on + TimeDelta::days(DISCOUNT_DAYS);
    // 24:00 in Moscow (UTC+3) is 21:00 UTC of that day.
    last.and_hms_opt(21, 0, 0).map(|t| t.and_utc()).unwrap_or_default()
}

/// «осталось 3 дня», «остался 1 день», «осталось 5 часов» until `until`.
pub fn left_text(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let left = until - now;
    if left <= TimeDelta::zero() {
        return "время вышло".into();
    }
    let days = left.num_days();
    if days >= 1 {
        return format!(
            "{} {days} {}",
            plural(days, "остался", "осталось", "осталось"),
            plural(days, "день", "дня", "дней")
        );
    }
    let hours = left.num_hours().max(1);
    format!("{} {hours} {}", plural(hours, "остался", "осталось", "осталось"), plural(hours, "час", "часа", "часов"))
}

fn plural<'a>(n: i64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let n = n.abs();
    if n % 10 == 1 && n % 100 != 11 {
        one
    } else if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) {
        few
    } else {
        many
    }
}

/// Ten characters as people type them on a СТС or a ВУ: two digits, two
/// Cyrillic letters or digits, six digits; spaces dropped, upper case.
fn document_number(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect();
    let c: Vec<char> = t.chars().collect();
    let ok = c.len() == 10
        && c[..2].iter().all(char::is_ascii_digit)
        && c[2..4].iter().all(|x| x.is_ascii_digit() || ('А'..='Я').contains(x))
        && c[4..].iter().all(char::is_ascii_digit);
    ok.then_some(t)
}

/// A vehicle registration certificate (СТС): «77 УК 123456».
pub fn parse_sts(s: &str) -> Result<String, &'static str> {
    document_number(s)
        .ok_or("Номер СТС — как в свидетельстве: 2 цифры, 2 буквы или цифры, 6 цифр, например 77 УК 123456")
}

/// A driver's licence (ВУ): «99 12 345678»; the third and fourth may be
/// Cyrillic letters on old licences.
pub fn parse_licence(s: &str) -> Result<String, &'static str> {
    document_number(s).ok_or("Номер удостоверения — 10 знаков, например 99 12 345678")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uin_control_digits_of_valid_samples_match() {
        // Worked by hand: 1881017726120000001 → Σ dᵢ·wᵢ = 248, 248 mod 11 = 6.
        assert_eq!(with_control("1881017726120000001"), "18810177261200000016");
        for good in [
            "18810177261200000016",
            with_control("1820105000000000123").as_str(),
            with_control("321000000000000000000012").as_str(),
        ] {
            assert_eq!(parse_uin(good), Ok(good.to_string()), "{good}");
        }
        // Spaces and dashes as people copy them from a document.
        assert_eq!(parse_uin("1881 0177 2612 0000 0016"), Ok("18810177261200000016".into()));
    }

    #[test]
    fn a_wrong_digit_length_or_letter_is_refused_with_its_reason() {
        assert!(parse_uin("18810177261200000017").unwrap_err().contains("контрольная цифра"));
        assert!(parse_uin("18810177261200000061").unwrap_err().contains("контрольная цифра"), "two digits swapped");
        assert!(parse_uin("1881017726120000001").unwrap_err().contains("20 или 25"));
        assert!(parse_uin("1881017726120000001A").unwrap_err().contains("только из цифр"));
        assert!(parse_uin("  ").unwrap_err().contains("Введите УИН"));
    }

    #[test]
    fn a_remainder_of_ten_is_computed_again_with_shifted_weights() {
        // Find bodies whose first sum leaves 10 and check the second rule.
        let mut seen = 0;
        for n in 0..2000u32 {
            let body = format!("188101772612{n:07}");
            let d: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
            let first: usize = d.iter().enumerate().map(|(i, x)| (*x as usize) * (i % 10 + 1)).sum();
            if first % 11 == 10 {
                let second: usize = d.iter().enumerate().map(|(i, x)| (*x as usize) * ((i + 2) % 10 + 1)).sum();
                let want = if second % 11 == 10 { 0 } else { (second % 11) as u8 };
                assert_eq!(uin_control(&d), want);
                seen += 1;
            }
        }
        assert!(seen > 10);
    }

    #[test]
    fn kopecks_add_and_halve_without_floats() {
        assert_eq!(rubles(50_000), "500\u{a0}₽");
        assert_eq!(rubles(123_450), "1\u{a0}234,50\u{a0}₽");
        assert_eq!(rubles(100_000_007), "1\u{a0}000\u{a0}000,07\u{a0}₽");
        assert_eq!(half(50_000), 25_000);
        assert_eq!(half(50_001), 25_001, "rounded up: never less than half");
        assert_eq!(half(1), 1);
        assert_eq!(decimal(123_405), "1234.05");
        // A sum of many small amounts stays exact.
        let total: Kopecks = std::iter::repeat_n(10, 1000).sum();
        assert_eq!(total, 10_000);
    }

    #[test]
    fn the_discount_lasts_to_the_end_of_the_twentieth_day_in_moscow() {
        let decided = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
        let until = discount_until(decided);
        assert_eq!(until.to_rfc3339(), "2026-11-30T21:00:00+00:00");
        let before = until - TimeDelta::seconds(1);
        assert_eq!(amount_due(150_000, Some(until), before), 75_000);
        assert_eq!(amount_due(150_000, Some(until), until), 150_000, "ends by itself");
        assert_eq!(amount_due(150_000, None, before), 150_000);
        assert_eq!(left_text(until, until - TimeDelta::days(3)), "осталось 3 дня");
        assert_eq!(left_text(until, until - TimeDelta::hours(5)), "осталось 5 часов");
        assert_eq!(left_text(until, until - TimeDelta::days(21)), "остался 21 день");
    }

    #[test]
    fn vehicle_and_licence_numbers_are_read_as_people_type_them() {
        assert_eq!(parse_sts("77 ук 123456"), Ok("77УК123456".into()));
        assert_eq!(parse_sts("7712123456"), Ok("7712123456".into()));
        assert!(parse_sts("77 UK 123456").is_err(), "Latin letters");
        assert_eq!(parse_licence("99 12 345678"), Ok("9912345678".into()));
        assert!(parse_licence("99 12 34567").is_err());
    }

    #[test]
    fn states_round_trip_and_only_open_or_disputed_charges_are_payable() {
        for s in ChargeState::ALL {
            assert_eq!(ChargeState::ALL.iter().find(|x| x.as_str() == s.as_str()), Some(&s));
        }
        assert!(ChargeState::Open.payable() && ChargeState::Disputed.payable());
        assert!(!ChargeState::Paid.payable() && !ChargeState::Settled.payable() && !ChargeState::Annulled.payable());
        for k in ChargeKind::ALL {
            assert_eq!(ChargeKind::parse(k.as_str()), Some(k));
        }
    }
}
