//! An application's life (names as the real portal shows them):
//!
//! ```text
//!  Черновик ──Отправить──▶ Принято от заявителя ──доставлено──▶ Отправлено в ведомство
//!                                                                     │ специалист взял
//!                                                                     ▼
//!            ┌──────── ответ заявителя ─────────  В обработке ──▶ Исполнено
//!            ▼                                     │    │   └───▶ Отказ
//!  Требуются дополнительные сведения ◀── запрос ───┘    │
//!                                                        │
//!  Отменено ◀── отзыв: сразу до «В обработке»; позже — по запросу,
//!               который ведомство принимает или отклоняет
//! ```
//!
//! `next` is the only place a status changes; storage writes its result
//! with a version check in one statement. Time is a parameter.

use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use surrealdb::types::SurrealValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Accepted,
    Sent,
    InProgress,
    NeedsInfo,
    Done,
    Refused,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Accepted,
        Status::Sent,
        Status::InProgress,
        Status::NeedsInfo,
        Status::Done,
        Status::Refused,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Accepted => "accepted",
            Status::Sent => "sent",
            Status::InProgress => "in_progress",
            Status::NeedsInfo => "needs_info",
            Status::Done => "done",
            Status::Refused => "refused",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Черновик",
            Status::Accepted => "Принято от заявителя",
            Status::Sent => "Отправлено в ведомство",
            Status::InProgress => "В обработке",
            Status::NeedsInfo => "Требуются дополнительные сведения",
            Status::Done => "Исполнено",
            Status::Refused => "Отказ",
            Status::Cancelled => "Отменено",
        }
    }

    /// No change comes after it.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Done | Status::Refused | Status::Cancelled)
    }

    /// The citizen has to act (answer a request, finish a draft).
    pub fn citizens_turn(self) -> bool {
        matches!(self, Status::NeedsInfo | Status::Draft)
    }

    /// The place on the status bar: 0 Черновик … 4 the result.
    pub fn stage(self) -> usize {
        match self {
            Status::Draft => 0,
            Status::Accepted => 1,
            Status::Sent => 2,
            Status::InProgress | Status::NeedsInfo => 3,
            Status::Done | Status::Refused | Status::Cancelled => 4,
        }
    }
}

/// The status bar's stages.
pub const STAGES: [&str; 5] = ["Черновик", "Принято", "Отправлено в ведомство", "В обработке", "Результат"];

/// Who does what.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The citizen: «Отправить».
    Submit,
    /// The system: handed to the department.
    Deliver,
    /// An official takes it.
    Claim,
    /// An official asks for more.
    AskMore,
    /// The citizen answers the request.
    Answer,
    Approve,
    Refuse,
    /// The citizen withdraws: at once before processing, else a request.
    Withdraw,
    /// The department accepts a withdrawal request.
    AcceptWithdrawal,
    /// The department refuses a withdrawal request (processing goes on).
    RefuseWithdrawal,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Deliver => "deliver",
            Action::Claim => "claim",
            Action::AskMore => "ask_more",
            Action::Answer => "answer",
            Action::Approve => "approve",
            Action::Refuse => "refuse",
            Action::Withdraw => "withdraw",
            Action::AcceptWithdrawal => "accept_withdrawal",
            Action::RefuseWithdrawal => "refuse_withdrawal",
        }
    }
}

/// What a transition leads to: the new status and whether a withdrawal
/// request is open afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Next {
    pub status: Status,
    pub withdrawal_requested: bool,
}

/// Why a transition is refused (Russian, for the person who tried).
pub fn refusal(status: Status, action: Action) -> String {
    match (status, action) {
        (s, _) if s.is_final() => format!("Заявление уже в статусе «{}»: изменить его нельзя", s.label()),
        (_, Action::Submit) => "Заявление уже отправлено".into(),
        (_, Action::Claim) => "Заявление уже в работе у другого специалиста".into(),
        (_, Action::Answer) => "Ведомство сейчас не ждёт от вас сведений".into(),
        (_, Action::Withdraw) => "Запрос на отзыв уже отправлен".into(),
        (s, _) => format!("Сейчас заявление в статусе «{}»: это действие недоступно", s.label()),
    }
}

/// The allowed transitions; `Err` with the reason for every other.
pub fn next(status: Status, withdrawal_requested: bool, action: Action) -> Result<Next, String> {
    use Action as A;
    use Status as S;
    let to = |status| Ok(Next { status, withdrawal_requested: false });
    match (status, action) {
        (S::Draft, A::Submit) => to(S::Accepted),
        (S::Accepted, A::Deliver) => to(S::Sent),
        (S::Sent, A::Claim) => Ok(Next { status: S::InProgress, withdrawal_requested }),
        (S::InProgress, A::AskMore) => Ok(Next { status: S::NeedsInfo, withdrawal_requested }),
        (S::NeedsInfo, A::Answer) => Ok(Next { status: S::InProgress, withdrawal_requested }),
        (S::InProgress, A::Approve) => to(S::Done),
        (S::InProgress, A::Refuse) => to(S::Refused),
        (S::Accepted | S::Sent, A::Withdraw) => to(S::Cancelled),
        (S::InProgress | S::NeedsInfo, A::Withdraw) if !withdrawal_requested => {
            Ok(Next { status, withdrawal_requested: true })
        }
        (S::InProgress | S::NeedsInfo, A::AcceptWithdrawal) if withdrawal_requested => to(S::Cancelled),
        (S::InProgress | S::NeedsInfo, A::RefuseWithdrawal) if withdrawal_requested => {
            Ok(Next { status, withdrawal_requested: false })
        }
        (s, a) => Err(refusal(s, a)),
    }
}

/// Reasons an official refuses with (one of them, plus a comment).
pub const REFUSAL_REASONS: [(&str, &str); 5] = [
    ("incomplete", "Представлены неполные или недостоверные сведения"),
    ("documents", "Не представлены необходимые документы"),
    ("not_entitled", "Заявитель не относится к кругу лиц, имеющих право на услугу"),
    ("jurisdiction", "Запрос подан в ведомство, не предоставляющее эту услугу"),
    ("duplicate", "Услуга уже предоставлена по ранее поданному заявлению"),
];

pub fn refusal_reason(code: &str) -> Option<&'static str> {
    REFUSAL_REASONS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// Days the citizen has to answer a request for more.
pub const ANSWER_DAYS: i64 = 10;
/// A draft is kept this long after its last change …
pub const DRAFT_DAYS: i64 = 90;
/// … with a warning this many days before it goes.
pub const DRAFT_WARN_DAYS: i64 = 7;

/// The legal deadline: `term_days` calendar days from the day the
/// application was accepted.
pub fn due_on(accepted: NaiveDate, term_days: u32) -> NaiveDate {
    accepted + TimeDelta::days(i64::from(term_days))
}

/// The deadline after an answer: the days the department waited for the
/// citizen do not count against it.
pub fn due_after_answer(due: NaiveDate, asked: NaiveDate, answered: NaiveDate) -> NaiveDate {
    due + TimeDelta::days((answered - asked).num_days().max(0))
}

/// «осталось 5 дней», «срок сегодня», «просрочено на 2 дня».
pub fn days_left_text(due: NaiveDate, today: NaiveDate) -> String {
    let d = (due - today).num_days();
    match d {
        0 => "срок сегодня".to_string(),
        d if d > 0 => format!("осталось {d} {}", days_word(d)),
        d => format!("просрочено на {} {}", -d, days_word(-d)),
    }
}

pub fn days_word(n: i64) -> &'static str {
    let (n10, n100) = (n % 10, n % 100);
    if n10 == 1 && n100 != 11 {
        "день"
    } else if (2..=4).contains(&n10) && !(12..=14).contains(&n100) {
        "дня"
    } else {
        "дней"
    }
}

/// The number a person reads aloud on the phone: 9 digits in threes,
/// «123-456-789».
pub fn format_number(n: u32) -> String {
    let s = format!("{n:09}");
    format!("{}-{}-{}", &s[0..3], &s[3..6], &s[6..9])
}

/// A number as typed in the search («123 456 789», «123456789»): its digits
/// when there are 9.
pub fn number_digits(typed: &str) -> Option<String> {
    let d: String = typed.chars().filter(char::is_ascii_digit).collect();
    (d.len() == 9 && typed.chars().all(|c| c.is_ascii_digit() || " -".contains(c))).then_some(d)
}

/// Rubles from kopecks: «6 000 ₽», «350,50 ₽» — the one formatting of
/// money, in the charges layer.
pub use crate::charges::model::rubles;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_allowed_transition_leads_where_the_portal_says() {
        use Action as A;
        use Status as S;
        let ok = |s, w, a| next(s, w, a).unwrap();
        assert_eq!(ok(S::Draft, false, A::Submit).status, S::Accepted);
        assert_eq!(ok(S::Accepted, false, A::Deliver).status, S::Sent);
        assert_eq!(ok(S::Sent, false, A::Claim).status, S::InProgress);
        assert_eq!(ok(S::InProgress, false, A::AskMore).status, S::NeedsInfo);
        assert_eq!(ok(S::NeedsInfo, false, A::Answer).status, S::InProgress);
        assert_eq!(ok(S::InProgress, false, A::Approve).status, S::Done);
        assert_eq!(ok(S::InProgress, false, A::Refuse).status, S::Refused);
        assert_eq!(ok(S::Accepted, false, A::Withdraw).status, S::Cancelled);
        assert_eq!(ok(S::Sent, false, A::Withdraw).status, S::Cancelled);
        let asked = ok(S::InProgress, false, A::Withdraw);
        assert_eq!(asked, Next { status: S::InProgress, withdrawal_requested: true });
        assert!(ok(S::NeedsInfo, false, A::Withdraw).withdrawal_requested);
        assert_eq!(ok(S::InProgress, true, A::AcceptWithdrawal).status, S::Cancelled);
        assert_eq!(
            ok(S::NeedsInfo, true, A::RefuseWithdrawal),
            Next { status: S::NeedsInfo, withdrawal_requested: false }
        );
        // A decision ends an open withdrawal request.
        assert_eq!(ok(S::InProgress, true, A::Approve), Next { status: S::Done, withdrawal_requested: false });
    }

    #[test]
    fn every_other_transition_is_refused_with_a_reason() {
        let allowed = [
            (Status::Draft, Action::Submit),
            (Status::Accepted, Action::Deliver),
            (Status::Sent, Action::Claim),
            (Status::InProgress, Action::AskMore),
            (Status::NeedsInfo, Action::Answer),
            (Status::InProgress, Action::Approve),
            (Status::InProgress, Action::Refuse),
            (Status::Accepted, Action::Withdraw),
            (Status::Sent, Action::Withdraw),
            (Status::InProgress, Action::Withdraw),
            (Status::NeedsInfo, Action::Withdraw),
            (Status::InProgress, Action::AcceptWithdrawal),
            (Status::NeedsInfo, Action::AcceptWithdrawal),
            (Status::InProgress, Action::RefuseWithdrawal),
            (Status::NeedsInfo, Action::RefuseWithdrawal),
        ];
        let actions = [
            Action::Submit,
            Action::Deliver,
            Action::Claim,
            Action::AskMore,
            Action::Answer,
            Action::Approve,
            Action::Refuse,
            Action::Withdraw,
            Action::AcceptWithdrawal,
            Action::RefuseWithdrawal,
        ];
        let mut refused = 0;
        for s in Status::ALL {
            for a in actions {
                for w in [false, true] {
                    let r = next(s, w, a);
                    let expected = allowed.contains(&(s, a))
                        && match a {
                            Action::Withdraw if matches!(s, Status::InProgress | Status::NeedsInfo) => !w,
                            Action::AcceptWithdrawal | Action::RefuseWithdrawal => w,
                            _ => true,
                        };
                    assert_eq!(r.is_ok(), expected, "{s:?} {a:?} withdrawal={w}");
                    if let Err(m) = r {
                        assert!(!m.is_empty());
                        refused += 1;
                    }
                }
            }
        }
        assert!(refused > 100);
        assert!(next(Status::Done, false, Action::Refuse).unwrap_err().contains("Исполнено"));
    }

    #[test]
    fn the_deadline_counts_calendar_days_and_not_the_days_the_citizen_took() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(due_on(d("2026-11-30"), 30), d("2026-12-30"));
        assert_eq!(due_after_answer(d("2026-12-30"), d("2026-12-01"), d("2026-12-04")), d("2027-01-02"));
        assert_eq!(days_left_text(d("2026-12-05"), d("2026-11-30")), "осталось 5 дней");
        assert_eq!(days_left_text(d("2026-12-01"), d("2026-11-30")), "осталось 1 день");
        assert_eq!(days_left_text(d("2026-11-30"), d("2026-11-30")), "срок сегодня");
        assert_eq!(days_left_text(d("2026-11-28"), d("2026-11-30")), "просрочено на 2 дня");
    }

    #[test]
    fn a_number_reads_in_threes_and_is_found_however_typed() {
        assert_eq!(format_number(1_234_567), "001-234-567");
        assert_eq!(number_digits("001 234 567").as_deref(), Some("001234567"));
        assert_eq!(number_digits("001-234-567").as_deref(), Some("001234567"));
        assert_eq!(number_digits("паспорт 001234567"), None);
        assert_eq!(rubles(600_000), "6\u{a0}000\u{a0}₽");
        assert_eq!(rubles(35_050), "350,50\u{a0}₽");
    }
}
