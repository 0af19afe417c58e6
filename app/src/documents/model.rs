//! The rules of «Документы» that need no database, shared by the page and
//! the server: document types, the status of a document and of a change
//! request with their pure transitions, the defects an official can name,
//! the upload limits and their messages, the 24-hour target, and the
//! change-request form («Изменить ФИО / паспортные данные»).
//!
//! A document:
//!
//! ```text
//!   Uploaded ──Open──▶ InReview ──Accept──▶ Accepted
//!                         │  ▲
//!                         │  └─Open (another look)
//!                         └────Reject──▶ Rejected   (the citizen uploads a new file)
//! ```
//!
//! A change request: `Waiting ──Open──▶ InReview ──Approve──▶ Approved |
//! ──Reject──▶ Rejected`; the profile changes only at Approve.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use surrealdb::types::SurrealValue;

use crate::auth::names::validate_name;
use crate::auth::personal::{PassportInput, parse_date, validate_birth_date};

/// The largest file accepted (spec 003 «Документы»: «не превышает 5 МБ»).
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;
/// A document or a change request is checked within this many hours
/// (spec 003: «Верификация происходит в течение 24 часов»).
pub const REVIEW_HOURS: i64 = 24;
/// What `<input type=file accept>` offers; the server judges the content.
pub const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

/// The kinds of document (spec 003 «Документы»), and any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Passport,
    Snils,
    Inn,
    BirthCertificate,
    EmploymentCertificate,
    Diploma,
    PensionCertificate,
    Other,
}

impl DocKind {
    pub const ALL: [DocKind; 8] = [
        DocKind::Passport,
        DocKind::Snils,
        DocKind::Inn,
        DocKind::BirthCertificate,
        DocKind::EmploymentCertificate,
        DocKind::Diploma,
        DocKind::PensionCertificate,
        DocKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Passport => "passport",
            DocKind::Snils => "snils",
            DocKind::Inn => "inn",
            DocKind::BirthCertificate => "birth_certificate",
            DocKind::EmploymentCertificate => "employment_certificate",
            DocKind::Diploma => "diploma",
            DocKind::PensionCertificate => "pension_certificate",
            DocKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocKind::Passport => "Паспорт гражданина РФ",
            DocKind::Snils => "СНИЛС",
            DocKind::Inn => "ИНН",
            DocKind::BirthCertificate => "Свидетельство о рождении",
            DocKind::EmploymentCertificate => "Справка с места работы",
            DocKind::Diploma => "Диплом",
            DocKind::PensionCertificate => "Пенсионное удостоверение",
            DocKind::Other => "Другой документ",
        }
    }
}

/// Where a document is in its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    /// «Загружен»: waiting in the officials' queue.
    Uploaded,
    /// «На проверке»: an official opened it.
    InReview,
    Accepted,
    Rejected,
}

impl DocStatus {
    pub const ALL: [DocStatus; 4] =
        [DocStatus::Uploaded, DocStatus::InReview, DocStatus::Accepted, DocStatus::Rejected];

    pub fn label(self) -> &'static str {
        match self {
            DocStatus::Uploaded => "Загружен",
            DocStatus::InReview => "На проверке",
            DocStatus::Accepted => "Принят",
            DocStatus::Rejected => "Отклонён",
        }
    }

    /// Still waiting for an official's decision.
    pub fn is_open(self) -> bool {
        matches!(self, DocStatus::Uploaded | DocStatus::InReview)
    }
}

/// What happens to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocEvent {
    /// An official opens it from the queue.
    Open,
    Accept,
    Reject,
}

/// The one transition function of a document (drawn in the module comment).
/// A decision needs the document opened first (so the look is recorded).
pub fn doc_next(from: DocStatus, event: DocEvent) -> Option<DocStatus> {
    use DocEvent::*;
    use DocStatus::*;
    match (from, event) {
        (Uploaded | InReview, Open) => Some(InReview),
        (InReview, Accept) => Some(Accepted),
        (InReview, Reject) => Some(Rejected),
        _ => None,
    }
}

/// Every status `event` may start from (what storage checks atomically).
pub fn doc_from(event: DocEvent) -> Vec<DocStatus> {
    DocStatus::ALL.into_iter().filter(|s| doc_next(*s, event).is_some()).collect()
}

/// Where a change request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    Waiting,
    InReview,
    Approved,
    Rejected,
}

impl ChangeStatus {
    pub const ALL: [ChangeStatus; 4] =
        [ChangeStatus::Waiting, ChangeStatus::InReview, ChangeStatus::Approved, ChangeStatus::Rejected];

    pub fn label(self) -> &'static str {
        match self {
            ChangeStatus::Waiting => "Ожидает проверки",
            ChangeStatus::InReview => "На проверке",
            ChangeStatus::Approved => "Одобрен",
            ChangeStatus::Rejected => "Отклонён",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, ChangeStatus::Waiting | ChangeStatus::InReview)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeEvent {
    Open,
    Approve,
    Reject,
}

/// The transition function of a change request.
pub fn change_next(from: ChangeStatus, event: ChangeEvent) -> Option<ChangeStatus> {
    use ChangeEvent::*;
    use ChangeStatus::*;
    match (from, event) {
        (Waiting | InReview, Open) => Some(InReview),
        (InReview, Approve) => Some(Approved),
        (InReview, Reject) => Some(Rejected),
        _ => None,
    }
}

pub fn change_from(event: ChangeEvent) -> Vec<ChangeStatus> {
    ChangeStatus::ALL.into_iter().filter(|s| change_next(*s, event).is_some()).collect()
}

/// What a file turned out to be, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Pdf,
    Jpeg,
    Png,
}

impl FileFormat {
    pub fn mime(self) -> &'static str {
        match self {
            FileFormat::Pdf => "application/pdf",
            FileFormat::Jpeg => "image/jpeg",
            FileFormat::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Jpeg => "jpg",
            FileFormat::Png => "png",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Pdf => "PDF",
            FileFormat::Jpeg => "JPG",
            FileFormat::Png => "PNG",
        }
    }
}

/// Why an upload was refused. Its `code` travels in the address when the
/// form was sent without JavaScript; the page shows `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    NoFile,
    Empty,
    TooLarge,
    Format,
    /// The name says one format, the content is another (a PNG named .pdf).
    Mismatch,
    Unreadable,
    Kind,
    TooMany,
    Replaces,
    /// The account holds as many documents as it may.
    Full,
}

/// Documents an account may hold, not counting rejected ones.
pub const MAX_DOCUMENTS: usize = 50;

impl UploadProblem {
    pub const ALL: [UploadProblem; 10] = [
        UploadProblem::NoFile,
        UploadProblem::Empty,
        UploadProblem::TooLarge,
        UploadProblem::Format,
        UploadProblem::Mismatch,
        UploadProblem::Unreadable,
        UploadProblem::Kind,
        UploadProblem::TooMany,
        UploadProblem::Replaces,
        UploadProblem::Full,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UploadProblem::NoFile => "no_file",
            UploadProblem::Empty => "empty",
            UploadProblem::TooLarge => "size",
            UploadProblem::Format => "format",
            UploadProblem::Mismatch => "mismatch",
            UploadProblem::Unreadable => "unreadable",
            UploadProblem::Kind => "kind",
            UploadProblem::TooMany => "too_many",
            UploadProblem::Replaces => "replaces",
            UploadProblem::Full => "full",
        }
    }

    pub fn parse(code: &str) -> Option<UploadProblem> {
        UploadProblem::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The form field the message stands beside.
    pub fn field(self) -> &'static str {
        if self == UploadProblem::Kind { "kind" } else { "file" }
    }

    pub fn message(self) -> &'static str {
        match self {
            UploadProblem::NoFile => "Выберите файл со сканом или фотографией документа",
            UploadProblem::Empty => "Файл пустой. Выберите другой файл",
            UploadProblem::TooLarge => "Файл больше 5 МБ. Уменьшите разрешение скана или сохраните его в JPG",
            UploadProblem::Format => {
                "Формат файла не подходит: нужен PDF, JPG или PNG. Формат определяется по содержимому файла, а не по его имени"
            }
            UploadProblem::Mismatch => {
                "Формат файла не совпадает с его расширением: например, картинка PNG переименована в .pdf. Сохраните файл заново в формате PDF, JPG или PNG"
            }
            UploadProblem::Unreadable => {
                "Файл повреждён или не открывается. Отсканируйте или сфотографируйте документ ещё раз"
            }
            UploadProblem::Kind => "Выберите тип документа",
            UploadProblem::TooMany => "Слишком много загрузок за час. Повторите позже",
            UploadProblem::Replaces => "Заменить можно только свой отклонённый документ",
            UploadProblem::Full => {
                "В разделе «Документы» уже 50 документов — это наибольшее число. Обратитесь в службу поддержки, если нужно больше"
            }
        }
    }
}

/// The size check the browser makes before sending (the server makes it
/// again on what arrived).
pub fn check_size(bytes: u64) -> Result<(), UploadProblem> {
    match bytes {
        0 => Err(UploadProblem::Empty),
        n if n > MAX_BYTES => Err(UploadProblem::TooLarge),
        _ => Ok(()),
    }
}

/// «1,2 МБ», «640 КБ», «12 Б».
pub fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{},{} МБ", bytes / MB, (bytes % MB) * 10 / MB)
    } else if bytes >= KB {
        format!("{} КБ", bytes.div_ceil(KB))
    } else {
        format!("{bytes} Б")
    }
}

/// A defect an official can tick when rejecting a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
#[cfg_attr(feature = "ssr", surreal(untagged, rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Defect {
    Blurry,
    Cropped,
    Glare,
    Unreadable,
    WrongDocument,
    MissingPages,
    Expired,
}

impl Defect {
    pub const ALL: [Defect; 7] = [
        Defect::Blurry,
        Defect::Cropped,
        Defect::Glare,
        Defect::Unreadable,
        Defect::WrongDocument,
        Defect::MissingPages,
        Defect::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Defect::Blurry => "blurry",
            Defect::Cropped => "cropped",
            Defect::Glare => "glare",
            Defect::Unreadable => "unreadable",
            Defect::WrongDocument => "wrong_document",
            Defect::MissingPages => "missing_pages",
            Defect::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Defect::Blurry => "Изображение размытое или нечёткое",
            Defect::Cropped => "Документ виден не полностью: обрезаны края",
            Defect::Glare => "Блики или тени закрывают данные",
            Defect::Unreadable => "Не читаются серия, номер или даты",
            Defect::WrongDocument => "Загружен не тот документ",
            Defect::MissingPages => "Нет нужных страниц (для паспорта — разворот с фотографией)",
            Defect::Expired => "Срок действия документа истёк",
        }
    }
}

/// The longest free-text remark or reason.
pub const REMARK_MAX: usize = 500;

/// An official's rejection: at least one ticked defect or a remark.
pub fn check_rejection(defects: &[Defect], remark: &str) -> Result<String, (&'static str, String)> {
    let remark = remark.trim().to_string();
    if remark.chars().count() > REMARK_MAX {
        return Err(("remark", format!("Не более {REMARK_MAX} символов")));
    }
    if defects.is_empty() && remark.is_empty() {
        return Err(("remark", "Отметьте недочёты или опишите их — гражданин увидит это рядом с документом".into()));
    }
    Ok(remark)
}

/// A change request's rejection: the reason is required.
pub fn check_reason(reason: &str) -> Result<String, (&'static str, String)> {
    let reason = reason.trim().to_string();
    match reason.chars().count() {
        0 => Err(("reason", "Укажите причину отказа — гражданин увидит её в разделе «Документы»".into())),
        n if n > REMARK_MAX => Err(("reason", format!("Не более {REMARK_MAX} символов"))),
        _ => Ok(reason),
    }
}

/// «№ 4F7A21C3»: the first eight digits of a key, for people.
pub fn number(key: &str) -> String {
    format!("№ {}", key.chars().take(8).collect::<String>().to_uppercase())
}

/// How much of the 24-hour target is left at `now` for something waiting
/// since `since`: «осталось 5 ч 12 мин» or «просрочено на 2 ч 3 мин».
pub fn time_left(since: DateTime<Utc>, now: DateTime<Utc>) -> (bool, String) {
    let left = since + TimeDelta::hours(REVIEW_HOURS) - now;
    let overdue = left < TimeDelta::zero();
    let m = left.num_minutes().abs();
    let text = format!("{} ч {} мин", m / 60, m % 60);
    (overdue, if overdue { format!("просрочено на {text}") } else { format!("осталось {text}") })
}

// ----------------------------------------------------------- change request

/// «Изменить ФИО / паспортные данные» as typed. The passport part is left
/// empty when the passport has not changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeForm {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub passport: PassportInput,
    /// The documents attached as scans (their ids).
    pub scans: Vec<String>,
}

/// Checked new personal data, in the forms the profile stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPersonal {
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    /// `YYYY-MM-DD`
    pub birth_date: String,
    /// «45 12 654321, выдан ГУ МВД России по г. Москве 20.03.2011, код подразделения 770-005»;
    /// None: the passport stays as it is.
    pub passport: Option<String>,
}

pub const NO_SCANS: &str =
    "Приложите скан документа, подтверждающего изменения: паспорта, свидетельства о браке или о перемене имени";

/// Checks the form against `today` with the kernel's rules for names,
/// the birth date and the passport; every problem with its field.
pub fn check_change(f: &ChangeForm, today: NaiveDate) -> Result<NewPersonal, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let surname = validate_name("Фамилия", &f.surname, true).map_err(|m| errors.push(("surname", m))).ok();
    let name = validate_name("Имя", &f.name, true).map_err(|m| errors.push(("name", m))).ok();
    let patronymic = validate_name("Отчество", &f.patronymic, false).map_err(|m| errors.push(("patronymic", m))).ok();
    let birth = validate_birth_date(&f.birth_date, today).map_err(|m| errors.push(("birth_date", m.to_string()))).ok();
    let p = &f.passport;
    let untouched =
        [&p.series, &p.number, &p.issued_on, &p.issued_by, &p.division_code].iter().all(|v| v.trim().is_empty());
    let passport = if untouched {
        Some(None)
    } else {
        p.validate(birth, today).map(|p| Some(p.display())).map_err(|e| errors.extend(e)).ok()
    };
    if f.scans.is_empty() {
        errors.push(("scans", NO_SCANS.to_string()));
    }
    match (surname, name, patronymic, birth, passport) {
        (Some(surname), Some(name), Some(patronymic), Some(birth), Some(passport)) if errors.is_empty() => {
            Ok(NewPersonal {
                surname,
                name,
                patronymic: Some(patronymic).filter(|p| !p.is_empty()),
                birth_date: birth.format("%Y-%m-%d").to_string(),
                passport,
            })
        }
        _ => Err(errors),
    }
}

/// The rows of «что изменится» between the current data and the new.
pub fn differences(old: &NewPersonal, new: &NewPersonal) -> Vec<(&'static str, String, String)> {
    let day = |d: &str| parse_date(d).map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|_| d.to_string());
    let mut rows = Vec::new();
    let mut diff = |label: &'static str, a: String, b: String| {
        if a != b {
            rows.push((label, a, b));
        }
    };
    diff("Фамилия", old.surname.clone(), new.surname.clone());
    diff("Имя", old.name.clone(), new.name.clone());
    diff("Отчество", old.patronymic.clone().unwrap_or_default(), new.patronymic.clone().unwrap_or_default());
    diff("Дата рождения", day(&old.birth_date), day(&new.birth_date));
    if let Some(p) = &new.passport {
        diff("Паспорт", old.passport.clone().unwrap_or_default(), p.clone());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_decision_needs_the_document_opened_and_is_made_once() {
        assert_eq!(doc_next(DocStatus::Uploaded, DocEvent::Open), Some(DocStatus::InReview));
        assert_eq!(doc_next(DocStatus::Uploaded, DocEvent::Accept), None);
        assert_eq!(doc_next(DocStatus::InReview, DocEvent::Accept), Some(DocStatus::Accepted));
        assert_eq!(doc_next(DocStatus::InReview, DocEvent::Reject), Some(DocStatus::Rejected));
        for done in [DocStatus::Accepted, DocStatus::Rejected] {
            for e in [DocEvent::Open, DocEvent::Accept, DocEvent::Reject] {
                assert_eq!(doc_next(done, e), None, "{done:?} {e:?}");
            }
        }
        assert_eq!(doc_from(DocEvent::Accept), vec![DocStatus::InReview]);
        assert_eq!(doc_from(DocEvent::Open), vec![DocStatus::Uploaded, DocStatus::InReview]);
    }

    #[test]
    fn a_change_request_is_approved_or_rejected_once() {
        assert_eq!(change_next(ChangeStatus::Waiting, ChangeEvent::Approve), None);
        assert_eq!(change_next(ChangeStatus::InReview, ChangeEvent::Approve), Some(ChangeStatus::Approved));
        assert_eq!(change_next(ChangeStatus::Approved, ChangeEvent::Reject), None);
        assert_eq!(change_from(ChangeEvent::Reject), vec![ChangeStatus::InReview]);
    }

    #[test]
    fn names_and_codes_round_trip() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(k));
        }
        for p in UploadProblem::ALL {
            assert_eq!(UploadProblem::parse(p.code()), Some(p));
        }
    }

    #[test]
    fn the_size_limit_is_five_megabytes() {
        assert_eq!(check_size(MAX_BYTES), Ok(()));
        assert_eq!(check_size(MAX_BYTES + 1), Err(UploadProblem::TooLarge));
        assert_eq!(check_size(0), Err(UploadProblem::Empty));
        assert_eq!(size_text(1536 * 1024), "1,5 МБ");
        assert_eq!(size_text(1000), "1000 Б");
    }

    #[test]
    fn the_time_left_counts_down_from_twenty_four_hours() {
        let t = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        assert_eq!(time_left(t, t + TimeDelta::minutes(30)), (false, "осталось 23 ч 30 мин".into()));
        assert_eq!(time_left(t, t + TimeDelta::hours(26)), (true, "просрочено на 2 ч 0 мин".into()));
    }

    #[test]
    fn a_rejection_names_a_defect_or_says_what_is_wrong() {
        assert!(check_rejection(&[], " ").is_err());
        assert_eq!(check_rejection(&[Defect::Blurry], ""), Ok(String::new()));
        assert_eq!(check_rejection(&[], " нет подписи "), Ok("нет подписи".into()));
        assert!(check_reason("").is_err());
    }

    fn form() -> ChangeForm {
        ChangeForm {
            surname: "Сидорова".into(),
            name: "Мария".into(),
            patronymic: "Сергеевна".into(),
            birth_date: "03.11.1992".into(),
            scans: vec!["d1".into()],
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    }

    #[test]
    fn a_new_surname_with_a_scan_and_no_passport_is_accepted() {
        let p = check_change(&form(), today()).unwrap();
        assert_eq!(p.surname, "Сидорова");
        assert_eq!(p.birth_date, "1992-11-03");
        assert_eq!(p.passport, None);
    }

    #[test]
    fn a_passport_is_checked_whole_once_any_of_it_is_typed() {
        let mut f = form();
        f.passport.series = "4512".into();
        let fields: Vec<&str> = check_change(&f, today()).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert!(fields.contains(&"passport_number") && fields.contains(&"passport_division"), "{fields:?}");
        f.passport.number = "654 321".into();
        f.passport.issued_on = "20.03.2011".into();
        f.passport.issued_by = "ГУ МВД России по г. Москве".into();
        f.passport.division_code = "770005".into();
        let p = check_change(&f, today()).unwrap();
        assert_eq!(
            p.passport.as_deref(),
            Some("45 12 654321, выдан ГУ МВД России по г. Москве 20.03.2011, код подразделения 770-005")
        );
    }

    #[test]
    fn a_change_without_a_scan_is_refused() {
        let mut f = form();
        f.scans.clear();
        assert_eq!(check_change(&f, today()).unwrap_err()[0].0, "scans");
    }

    #[test]
    fn the_differences_name_only_what_changes() {
        let old = check_change(&form(), today()).unwrap();
        let mut f = form();
        f.surname = "Иванова".into();
        let new = check_change(&f, today()).unwrap();
        assert_eq!(differences(&old, &new), vec![("Фамилия", "Сидорова".to_string(), "Иванова".to_string())]);
    }
}
