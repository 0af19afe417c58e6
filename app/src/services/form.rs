//! An application form as data (issue 12): steps, fields, validation rules,
//! fields shown only when another answer makes them needed, prefill from
//! what the portal already knows. The same definition renders the form
//! (with and without JavaScript) and validates on the server; nothing here
//! is written per service.
//!
//! A definition comes from the service's data file (`app/services/*.toml`,
//! `[[form.steps]]` / `[[form.steps.fields]]`). `FormDef::check` refuses a
//! definition that is itself wrong (the server does not start and names the
//! service and the field); `validate_step` and `validate` judge answers.
//!
//! Answers are text, field id → value, as a form posts them; a field that is
//! hidden (its condition is not met) is neither validated nor kept.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Field id → what the person typed or chose.
pub type Answers = BTreeMap<String, String>;

/// Longest answer of a one-line field, of a long text, and of any answer.
pub const TEXT_MAX: usize = 300;
pub const LONG_TEXT_MAX: usize = 2000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormDef {
    pub steps: Vec<StepDef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepDef {
    pub title: String,
    #[serde(default)]
    pub hint: Option<String>,
    pub fields: Vec<FieldDef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Latin letters, digits and `_`; unique in the form; the form posts it
    /// as `f_<id>`.
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// A line under the label.
    #[serde(default)]
    pub hint: Option<String>,
    /// Taken from the profile or «Документы».
    #[serde(default)]
    pub prefill: Option<Prefill>,
    /// Whether the person may change a prefilled value (some only change
    /// through «Документы» → «Изменить данные»).
    #[serde(default = "yes")]
    pub editable: bool,
    /// Shown (and required) only when another field has one of these values.
    #[serde(default)]
    pub show_if: Option<Condition>,
    /// Text: length bounds in characters.
    #[serde(default)]
    pub min_len: Option<usize>,
    #[serde(default)]
    pub max_len: Option<usize>,
    /// Number: bounds.
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Date: must it be in the past or the future (today allowed for both).
    #[serde(default)]
    pub date: Option<DateRule>,
    /// Choice: the options.
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// Document: which kind from «Документы» (`passport`, `snils`, …; the
    /// kinds of `documents::model::DocKind`).
    #[serde(default)]
    pub document: Option<String>,
    /// Text: what it must look like, one of the named patterns.
    #[serde(default)]
    pub pattern: Option<Pattern>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    LongText,
    Date,
    Choice,
    Address,
    Number,
    /// A document of the person's «Документы» (its id).
    Document,
    /// A file: uploaded in «Документы» (where its content is checked and
    /// an official can see it) and chosen here from any of the person's
    /// documents (its id).
    File,
}

/// What a field is filled with from the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prefill {
    Surname,
    Name,
    Patronymic,
    BirthDate,
    Snils,
    Inn,
    Phone,
    Email,
    PassportSeriesNumber,
    PassportIssuedOn,
    PassportIssuedBy,
    PassportDivisionCode,
    RegistrationAddress,
    PostalAddress,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateRule {
    Past,
    Future,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// «45 12 654321»: 10 digits.
    PassportSeriesNumber,
    /// «770-005».
    DivisionCode,
    /// 12 digits with check digits (a person's ИНН).
    Inn,
    /// 11 digits with a check number.
    Snils,
    /// 20 digits (a bank account).
    BankAccount,
    /// 9 digits.
    Bik,
    /// A Russian mobile number, +7 and 10 digits.
    Phone,
    /// A cadastral number «77:01:0004012:1234».
    Cadastral,
    /// The УИН of a charge: 20 or 25 digits with a control digit.
    Uin,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    pub one_of: Vec<String>,
}

impl FieldDef {
    /// The name the field posts under.
    pub fn input_name(&self) -> String {
        format!("f_{}", self.id)
    }

    /// Whether the field is asked, given the answers so far.
    pub fn shown(&self, answers: &Answers) -> bool {
        match &self.show_if {
            None => true,
            Some(c) => answers.get(&c.field).is_some_and(|v| c.one_of.iter().any(|o| o == v)),
        }
    }

    /// The label of a choice's value, or the value itself.
    pub fn display<'a>(&'a self, value: &'a str) -> &'a str {
        self.options.iter().find(|o| o.value == value).map(|o| o.label.as_str()).unwrap_or(value)
    }

    /// What is wrong with `value` (already trimmed), in Russian; `None` when
    /// it is fine. An empty value is judged by `required` alone.
    pub fn problem(&self, value: &str, today: NaiveDate) -> Option<String> {
        if value.is_empty() {
            return self.required.then(|| match self.kind {
                FieldKind::Choice => "Выберите один из вариантов".to_string(),
                FieldKind::Document | FieldKind::File => "Выберите документ из раздела «Документы»".to_string(),
                _ => format!("Заполните поле «{}»", self.label),
            });
        }
        let chars = value.chars().count();
        if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
            return Some("Уберите непечатаемые символы".into());
        }
        match self.kind {
            FieldKind::Text | FieldKind::LongText | FieldKind::Address => {
                let hard = if self.kind == FieldKind::Text { TEXT_MAX } else { LONG_TEXT_MAX };
                let max = self.max_len.unwrap_or(hard).min(hard);
                let min = self.min_len.unwrap_or(if self.kind == FieldKind::Address { 10 } else { 0 });
                if chars > max {
                    return Some(format!("Не больше {max} символов (сейчас {chars})"));
                }
                if chars < min {
                    return Some(if self.kind == FieldKind::Address {
                        "Укажите адрес полностью: регион, город, улица, дом".to_string()
                    } else {
                        format!("Не меньше {min} символов")
                    });
                }
                if self.kind == FieldKind::Address && !value.chars().any(|c| c.is_ascii_digit()) {
                    return Some("Укажите номер дома".into());
                }
                self.pattern.and_then(|p| p.problem(value))
            }
            FieldKind::Date => {
                let Some(d) = parse_date(value) else {
                    return Some("Укажите дату в виде ДД.ММ.ГГГГ".into());
                };
                if d.year_ce().1 < 1900 {
                    return Some("Проверьте год".into());
                }
                match self.date {
                    Some(DateRule::Past) if d > today => Some("Дата не может быть в будущем".into()),
                    Some(DateRule::Future) if d < today => Some("Дата не может быть в прошлом".into()),
                    _ => None,
                }
            }
            FieldKind::Number => {
                let Ok(n) = value.replace([' ', '\u{a0}'], "").parse::<i64>() else {
                    return Some("Укажите целое число цифрами".into());
                };
                if let Some(min) = self.min
                    && n < min
                {
                    return Some(format!("Не меньше {min}"));
                }
                if let Some(max) = self.max
                    && n > max
                {
                    return Some(format!("Не больше {max}"));
                }
                None
            }
            FieldKind::Choice => {
                (!self.options.iter().any(|o| o.value == value)).then(|| "Выберите один из вариантов".to_string())
            }
            // Ids: the server checks they are the person's own.
            FieldKind::Document | FieldKind::File => (chars > 80
                || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .then(|| "Выберите документ ещё раз".to_string()),
        }
    }
}

use chrono::Datelike;

/// `ДД.ММ.ГГГГ` (what a person types) or `ГГГГ-ММ-ДД` (a date input).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d.%m.%Y").or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d")).ok()
}

impl Pattern {
    fn problem(self, v: &str) -> Option<String> {
        let digits: String = v.chars().filter(char::is_ascii_digit).collect();
        let only = |allowed: &str| v.chars().all(|c| c.is_ascii_digit() || allowed.contains(c));
        let bad = |m: &str| Some(m.to_string());
        match self {
            Pattern::PassportSeriesNumber if !(digits.len() == 10 && only(" ")) => {
                bad("Серия и номер паспорта — 10 цифр, например 45 12 654321")
            }
            Pattern::DivisionCode if !(digits.len() == 6 && only("- ")) => {
                bad("Код подразделения — 6 цифр, например 770-005")
            }
            Pattern::Inn if !(digits.len() == 12 && only(" ") && inn12_ok(&digits)) => {
                bad("ИНН — 12 цифр; проверьте номер, контрольные цифры не сходятся")
            }
            Pattern::Snils if !(digits.len() == 11 && only(" -") && snils_ok(&digits)) => {
                bad("СНИЛС — 11 цифр, например 112-233-445 95; проверьте номер")
            }
            Pattern::BankAccount if !(digits.len() == 20 && only(" ")) => bad("Номер счёта — 20 цифр"),
            Pattern::Bik if !(digits.len() == 9 && only(" ")) => bad("БИК — 9 цифр"),
            Pattern::Phone if !(digits.len() == 11 && digits.starts_with('7') && only("+ ()-")) => {
                bad("Телефон — +7 и 10 цифр")
            }
            Pattern::Cadastral if !cadastral_ok(v) => bad("Кадастровый номер выглядит так: 77:01:0004012:1234"),
            Pattern::Uin => crate::charges::model::parse_uin(v).err().map(str::to_string),
            _ => None,
        }
    }
}

fn inn12_ok(d: &str) -> bool {
    let n: Vec<u32> = d.chars().filter_map(|c| c.to_digit(10)).collect();
    let check = |w: &[u32]| (w.iter().zip(&n).map(|(a, b)| a * b).sum::<u32>() % 11) % 10;
    n.len() == 12
        && check(&[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == n[10]
        && check(&[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == n[11]
}

fn snils_ok(d: &str) -> bool {
    let n: Vec<u32> = d.chars().filter_map(|c| c.to_digit(10)).collect();
    if n.len() != 11 {
        return false;
    }
    let sum: u32 = n[..9].iter().enumerate().map(|(i, x)| x * (9 - i as u32)).sum();
    let check = match sum % 101 {
        100 => 0,
        s => s,
    };
    check == n[9] * 10 + n[10]
}

fn cadastral_ok(v: &str) -> bool {
    let parts: Vec<&str> = v.trim().split(':').collect();
    parts.len() == 4
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts[0].len() == 2
        && parts[1].len() == 2
        && (6..=7).contains(&parts[2].len())
}

/// A field's problem, tied to its id.
pub type FieldProblem = (String, String);

impl FormDef {
    pub fn fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.steps.iter().flat_map(|s| s.fields.iter())
    }

    pub fn field(&self, id: &str) -> Option<&FieldDef> {
        self.fields().find(|f| f.id == id)
    }

    /// The problems of the shown fields of step `step` (0-based).
    pub fn validate_step(&self, step: usize, answers: &Answers, today: NaiveDate) -> Vec<FieldProblem> {
        let Some(s) = self.steps.get(step) else { return Vec::new() };
        s.fields
            .iter()
            .filter(|f| f.shown(answers))
            .filter_map(|f| {
                let v = answers.get(&f.id).map(|v| v.trim()).unwrap_or("");
                f.problem(v, today).map(|m| (f.id.clone(), m))
            })
            .collect()
    }

    /// The problems of every shown field; the first step with a problem.
    pub fn validate(&self, answers: &Answers, today: NaiveDate) -> Result<(), (usize, Vec<FieldProblem>)> {
        for i in 0..self.steps.len() {
            let p = self.validate_step(i, answers, today);
            if !p.is_empty() {
                return Err((i, p));
            }
        }
        Ok(())
    }

    /// The answers to keep: trimmed, only fields of the form that are shown,
    /// empty ones dropped.
    pub fn keep(&self, answers: &Answers) -> Answers {
        // A condition reads the raw answers, so a hidden field's own value
        // never decides whether another is shown.
        self.fields()
            .filter(|f| f.shown(answers))
            .filter_map(|f| {
                let v = answers.get(&f.id)?.trim();
                (!v.is_empty()).then(|| (f.id.clone(), v.to_string()))
            })
            .collect()
    }

    /// What is wrong with the definition itself: `(field id or "", message)`.
    pub fn check(&self) -> Result<(), (String, String)> {
        let err = |f: &str, m: String| Err((f.to_string(), m));
        if self.steps.is_empty() {
            return err("", "в форме нет ни одного шага".into());
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            if s.title.trim().is_empty() {
                return err("", format!("у шага {} нет названия", i + 1));
            }
            if s.fields.is_empty() {
                return err("", format!("в шаге «{}» нет полей", s.title));
            }
            for f in &s.fields {
                let id = f.id.as_str();
                if id.is_empty() || id.len() > 40 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return err(id, "id поля: латинские буквы, цифры и _, до 40 символов".into());
                }
                if seen.contains(&id) {
                    return err(id, "id поля повторяется".into());
                }
                if f.label.trim().is_empty() {
                    return err(id, "у поля нет подписи".into());
                }
                if let Some(c) = &f.show_if {
                    // Only an earlier field may decide: the form is filled in order.
                    if !seen.contains(&c.field.as_str()) {
                        return err(id, format!("show_if ссылается на поле «{}», которого нет выше", c.field));
                    }
                    if c.one_of.is_empty() {
                        return err(id, "show_if без значений".into());
                    }
                }
                match f.kind {
                    FieldKind::Choice if f.options.len() < 2 => {
                        return err(id, "у выбора меньше двух вариантов".into());
                    }
                    FieldKind::Document if f.document.is_none() => {
                        return err(id, "у поля-документа не указан вид документа (document)".into());
                    }
                    FieldKind::Number if f.min.zip(f.max).is_some_and(|(a, b)| a > b) => {
                        return err(id, "min больше max".into());
                    }
                    _ => {}
                }
                if f.kind != FieldKind::Choice && !f.options.is_empty() {
                    return err(id, "варианты (options) есть только у выбора".into());
                }
                if f.min_len.zip(f.max_len).is_some_and(|(a, b)| a > b) {
                    return err(id, "min_len больше max_len".into());
                }
                if !f.editable && f.prefill.is_none() {
                    return err(id, "нередактируемое поле без prefill".into());
                }
                seen.push(id);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: &str, kind: FieldKind) -> FieldDef {
        FieldDef {
            id: id.into(),
            label: "Поле".into(),
            kind,
            required: true,
            hint: None,
            prefill: None,
            editable: true,
            show_if: None,
            min_len: None,
            max_len: None,
            min: None,
            max: None,
            date: None,
            options: Vec::new(),
            document: None,
            pattern: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_required_field_left_empty_is_named() {
        let f = field("a", FieldKind::Text);
        assert_eq!(f.problem("", today()).as_deref(), Some("Заполните поле «Поле»"));
        let mut g = f.clone();
        g.required = false;
        assert_eq!(g.problem("", today()), None);
    }

    #[test]
    fn dates_are_read_as_typed_and_judged_by_their_rule() {
        let mut f = field("d", FieldKind::Date);
        f.date = Some(DateRule::Past);
        assert_eq!(f.problem("01.02.2020", today()), None);
        assert_eq!(f.problem("2020-02-01", today()), None);
        assert!(f.problem("31.02.2020", today()).is_some());
        assert!(f.problem("01.12.2026", today()).unwrap().contains("будущем"));
        f.date = Some(DateRule::Future);
        assert!(f.problem("29.11.2026", today()).unwrap().contains("прошлом"));
        assert_eq!(f.problem("30.11.2026", today()), None);
    }

    #[test]
    fn numbers_choices_and_patterns_are_checked() {
        let mut n = field("n", FieldKind::Number);
        n.min = Some(1);
        n.max = Some(10);
        assert_eq!(n.problem("5", today()), None);
        assert!(n.problem("11", today()).is_some());
        assert!(n.problem("пять", today()).is_some());
        let mut c = field("c", FieldKind::Choice);
        c.options = vec![
            ChoiceOption { value: "a".into(), label: "А".into() },
            ChoiceOption { value: "b".into(), label: "Б".into() },
        ];
        assert_eq!(c.problem("a", today()), None);
        assert!(c.problem("z", today()).is_some());
        let mut t = field("t", FieldKind::Text);
        t.pattern = Some(Pattern::Snils);
        assert_eq!(t.problem("112-233-445 95", today()), None);
        assert!(t.problem("112-233-445 96", today()).is_some());
        t.pattern = Some(Pattern::Inn);
        assert_eq!(t.problem("500100732259", today()), None);
        assert!(t.problem("500100732250", today()).is_some());
        t.pattern = Some(Pattern::Uin);
        assert_eq!(t.problem("18810177261200000016", today()), None);
        assert!(t.problem("18810177261200000017", today()).unwrap().contains("контрольная"));
        t.pattern = Some(Pattern::Cadastral);
        assert_eq!(t.problem("77:01:0004012:1234", today()), None);
        assert!(t.problem("77-01-0004012", today()).is_some());
        let a = field("addr", FieldKind::Address);
        assert!(a.problem("Москва", today()).is_some());
        assert!(a.problem("г. Москва, ул. Тверская", today()).unwrap().contains("дома"));
        assert_eq!(a.problem("г. Москва, ул. Тверская, д. 7", today()), None);
    }

    #[test]
    fn a_field_shown_only_when_needed_is_not_asked_or_kept_otherwise() {
        let reason = {
            let mut f = field("reason", FieldKind::Choice);
            f.options = vec![
                ChoiceOption { value: "age".into(), label: "Возраст".into() },
                ChoiceOption { value: "name".into(), label: "Смена фамилии".into() },
            ];
            f
        };
        let mut old = field("old_surname", FieldKind::Text);
        old.show_if = Some(Condition { field: "reason".into(), one_of: vec!["name".into()] });
        let form = FormDef { steps: vec![StepDef { title: "Шаг".into(), hint: None, fields: vec![reason, old] }] };
        form.check().unwrap();
        let a = answers(&[("reason", "age"), ("old_surname", "Иванова")]);
        assert!(form.validate(&a, today()).is_ok());
        assert!(!form.keep(&a).contains_key("old_surname"));
        let b = answers(&[("reason", "name")]);
        let (step, problems) = form.validate(&b, today()).unwrap_err();
        assert_eq!((step, problems[0].0.as_str()), (0, "old_surname"));
    }

    #[test]
    fn a_wrong_definition_is_refused_naming_the_field() {
        let mut f = field("x", FieldKind::Choice);
        f.options = vec![ChoiceOption { value: "a".into(), label: "А".into() }];
        let form = FormDef { steps: vec![StepDef { title: "Шаг".into(), hint: None, fields: vec![f] }] };
        assert_eq!(form.check().unwrap_err().0, "x");
        let mut g = field("y", FieldKind::Text);
        g.show_if = Some(Condition { field: "later".into(), one_of: vec!["1".into()] });
        let form = FormDef {
            steps: vec![StepDef {
                title: "Шаг".into(), hint: None, fields: vec![g, field("later", FieldKind::Text)]
            }],
        };
        assert!(form.check().unwrap_err().1.contains("later"));
        let dup = FormDef {
            steps: vec![StepDef {
                title: "Шаг".into(),
                hint: None,
                fields: vec![field("a", FieldKind::Text), field("a", FieldKind::Date)],
            }],
        };
        assert!(dup.check().unwrap_err().1.contains("повторяется"));
        let mut doc = field("p", FieldKind::Document);
        doc.document = None;
        let form = FormDef { steps: vec![StepDef { title: "Шаг".into(), hint: None, fields: vec![doc] }] };
        assert!(form.check().is_err());
    }
}
