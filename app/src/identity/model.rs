//! The rules of «Подтверждение личности» that need no database, shared by
//! the browser (live hints) and the server (the final word): the form
//! (СНИЛС with its control number, the passport field by field), the state
//! of a check and its one transition, and the verdict from what the two
//! registries said.
//!
//! ```text
//!             both registries found the person
//!  pending ─────────────────────────────────────► confirmed  (level «Стандартная»)
//!     │  a registry has no such data
//!     ├─────────────────────────────────────────► refused    (names the part; resend)
//!     │  a registry did not answer after every retry
//!     └─────────────────────────────────────────► failed     (resend)
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use surrealdb::types::SurrealValue;

pub use crate::auth::identifier::normalize_snils;
pub use crate::auth::personal::{
    Passport, PassportInput, validate_division_code, validate_issued_by, validate_issued_on, validate_passport_number,
    validate_passport_series,
};

/// «Отправить на проверку» while the account is already «Стандартная» or higher.
pub const ALREADY_CONFIRMED: &str =
    "Личность уже подтверждена: учётная запись имеет уровень «Стандартная» или выше. Повторная проверка не нужна";
/// A second check while one is pending.
pub const ALREADY_PENDING: &str =
    "Данные уже отправлены на проверку. Дождитесь ответа ведомств — он придёт уведомлением";
/// A portal that has no connection to the registries (production until a
/// real СМЭВ adapter is configured).
pub const NOT_CONNECTED: &str =
    "Проверка данных в ведомствах сейчас недоступна. Подтвердите личность в любом МФЦ с паспортом и СНИЛС";
/// The empty СНИЛС field.
pub const SNILS_EMPTY: &str = "Укажите СНИЛС: 11 цифр, например 112-233-445 95";

/// What the form «Подтверждение личности» sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyInput {
    pub snils: String,
    pub passport: PassportInput,
}

/// The form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// `156-372-948 94`
    pub snils: String,
    pub passport: Passport,
}

/// The СНИЛС field: not empty, 11 digits, the control number right.
pub fn validate_snils(input: &str) -> Result<String, &'static str> {
    if input.trim().is_empty() {
        return Err(SNILS_EMPTY);
    }
    normalize_snils(input)
}

impl VerifyInput {
    /// Every field checked (the passport's date of issue against the birth
    /// date); the errors name their form fields.
    pub fn validate(
        &self,
        birth: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Verified, Vec<(&'static str, String)>> {
        let snils = validate_snils(&self.snils);
        let passport = self.passport.validate(birth, today);
        match (snils, passport) {
            (Ok(snils), Ok(passport)) => Ok(Verified { snils, passport }),
            (snils, passport) => {
                let mut errors = Vec::new();
                if let Err(e) = snils {
                    errors.push(("snils", e.to_string()));
                }
                errors.extend(passport.err().unwrap_or_default());
                Err(errors)
            }
        }
    }

    /// What was typed, by form field, to echo back with an error.
    pub fn typed(&self) -> [(&'static str, &str); 6] {
        [
            ("snils", self.snils.as_str()),
            ("passport_series", self.passport.series.as_str()),
            ("passport_number", self.passport.number.as_str()),
            ("passport_issued_on", self.passport.issued_on.as_str()),
            ("passport_issued_by", self.passport.issued_by.as_str()),
            ("passport_division", self.passport.division_code.as_str()),
        ]
    }
}

/// Where a check is (see the module drawing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    /// «На проверке»: the requests are with the registries.
    Pending,
    /// Both registries found the person: the account became «Стандартная».
    Confirmed,
    /// A registry has no such data (`refusals` say which).
    Refused,
    /// A registry did not answer after every retry.
    Failed,
}

impl CheckState {
    pub const ALL: [CheckState; 4] =
        [CheckState::Pending, CheckState::Confirmed, CheckState::Refused, CheckState::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckState::Pending => "pending",
            CheckState::Confirmed => "confirmed",
            CheckState::Refused => "refused",
            CheckState::Failed => "failed",
        }
    }

    /// As the page names it.
    pub fn label(self) -> &'static str {
        match self {
            CheckState::Pending => "На проверке",
            CheckState::Confirmed => "Личность подтверждена",
            CheckState::Refused => "Данные не подтверждены",
            CheckState::Failed => "Проверка не завершена",
        }
    }

    /// The state after `verdict`: only a pending check takes one.
    pub fn settle(self, verdict: &Verdict) -> Option<CheckState> {
        match self {
            CheckState::Pending => Some(match verdict {
                Verdict::Confirmed => CheckState::Confirmed,
                Verdict::Refused(_) => CheckState::Refused,
                Verdict::Failed => CheckState::Failed,
            }),
            _ => None,
        }
    }
}

/// Why a check was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The Social Fund (ПФР) has no person with this СНИЛС, name and birth date.
    SnilsNotFound,
    /// The МВД has no such passport of this person.
    PassportNotFound,
    /// Both registries confirmed the data, but the СНИЛС is on another
    /// account of the portal (one person, one account).
    SnilsOnAnotherAccount,
}

impl Refusal {
    /// The form field the message belongs to (`passport` is the fieldset).
    pub fn field(self) -> &'static str {
        match self {
            Refusal::SnilsNotFound | Refusal::SnilsOnAnotherAccount => "snils",
            Refusal::PassportNotFound => "passport",
        }
    }

    /// What the page says next to the field.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::SnilsNotFound => {
                "СНИЛС: сведения не найдены в Социальном фонде России. Проверьте номер СНИЛС, а также ФИО и дату рождения в профиле"
            }
            Refusal::PassportNotFound => {
                "Паспорт: сведения не найдены в МВД России. Проверьте серию, номер, дату выдачи и код подразделения, а также ФИО и дату рождения в профиле"
            }
            Refusal::SnilsOnAnotherAccount => {
                "Этот СНИЛС уже указан в другой учётной записи. Войдите в неё или восстановите к ней доступ; если это не ваша учётная запись, обратитесь в службу поддержки"
            }
        }
    }

    /// The message next to the field itself (the summary above the form
    /// has the whole `message`).
    pub fn field_message(self) -> &'static str {
        match self {
            Refusal::SnilsNotFound => "Сведения не найдены в Социальном фонде России — проверьте номер СНИЛС",
            Refusal::PassportNotFound => {
                "Сведения не найдены в МВД России — проверьте серию, номер, дату выдачи и код подразделения"
            }
            Refusal::SnilsOnAnotherAccount => "Этот СНИЛС уже указан в другой учётной записи",
        }
    }

    /// A short line for the notice.
    pub fn short(self) -> &'static str {
        match self {
            Refusal::SnilsNotFound => "СНИЛС — сведения не найдены",
            Refusal::PassportNotFound => "паспорт — сведения не найдены",
            Refusal::SnilsOnAnotherAccount => "СНИЛС указан в другой учётной записи",
        }
    }
}

/// What one registry said about its part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// The registry found the person with this data.
    Found,
    /// «Сведения не найдены».
    NotFound,
    /// No answer after every retry, or the request was refused.
    NoAnswer,
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Confirmed,
    Refused(Vec<Refusal>),
    Failed,
}

/// The verdict from the two findings: any «не найдены» refuses and names
/// its part (the person corrects it and sends again); otherwise a part with
/// no answer fails the check; both found confirm it.
pub fn verdict(snils: Finding, passport: Finding) -> Verdict {
    let mut refusals = Vec::new();
    if snils == Finding::NotFound {
        refusals.push(Refusal::SnilsNotFound);
    }
    if passport == Finding::NotFound {
        refusals.push(Refusal::PassportNotFound);
    }
    if !refusals.is_empty() {
        Verdict::Refused(refusals)
    } else if snils == Finding::NoAnswer || passport == Finding::NoAnswer {
        Verdict::Failed
    } else {
        Verdict::Confirmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sokolova() -> VerifyInput {
        VerifyInput {
            snils: "156 372 948 94".into(),
            passport: PassportInput {
                series: "45 12".into(),
                number: "654321".into(),
                issued_on: "20.03.2011".into(),
                issued_by: "ГУ МВД России по г. Москве".into(),
                division_code: "770-005".into(),
            },
        }
    }

    #[test]
    fn the_form_is_read_into_its_normal_form() {
        let v = sokolova().validate(Some(date(1991, 2, 14)), date(2026, 11, 30)).unwrap();
        assert_eq!(v.snils, "156-372-948 94");
        assert_eq!(v.passport.series_number(), "45 12 654321");
        assert_eq!(v.passport.division_code, "770-005");
    }

    #[test]
    fn a_wrong_snils_control_number_and_a_short_passport_number_are_named() {
        let mut input = sokolova();
        input.snils = "156-372-948 95".into();
        input.passport.number = "65432".into();
        let errors = input.validate(Some(date(1991, 2, 14)), date(2026, 11, 30)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["snils", "passport_number"]);
        assert!(errors[0].1.contains("СНИЛС"), "{errors:?}");
        input.snils = " ".into();
        assert_eq!(input.validate(None, date(2026, 11, 30)).unwrap_err()[0], ("snils", SNILS_EMPTY.to_string()));
    }

    #[test]
    fn the_verdict_names_each_part_not_found_and_fails_without_an_answer() {
        use Finding::*;
        assert_eq!(verdict(Found, Found), Verdict::Confirmed);
        assert_eq!(verdict(Found, NotFound), Verdict::Refused(vec![Refusal::PassportNotFound]));
        assert_eq!(
            verdict(NotFound, NotFound),
            Verdict::Refused(vec![Refusal::SnilsNotFound, Refusal::PassportNotFound])
        );
        assert_eq!(verdict(NotFound, NoAnswer), Verdict::Refused(vec![Refusal::SnilsNotFound]));
        assert_eq!(verdict(Found, NoAnswer), Verdict::Failed);
    }

    #[test]
    fn only_a_pending_check_takes_a_verdict() {
        assert_eq!(CheckState::Pending.settle(&Verdict::Confirmed), Some(CheckState::Confirmed));
        assert_eq!(CheckState::Pending.settle(&Verdict::Failed), Some(CheckState::Failed));
        for s in [CheckState::Confirmed, CheckState::Refused, CheckState::Failed] {
            assert_eq!(s.settle(&Verdict::Confirmed), None);
        }
    }
}
