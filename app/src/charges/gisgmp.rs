//! The state payments system (ГИС ГМП) as the portal reaches it: through
//! the exchange (`platform::exchange`: a request is a row first, sent
//! СМЭВ-style, answered asynchronously, applied once). Two kinds of request:
//!
//! - `gisgmp.charges`: what is owed by an ИНН, vehicle certificates (СТС),
//!   driver's licences (ВУ), or one УИН; the answer's accruals are kept by
//!   `store::keep_found` (for the person who asked, or for nobody when it
//!   was a search by УИН);
//! - `gisgmp.payment`: a payment made on the portal; the answer is the
//!   matching («квитирование»), and the charge becomes «квитировано».
//!
//! In dev mode and tests the other side is `simulator()`: a simulated
//! system with the exchange's delays and faults that answers by fixture
//! rules documented on `accruals` (no real registry is reachable from
//! here). A production portal has no adapter yet and starts no worker.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::model::{ChargeKind, discount_until, parse_uin, with_control};
use super::store::{self, Accrual, Payee};
use crate::error::AppError;
use crate::platform::config::Config;
use crate::platform::db::{Db, QueryExt};
use crate::platform::exchange::{self, Consumer, NewRequest, Reply, RequestRow};
use crate::platform::exchange_settings::RegistrySimulation;
use crate::platform::exchange_sim::SimulatedSystem;

pub const CHARGES_SYSTEM: &str = "gisgmp.charges";
pub const PAYMENT_SYSTEM: &str = "gisgmp.payment";
pub const SYSTEMS: &[&str] = &[CHARGES_SYSTEM, PAYMENT_SYSTEM];

/// A person's charges are asked again at most this often.
pub const ASK_EVERY: TimeDelta = TimeDelta::minutes(5);

/// What is asked of ГИС ГМП.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargesQuery {
    #[serde(default)]
    pub inn: Option<String>,
    #[serde(default)]
    pub sts: Vec<String>,
    #[serde(default)]
    pub vu: Vec<String>,
    #[serde(default)]
    pub uin: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChargesAnswer {
    pub accruals: Vec<Accrual>,
}

/// A payment as reported to ГИС ГМП.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentReport {
    pub payment: String,
    pub uin: String,
    pub amount: i64,
    pub paid_at: DateTime<Utc>,
}

// ---------------------------------------------------------------- the portal's side

fn sync_id(account: &str) -> surrealdb::types::RecordId {
    surrealdb::types::RecordId::new("charge_sync", account)
}

/// Asks ГИС ГМП what `account` owes by `query` unless asked within
/// `ASK_EVERY` (one statement decides, so many tabs ask once). Returns the
/// message id of the request in flight, if any.
pub async fn ask_mine(
    db: &Db,
    account: &str,
    query: &ChargesQuery,
    force: bool,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let message = exchange::new_message_id();
    let payload = serde_json::to_string(query).unwrap_or_default();
    let q = db
        .query(
            "LET $s = (SELECT * FROM ONLY $sync);
             IF $force OR $s = NONE OR $s.asked_at < $since {
                UPSERT $sync SET asked_at = $now, message = $message;
                RETURN $message;
             } ELSE {
                RETURN $s.message;
             }",
        )
        .bind(("sync", sync_id(account)))
        .bind(("force", force))
        .bind(("since", now - ASK_EVERY))
        .bind(("now", now))
        .bind(("message", message.clone()));
    let mut res = q.exec("ask charges").await?;
    let current: Option<String> = res.take(1).map_err(|e| crate::platform::request::internal("ask charges", e))?;
    let current = current.unwrap_or_default();
    if current == message {
        let subject = format!("charges:{account}");
        exchange::enqueue_in(
            db.query("RETURN NONE"),
            0,
            NewRequest { message_id: &message, system: CHARGES_SYSTEM, subject: &subject, payload },
            now,
        )
        .exec("enqueue charges request")
        .await?;
    }
    Ok(current)
}

/// Asks ГИС ГМП for one charge by its УИН (a search: the charge is kept
/// for nobody unless it is the person's own). Returns the message id.
pub async fn ask_uin(db: &Db, account: &str, uin: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let message = exchange::new_message_id();
    let subject = format!("uin:{account}");
    let payload =
        serde_json::to_string(&ChargesQuery { uin: Some(uin.to_string()), ..Default::default() }).unwrap_or_default();
    exchange::enqueue_in(
        db.query("RETURN NONE"),
        0,
        NewRequest { message_id: &message, system: CHARGES_SYSTEM, subject: &subject, payload },
        now,
    )
    .exec("enqueue uin request")
    .await?;
    Ok(message)
}

/// Appends the report of a successful payment to ГИС ГМП (for the caller's
/// transaction); its message id is the payment's, so it is made once.
pub fn report_in<'a>(
    q: crate::platform::db::Query<'a>,
    r: &PaymentReport,
    now: DateTime<Utc>,
) -> crate::platform::db::Query<'a> {
    let subject = format!("payment:{}:{}", r.payment, r.uin);
    let message = format!("pay-{}", r.payment);
    exchange::enqueue_in(
        q,
        7,
        NewRequest {
            message_id: &message,
            system: PAYMENT_SYSTEM,
            subject: &subject,
            payload: serde_json::to_string(r).unwrap_or_default(),
        },
        now,
    )
}

/// What became of a request (the page waiting for a search reads it).
pub async fn request_state(db: &Db, message: &str) -> Result<Option<RequestRow>, AppError> {
    exchange::load(db, message).await
}

/// Acts on ГИС ГМП's answers (idempotent: `keep_found` and `settled` change
/// nothing the second time).
pub struct Gisgmp;

impl Consumer for Gisgmp {
    async fn settled(&self, db: &Db, request: &RequestRow, now: DateTime<Utc>) -> Result<(), AppError> {
        let Some(answer) = request.answer.as_deref() else { return Ok(()) };
        if let Some(account) = request.subject.strip_prefix("charges:") {
            if let Ok(a) = serde_json::from_str::<ChargesAnswer>(answer) {
                store::keep_found(db, Some(account), "documents", &a.accruals, now).await?;
            }
        } else if request.subject.starts_with("uin:") {
            if let Ok(a) = serde_json::from_str::<ChargesAnswer>(answer) {
                store::keep_found(db, None, "uin", &a.accruals, now).await?;
            }
        } else if let Some(rest) = request.subject.strip_prefix("payment:")
            && let Some((payment, uin)) = rest.split_once(':')
        {
            store::settled(db, uin, payment, now).await?;
        }
        Ok(())
    }
}

/// Spawns the ГИС ГМП worker in dev mode (the simulator); none in
/// production, where the portal has no adapter yet.
pub fn start(db: Arc<Db>, config: &Config) -> Option<tokio::task::JoinHandle<()>> {
    if !config.mode.is_dev() {
        tracing::info!("ГИС ГМП: no adapter in production mode; charges are not fetched");
        return None;
    }
    let wake = Arc::new(tokio::sync::Notify::new());
    Some(tokio::spawn(exchange::run_worker(
        db,
        simulator(config.exchange.simulation),
        Gisgmp,
        SYSTEMS,
        config.exchange.clone(),
        wake,
    )))
}

// ---------------------------------------------------------------- recipients

const MVD: [&str; 8] = [
    "УФК по г. Москве (ГУ МВД России по г. Москве)",
    "7707089101",
    "770731005",
    "03100643000000017300",
    "004525988",
    "ГУ Банка России по ЦФО//УФК по г. Москве г. Москва",
    "18811601123010001140",
    "45379000",
];
const FNS: [&str; 8] = [
    "Казначейство России (ФНС России)",
    "7727406020",
    "770801001",
    "03100643000000018500",
    "024501901",
    "ОПЕРАЦИОННЫЙ ДЕПАРТАМЕНТ БАНКА РОССИИ//Межрегиональное операционное УФК г. Москва",
    "18210601020041000110",
    "45382000",
];
const ROSREESTR: [&str; 8] = [
    "УФК по г. Москве (Управление Росреестра по Москве)",
    "7724261610",
    "772401001",
    "03100643000000017300",
    "004525988",
    "ГУ Банка России по ЦФО//УФК по г. Москве г. Москва",
    "32110807020011000110",
    "45382000",
];

fn payee(p: [&str; 8], kbk: Option<&str>) -> Payee {
    Payee {
        name: p[0].into(),
        inn: p[1].into(),
        kpp: p[2].into(),
        account: p[3].into(),
        bik: p[4].into(),
        bank: p[5].into(),
        kbk: kbk.unwrap_or(p[6]).into(),
        oktmo: p[7].into(),
    }
}

/// The recipient of a state duty paid to `department`.
pub fn payee_of(department: &str) -> Payee {
    let d = department.to_lowercase();
    if d.contains("мвд") || d.contains("гибдд") {
        payee(MVD, Some("18810806000018003110"))
    } else if d.contains("росреестр") {
        payee(ROSREESTR, None)
    } else {
        payee(FNS, Some("18210807010011000110"))
    }
}

/// The УИН of the state duty of application number `number` (9 digits):
/// the same number gives the same УИН, so a duty is made once.
pub fn duty_uin(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    with_control(&format!("3210{digits:0>9}000000"))
}

// ---------------------------------------------------------------- the simulation

/// The simulated ГИС ГМП with the exchange's delays and faults.
pub fn simulator(settings: RegistrySimulation) -> SimulatedSystem {
    SimulatedSystem::new(settings, Box::new(answer))
}

fn answer(system: &str, payload: &str, now: DateTime<Utc>) -> Reply {
    match system {
        CHARGES_SYSTEM => match serde_json::from_str::<ChargesQuery>(payload) {
            Ok(q) => {
                let a = ChargesAnswer { accruals: accruals(&q, now) };
                serde_json::to_string(&a).map(Reply::Answer).unwrap_or_else(|_| Reply::Refused("ошибка формата".into()))
            }
            Err(_) => Reply::Refused("запрос не соответствует формату вида сведений".into()),
        },
        PAYMENT_SYSTEM => match serde_json::from_str::<PaymentReport>(payload) {
            Ok(r) if parse_uin(&r.uin).is_err() => Reply::Refused("УИН не прошёл проверку контрольного разряда".into()),
            Ok(r) if r.amount <= 0 => Reply::Refused("сумма платежа должна быть больше нуля".into()),
            Ok(r) => match fixture_amount(&r.uin, now) {
                // A fixture fine paid below its half is not matched.
                Some(full) if r.amount < super::model::half(full) => {
                    Reply::Refused("сумма платежа меньше начисленной: начисление не квитировано".into())
                }
                _ => Reply::Answer(r#"{"matched":true}"#.into()),
            },
            Err(_) => Reply::Refused("запрос не соответствует формату вида сведений".into()),
        },
        other => Reply::Refused(format!("неизвестный вид сведений: {other}")),
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The fixture rules (documented in README «Платежи»):
///
/// - ИНН: last digit odd → property tax 1 843 ₽ due in 2 days; last digit
///   5 or more → transport tax 4 250 ₽ due in 30 days;
/// - СТС: last digit 1 → a speeding fine of 500 ₽ decided 3 days ago (half
///   price for 17 more days); 2 → a parking fine of 1 500 ₽ decided 40 days
///   ago (no discount); 3 → both; 4 → a 500 ₽ fine already paid elsewhere;
/// - ВУ: last digit 1 → a seat-belt fine of 1 000 ₽ decided 10 days ago;
/// - a УИН made by these rules is found by itself (a friend's fine).
///
/// The УИН encodes what it was made from, so a search by УИН finds the
/// same accrual: fines `18810177` + variant + region(2) + number(6) + `26`,
/// taxes `1820` + ИНН(12) + variant + `00`.
pub fn accruals(q: &ChargesQuery, now: DateTime<Utc>) -> Vec<Accrual> {
    let today = crate::format::msk_date(now);
    let mut out = Vec::new();
    if let Some(inn) = q.inn.as_deref() {
        out.extend(taxes(&digits_of(inn), today));
    }
    for sts in &q.sts {
        out.extend(vehicle_fines(sts, today));
    }
    for vu in &q.vu {
        out.extend(driver_fines(vu, today));
    }
    if let Some(uin) = q.uin.as_deref() {
        out.extend(by_uin(uin, today));
    }
    out
}

fn last_digit(s: &str) -> u32 {
    s.chars().rev().find_map(|c| c.to_digit(10)).unwrap_or(0)
}

fn taxes(inn: &str, today: NaiveDate) -> Vec<Accrual> {
    if inn.len() != 12 {
        return Vec::new();
    }
    let d = last_digit(inn);
    let mut out = Vec::new();
    if d % 2 == 1 {
        out.push(tax(inn, 1, today));
    }
    if d >= 5 {
        out.push(tax(inn, 2, today));
    }
    out
}

fn tax(inn: &str, variant: u32, today: NaiveDate) -> Accrual {
    let (title, amount, due, kbk) = match variant {
        1 => ("Налог на имущество физических лиц за 2025 год", 184_300, 2, "18210601020041000110"),
        _ => ("Транспортный налог за 2025 год", 425_000, 30, "18210604012021000110"),
    };
    Accrual {
        uin: with_control(&format!("1820{inn}{variant}00")),
        kind: ChargeKind::Tax,
        title: title.into(),
        details: format!("Налоговое уведомление, ИНН {inn}"),
        amount,
        decided_on: ymd(today - TimeDelta::days(60)),
        due_on: ymd(today + TimeDelta::days(due)),
        discount_until: None,
        department: "ФНС России".into(),
        payee: payee(FNS, Some(kbk)),
        paid: false,
    }
}

/// СТС «77УК123456» → region «77», number «123456».
fn sts_parts(sts: &str) -> Option<(String, String)> {
    let c: Vec<char> = sts.chars().filter(|c| !c.is_whitespace()).collect();
    if c.len() != 10 {
        return None;
    }
    let region: String = c[..2].iter().collect();
    let number: String = c[4..].iter().collect();
    (region.chars().all(|c| c.is_ascii_digit()) && number.chars().all(|c| c.is_ascii_digit()))
        .then_some((region, number))
}

fn vehicle_fines(sts: &str, today: NaiveDate) -> Vec<Accrual> {
    let Some((region, number)) = sts_parts(sts) else { return Vec::new() };
    match last_digit(&number) {
        1 => vec![fine(1, &region, &number, today)],
        2 => vec![fine(2, &region, &number, today)],
        3 => vec![fine(1, &region, &number, today), fine(2, &region, &number, today)],
        4 => vec![fine(4, &region, &number, today)],
        _ => Vec::new(),
    }
}

fn driver_fines(vu: &str, today: NaiveDate) -> Vec<Accrual> {
    let d = digits_of(vu);
    if d.len() < 8 || last_digit(&d) != 1 {
        return Vec::new();
    }
    let region: String = d.chars().take(2).collect();
    let number: String = d.chars().skip(d.len() - 6).collect();
    vec![fine(3, &region, &number, today)]
}

/// The fixture fine `variant` (1 speeding, 2 parking, 3 seat belt, 4 paid).
fn fine(variant: u32, region: &str, number: &str, today: NaiveDate) -> Accrual {
    let (title, article, amount, age) = match variant {
        1 => ("Превышение скорости на 20–40 км/ч", "ч. 2 ст. 12.9 КоАП РФ", 50_000, 3),
        2 => ("Остановка или стоянка в запрещённом месте", "ч. 4 ст. 12.16 КоАП РФ", 150_000, 40),
        3 => ("Водитель не пристёгнут ремнём безопасности", "ст. 12.6 КоАП РФ", 100_000, 10),
        _ => ("Превышение скорости на 20–40 км/ч", "ч. 2 ст. 12.9 КоАП РФ", 50_000, 30),
    };
    let decided = today - TimeDelta::days(age);
    let uin = with_control(&format!("18810177{variant}{region:0>2}{number:0>6}26"));
    let place = if variant == 3 { "водительское удостоверение" } else { "СТС" };
    Accrual {
        uin,
        kind: ChargeKind::Fine,
        title: title.into(),
        details: format!(
            "{article}. Постановление от {}, {place} …{}",
            decided.format("%d.%m.%Y"),
            &number[number.len().saturating_sub(4)..]
        ),
        amount,
        decided_on: ymd(decided),
        // 10 days to come into force and 60 to pay (ст. 32.2 КоАП).
        due_on: ymd(decided + TimeDelta::days(70)),
        discount_until: Some(discount_until(decided)),
        department: "ГИБДД МВД России".into(),
        payee: payee(MVD, None),
        paid: variant == 4,
    }
}

fn by_uin(uin: &str, today: NaiveDate) -> Vec<Accrual> {
    let Ok(uin) = parse_uin(uin) else { return Vec::new() };
    let body = &uin[..19.min(uin.len())];
    if let Some(rest) = body.strip_prefix("18810177")
        && rest.len() == 11
        && rest.ends_with("26")
    {
        let variant = rest[..1].parse::<u32>().unwrap_or(0);
        // Only what the document rules above would have made.
        let last = last_digit(&rest[3..9]);
        let made = match variant {
            1 => last == 1 || last == 3,
            2 => last == 2 || last == 3,
            3 => last == 1,
            4 => last == 4,
            _ => false,
        };
        if made {
            let a = fine(variant, &rest[1..3], &rest[3..9], today);
            if a.uin == uin {
                return vec![a];
            }
        }
    }
    if let Some(rest) = body.strip_prefix("1820")
        && rest.len() == 15
        && rest.ends_with("00")
    {
        let variant = rest[12..13].parse::<u32>().unwrap_or(0);
        let last = last_digit(&rest[..12]);
        if (variant == 1 && last % 2 == 1) || (variant == 2 && last >= 5) {
            let a = tax(&rest[..12], variant, today);
            if a.uin == uin {
                return vec![a];
            }
        }
    }
    Vec::new()
}

/// The full amount of a fixture accrual, to judge a payment report.
fn fixture_amount(uin: &str, now: DateTime<Utc>) -> Option<i64> {
    by_uin(uin, crate::format::msk_date(now)).first().map(|a| a.amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-30T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn every_fixture_uin_passes_its_control_digit_and_is_found_by_itself() {
        let q = ChargesQuery {
            inn: Some("500100732259".into()),
            sts: vec!["77УК123453".into()],
            vu: vec!["9912345671".into()],
            uin: None,
        };
        let found = accruals(&q, now());
        assert_eq!(found.len(), 5, "two taxes, two vehicle fines, one driver's fine");
        for a in &found {
            assert!(parse_uin(&a.uin).is_ok(), "{}", a.uin);
            let again = accruals(&ChargesQuery { uin: Some(a.uin.clone()), ..Default::default() }, now());
            assert_eq!(again, vec![a.clone()], "found by its УИН");
        }
        assert!(accruals(&ChargesQuery { sts: vec!["77УК123450".into()], ..Default::default() }, now()).is_empty());
        assert!(
            accruals(&ChargesQuery { uin: Some(with_control("1881017715077000000")), ..Default::default() }, now())
                .is_empty()
        );
    }

    #[test]
    fn a_fresh_fine_has_its_discount_and_an_old_one_has_none_left() {
        let today = crate::format::msk_date(now());
        let fresh = fine(1, "77", "123451", today);
        let old = fine(2, "77", "123452", today);
        assert_eq!(fresh.discount_until.map(|d| d > now()), Some(true));
        assert_eq!(old.discount_until.map(|d| d > now()), Some(false));
    }

    #[test]
    fn a_duty_uin_is_made_once_per_application_number() {
        assert_eq!(duty_uin("123456789"), duty_uin("123-456-789"));
        assert!(parse_uin(&duty_uin("123456789")).is_ok());
        assert_ne!(duty_uin("123456789"), duty_uin("123456788"));
    }

    #[test]
    fn the_simulated_system_refuses_a_report_below_half_or_with_a_bad_uin() {
        let a = fine(2, "77", "123452", crate::format::msk_date(now()));
        let report = |uin: &str, amount| {
            serde_json::to_string(&PaymentReport { payment: "p1".into(), uin: uin.into(), amount, paid_at: now() })
                .unwrap()
        };
        assert!(matches!(answer(PAYMENT_SYSTEM, &report(&a.uin, 150_000), now()), Reply::Answer(_)));
        assert!(matches!(answer(PAYMENT_SYSTEM, &report(&a.uin, 10_000), now()), Reply::Refused(_)));
        assert!(matches!(answer(PAYMENT_SYSTEM, &report("18810177261200000017", 100), now()), Reply::Refused(_)));
    }
}
