//! A payment's life (states as the best public payment platforms name
//! them), the card as a person types it, and the reasons of a failure.
//! Pure and shared with the browser; time is a parameter.
//!
//! ```text
//!            card sent / QR made            code entered / bank confirmed
//!  created ─────────────────────▶ started ────────────────────────▶ submitted («в обработке»)
//!    │  │                          │  │  │                              │   │
//!    │  │ cancel                   │  │  └── cancel ──▶ cancelled        │   └── declined ──▶ failed
//!    │  └── lifetime over, hold    │  └── lifetime over (the acquirer    │
//!    │      released ──▶ expired   │      confirms nothing was taken)    └── captured ──▶ success
//!    └── refused at once ──▶ failed└── declined / wrong code ×3 ──▶ failed     ▲
//!                                  └── captured (СБП, a saved card) ──────────┘
//! ```
//!
//! A payment «в обработке» never expires by itself: only the acquirer's
//! callback or its answer to «what became of it» ends it. Final states
//! never change; one open payment per charge is kept by a unique index.

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use surrealdb::types::SurrealValue;

/// A payment not finished in this time expires (any hold is released).
pub const PAYMENT_TTL: TimeDelta = TimeDelta::minutes(15);
/// The lifetime of a СБП QR code.
pub const SBP_TTL: TimeDelta = TimeDelta::minutes(10);
/// Tries at the confirmation code before the payment fails.
pub const CODE_TRIES: i64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum PayStatus {
    Created,
    Started,
    Submitted,
    Success,
    Failed,
    Cancelled,
    Expired,
}

impl PayStatus {
    pub const ALL: [PayStatus; 7] = [
        PayStatus::Created,
        PayStatus::Started,
        PayStatus::Submitted,
        PayStatus::Success,
        PayStatus::Failed,
        PayStatus::Cancelled,
        PayStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PayStatus::Created => "created",
            PayStatus::Started => "started",
            PayStatus::Submitted => "submitted",
            PayStatus::Success => "success",
            PayStatus::Failed => "failed",
            PayStatus::Cancelled => "cancelled",
            PayStatus::Expired => "expired",
        }
    }

    /// As the person reads it (seed 003: «Неуспешно»).
    pub fn label(self) -> &'static str {
        match self {
            PayStatus::Created | PayStatus::Started => "Ожидает подтверждения",
            PayStatus::Submitted => "В обработке",
            PayStatus::Success => "Оплачено",
            PayStatus::Failed => "Неуспешно",
            PayStatus::Cancelled => "Отменён",
            PayStatus::Expired => "Время оплаты истекло",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, PayStatus::Success | PayStatus::Failed | PayStatus::Cancelled | PayStatus::Expired)
    }
}

/// What happens to a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayEvent {
    /// Sent to the acquirer: the card (with a code to confirm) or the QR.
    Start,
    /// The code was entered, or the bank took the QR payment: the
    /// acquirer decides.
    Submit,
    /// The acquirer captured the money.
    Capture,
    /// The acquirer or the bank declined, or the code failed three times.
    Decline,
    /// The person gave up.
    Cancel,
    /// The lifetime is over and the acquirer confirmed nothing was taken.
    Expire,
}

/// The only place a payment's status changes.
pub fn next(from: PayStatus, event: PayEvent) -> Result<PayStatus, &'static str> {
    use PayEvent as E;
    use PayStatus as S;
    match (from, event) {
        (S::Created, E::Start) => Ok(S::Started),
        (S::Created | S::Started, E::Submit) => Ok(S::Submitted),
        // A QR paid, a saved card without a code: captured from «started».
        (S::Started | S::Submitted, E::Capture) => Ok(S::Success),
        (S::Created | S::Started | S::Submitted, E::Decline) => Ok(S::Failed),
        (S::Created | S::Started, E::Cancel) => Ok(S::Cancelled),
        (S::Created | S::Started, E::Expire) => Ok(S::Expired),
        (S::Submitted, E::Cancel | E::Expire) => Err("Платёж уже в обработке у банка: дождитесь его результата"),
        (s, _) if s.is_final() => Err("Платёж уже завершён"),
        _ => Err("Так с платежом сделать нельзя"),
    }
}

/// The statuses `event` may start from (the guard of the storing `UPDATE`).
pub fn from_states(event: PayEvent) -> Vec<PayStatus> {
    PayStatus::ALL.into_iter().filter(|s| next(*s, event).is_ok()).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Card,
    Sbp,
    /// A bank account linked for payments (seed 000 §4.3 «прямой
    /// банковский перевод через привязанный счёт»).
    Account,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Card => "card",
            Method::Sbp => "sbp",
            Method::Account => "account",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Card => "Банковская карта",
            Method::Sbp => "СБП",
            Method::Account => "Привязанный счёт",
        }
    }
}

/// Why a payment failed: a code kept with it and the Russian reason.
pub const FAILURES: &[(&str, &str)] = &[
    ("declined", "Банк отклонил платёж. Попробуйте другую карту или обратитесь в банк"),
    ("insufficient_funds", "Недостаточно средств на карте"),
    ("expired_card", "Банк сообщил, что срок действия карты истёк"),
    ("code_failed", "Код подтверждения введён неверно три раза"),
    ("sbp_declined", "Оплата отклонена в приложении банка"),
    ("not_payable", "Начисление уже оплачено или отменено"),
    ("unknown_operation", "Банк не получил платёж: деньги не списаны"),
    ("expired", "Время на подтверждение истекло: деньги не списаны"),
];

pub fn failure_text(code: &str) -> &'static str {
    FAILURES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t).unwrap_or("Платёж не прошёл. Попробуйте ещё раз")
}

/// A card's payment system, by its first digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Brand {
    Mir,
    Visa,
    Mastercard,
}

impl Brand {
    pub fn label(self) -> &'static str {
        match self {
            Brand::Mir => "МИР",
            Brand::Visa => "Visa",
            Brand::Mastercard => "Mastercard",
        }
    }

    pub fn of(number: &str) -> Option<Brand> {
        let p = |n: usize| number.get(..n).and_then(|s| s.parse::<u32>().ok());
        match (p(1), p(2), p(4)) {
            (_, _, Some(2200..=2204)) => Some(Brand::Mir),
            (Some(4), _, _) => Some(Brand::Visa),
            (_, Some(51..=55), _) | (_, _, Some(2221..=2720)) => Some(Brand::Mastercard),
            _ => None,
        }
    }
}

/// The Luhn check of a card number.
pub fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else { return false };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

/// A card as typed, checked: the number's digits, the brand, the expiry.
#[derive(Clone, PartialEq, Eq)]
pub struct Card {
    pub number: String,
    pub brand: Brand,
    pub month: u32,
    pub year: u32,
    pub cvc: String,
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Card({} •••• {}, ***)", self.brand.label(), self.last4())
    }
}

impl Card {
    pub fn last4(&self) -> &str {
        &self.number[self.number.len().saturating_sub(4)..]
    }

    /// «МИР •••• 0004».
    pub fn means(&self) -> String {
        format!("{} •••• {}", self.brand.label(), self.last4())
    }

    pub fn expiry(&self) -> String {
        format!("{:02}/{:02}", self.month, self.year % 100)
    }
}

/// Checks a card as typed; every wrong field gets its message (field names
/// `number`, `expiry`, `cvc`).
pub fn parse_card(
    number: &str,
    expiry: &str,
    cvc: &str,
    now: DateTime<Utc>,
) -> Result<Card, Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let digits: String = number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let brand = Brand::of(&digits);
    if digits.is_empty() {
        problems.push(("number", "Введите номер карты".to_string()));
    } else if !digits.chars().all(|c| c.is_ascii_digit()) || !(16..=19).contains(&digits.len()) {
        problems.push(("number", "Номер карты — 16–19 цифр, как на карте".to_string()));
    } else if !luhn(&digits) {
        problems.push(("number", "В номере карты ошибка: проверьте цифры".to_string()));
    } else if brand.is_none() {
        problems.push(("number", "Принимаются карты МИР, Visa и Mastercard".to_string()));
    }
    let (month, year) = match parse_expiry(expiry) {
        Ok((m, y)) => {
            let today = crate::format::msk_date(now);
            if (y, m) < (today.year() as u32, today.month()) {
                problems.push(("expiry", "Срок действия карты истёк".to_string()));
            } else if y > today.year() as u32 + 20 {
                problems.push(("expiry", "Проверьте срок действия: месяц и год, как на карте".to_string()));
            }
            (m, y)
        }
        Err(m) => {
            problems.push(("expiry", m.to_string()));
            (0, 0)
        }
    };
    let cvc = cvc.trim();
    if cvc.len() != 3 || !cvc.chars().all(|c| c.is_ascii_digit()) {
        problems.push(("cvc", "CVC/CVV — три цифры на обороте карты".to_string()));
    }
    match (problems.is_empty(), brand) {
        (true, Some(brand)) => Ok(Card { number: digits, brand, month, year, cvc: cvc.to_string() }),
        _ => Err(problems),
    }
}

/// A person's bank account as typed, checked: 20 digits of the account and
/// the bank's БИК, the account's control key right for that bank.
#[derive(Clone, PartialEq, Eq)]
pub struct BankAccount {
    pub number: String,
    pub bik: String,
}

impl std::fmt::Debug for BankAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BankAccount(•••• {}, БИК {})", self.last4(), self.bik)
    }
}

impl BankAccount {
    pub fn last4(&self) -> &str {
        &self.number[self.number.len().saturating_sub(4)..]
    }

    /// «Счёт •••• 1234».
    pub fn means(&self) -> String {
        format!("Счёт •••• {}", self.last4())
    }
}

/// The control key of an account at a bank (Банк России, положение
/// № 579-П): the last three digits of the БИК and the 20 digits, weighted
/// 7, 1, 3 repeating, sum to a multiple of 10.
pub fn account_key_ok(bik: &str, number: &str) -> bool {
    let digits: Vec<u32> = bik.chars().skip(6).chain(number.chars()).filter_map(|c| c.to_digit(10)).collect();
    digits.len() == 23 && digits.iter().zip([7, 1, 3].iter().cycle()).map(|(d, w)| d * w).sum::<u32>() % 10 == 0
}

/// Checks an account as typed (field names `account`, `bik`).
pub fn parse_account(number: &str, bik: &str) -> Result<BankAccount, Vec<(&'static str, String)>> {
    let number: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    let bik: String = bik.chars().filter(|c| !c.is_whitespace()).collect();
    let mut problems = Vec::new();
    let number_ok = number.len() == 20 && number.chars().all(|c| c.is_ascii_digit());
    let bik_ok = bik.len() == 9 && bik.chars().all(|c| c.is_ascii_digit()) && bik.starts_with("04");
    if !number_ok {
        problems.push(("account", "Номер счёта — 20 цифр, как в договоре с банком".to_string()));
    }
    if !bik_ok {
        problems.push(("bik", "БИК банка — 9 цифр, начинается с 04".to_string()));
    }
    if number_ok && bik_ok && !account_key_ok(&bik, &number) {
        problems.push(("account", "Номер счёта не подходит к этому БИК: проверьте цифры".to_string()));
    }
    if problems.is_empty() { Ok(BankAccount { number, bik }) } else { Err(problems) }
}

/// «12/28», «12 / 2028», «1228» → (12, 2028).
fn parse_expiry(s: &str) -> Result<(u32, u32), &'static str> {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    if s.trim().is_empty() {
        return Err("Введите срок действия: месяц и год, например 12/28");
    }
    let (m, y) = match d.len() {
        4 => (&d[..2], &d[2..]),
        6 => (&d[..2], &d[2..]),
        _ => return Err("Срок действия — месяц и год, например 12/28"),
    };
    let month: u32 = m.parse().map_err(|_| "Срок действия — месяц и год, например 12/28")?;
    let year: u32 = y.parse().map_err(|_| "Срок действия — месяц и год, например 12/28")?;
    if !(1..=12).contains(&month) {
        return Err("Месяц — от 01 до 12");
    }
    Ok((month, if year < 100 { 2000 + year } else { year }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-30T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn every_allowed_transition_leads_where_the_drawing_says() {
        use PayEvent as E;
        use PayStatus as S;
        assert_eq!(next(S::Created, E::Start), Ok(S::Started));
        assert_eq!(next(S::Started, E::Submit), Ok(S::Submitted));
        assert_eq!(next(S::Created, E::Submit), Ok(S::Submitted));
        assert_eq!(next(S::Submitted, E::Capture), Ok(S::Success));
        assert_eq!(next(S::Started, E::Capture), Ok(S::Success));
        assert_eq!(next(S::Created, E::Decline), Ok(S::Failed));
        assert_eq!(next(S::Started, E::Decline), Ok(S::Failed));
        assert_eq!(next(S::Submitted, E::Decline), Ok(S::Failed));
        assert_eq!(next(S::Created, E::Cancel), Ok(S::Cancelled));
        assert_eq!(next(S::Started, E::Cancel), Ok(S::Cancelled));
        assert_eq!(next(S::Created, E::Expire), Ok(S::Expired));
        assert_eq!(next(S::Started, E::Expire), Ok(S::Expired));
    }

    #[test]
    fn final_states_never_change_and_a_payment_in_processing_does_not_expire() {
        use PayEvent as E;
        let events = [E::Start, E::Submit, E::Capture, E::Decline, E::Cancel, E::Expire];
        for s in PayStatus::ALL.into_iter().filter(|s| s.is_final()) {
            for e in events {
                assert!(next(s, e).is_err(), "{s:?} {e:?}");
            }
        }
        assert!(next(PayStatus::Submitted, E::Expire).is_err());
        assert!(next(PayStatus::Submitted, E::Cancel).is_err());
        assert!(next(PayStatus::Created, E::Capture).is_err(), "nothing captured before it was sent");
        assert!(next(PayStatus::Started, E::Start).is_err());
        let count: usize = PayStatus::ALL.iter().map(|s| events.iter().filter(|e| next(*s, **e).is_ok()).count()).sum();
        assert_eq!(count, 12, "exactly the transitions of the drawing");
        assert_eq!(from_states(E::Capture), vec![PayStatus::Started, PayStatus::Submitted]);
    }

    #[test]
    fn card_numbers_are_checked_by_luhn_and_brand() {
        assert!(luhn("2200000000000004") && luhn("4111111111111111") && luhn("5555555555554444"));
        assert!(!luhn("4111111111111112"));
        assert_eq!(Brand::of("2200000000000004"), Some(Brand::Mir));
        assert_eq!(Brand::of("4111111111111111"), Some(Brand::Visa));
        assert_eq!(Brand::of("5555555555554444"), Some(Brand::Mastercard));
        assert_eq!(Brand::of("2221000000000009"), Some(Brand::Mastercard));
        assert_eq!(Brand::of("6011111111111117"), None);
        let c = parse_card("2200 0000 0000 0004", "12/28", "123", now()).unwrap();
        assert_eq!(c.means(), "МИР •••• 0004");
        assert_eq!(format!("{c:?}"), "Card(МИР •••• 0004, ***)", "the number and CVC never print");
        let e = parse_card("4111 1111 1111 1112", "12/28", "123", now()).unwrap_err();
        assert_eq!(e[0].0, "number");
        let e = parse_card("6011111111111117", "12/28", "123", now()).unwrap_err();
        assert!(e[0].1.contains("МИР, Visa"));
    }

    #[test]
    fn an_expired_card_and_a_wrong_cvc_get_their_own_messages() {
        let e = parse_card("4111111111111111", "10/26", "12a", now()).unwrap_err();
        assert_eq!(e.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["expiry", "cvc"]);
        assert!(e[0].1.contains("истёк"));
        assert!(parse_card("4111111111111111", "11/26", "123", now()).is_ok(), "valid to the end of its month");
        assert!(parse_card("4111111111111111", "13/28", "123", now()).unwrap_err()[0].1.contains("Месяц"));
        assert!(parse_card("", "", "", now()).unwrap_err().len() == 3);
    }

    #[test]
    fn a_bank_account_is_checked_by_its_control_key_with_the_bik() {
        let a = parse_account("4081 7810 0000 0000 1234", "044525225").unwrap();
        assert_eq!(a.means(), "Счёт •••• 1234");
        assert_eq!(format!("{a:?}"), "BankAccount(•••• 1234, БИК 044525225)");
        assert!(account_key_ok("044525225", "40702810938000000001"));
        let e = parse_account("40817810100000001234", "044525225").unwrap_err();
        assert!(e[0].1.contains("не подходит"), "one digit changed");
        let e = parse_account("4081781", "12345").unwrap_err();
        assert_eq!(e.iter().map(|(f, _)| *f).collect::<Vec<_>>(), vec!["account", "bik"]);
    }

    #[test]
    fn every_failure_code_has_a_russian_reason() {
        for (code, text) in FAILURES {
            assert_eq!(failure_text(code), *text);
        }
        assert!(failure_text("whatever").contains("Попробуйте"));
    }
}
