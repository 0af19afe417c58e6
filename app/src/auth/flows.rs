//! Confirmation codes (spec 003 «Шаг 1», spec 000 §2.5), one pending step
//! ("flow") at a time: registration, recovery, a new phone or e-mail.
//!
//! Rules (settings; docs/product-rules.md «Confirmation codes»): 6 digits; valid 10 minutes;
//! at most 5 wrong entries per code, then a new code is needed; a new code
//! no sooner than 60 s after the last; at most 5 codes per contact per hour.
//! A flow itself lives an hour. Only SHA-256(flow id, code) is stored; the
//! code travels once, through the outbox, and its body is blanked after a
//! real delivery. This module never logs a code.
//!
//! ```text
//!   start ──send──▶ code pending ──right code──▶ (caller finishes, flow deleted)
//!                     │  ▲    │
//!             wrong   │  │    └─ 10 min pass / 5 wrong ──▶ code dead ──send (≥60 s, ≤5/h)──┐
//!   (attempts − 1) ◀──┘  └──────────────────────────────────────────────────────────────────┘
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};
use surrealdb::types::{RecordId, SurrealValue};

use super::dto::FlowView;
use crate::error::AppError;
use crate::format::{mask_email, mask_phone};
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{Db, QueryExt, retrying_one};
use crate::platform::outbox::{self, Channel, NewMessage};

/// How long a pending step lives in total.
const FLOW_TTL_MINUTES: i64 = 60;

pub const EXPIRED_FLOW: &str = "Время на подтверждение истекло. Начните заново";

/// A flow as stored. Its `Debug` hides the code hash (six digits are
/// quickly found from it) and the data (a registration's sealed password).
#[derive(Clone, SurrealValue)]
pub struct FlowRow {
    pub id: RecordId,
    pub purpose: FlowPurpose,
    pub account: Option<String>,
    pub data: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub channel: Channel,
    pub code_hash: Option<String>,
    pub code_sent_at: Option<DateTime<Utc>>,
    pub code_expires_at: Option<DateTime<Utc>>,
    pub attempts_left: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The contacts ("phone", "email") another account holds: what would
    /// go there as a code goes as a notice to that holder (see `decoy`).
    pub taken: Option<Vec<String>>,
}

impl std::fmt::Debug for FlowRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlowRow")
            .field("id", &self.id)
            .field("purpose", &self.purpose)
            .field("account", &self.account)
            .field("channel", &self.channel)
            .field("code_hash", &self.code_hash.as_ref().map(|_| "***"))
            .field("attempts_left", &self.attempts_left)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What a pending step is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, SurrealValue)]
#[surreal(untagged, rename_all = "snake_case")]
pub enum FlowPurpose {
    /// «Регистрация»: the form waits for the code (with the password hashed).
    Register,
    /// «Забыли пароль?».
    Recover,
    /// A new phone in «Личные данные».
    Phone,
    /// A new e-mail in «Личные данные».
    Email,
    /// A password accepted, the second step pending (bound to the browser).
    #[surreal(rename = "signin")]
    SignIn,
    /// An МФЦ operator confirms a citizen's identity: the code goes to the
    /// citizen's own phone and is typed on the operator's PIN pad by the
    /// citizen (the flow belongs to the operator's visit, `data` = task).
    MfcConfirm,
}

impl FlowPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowPurpose::Register => "register",
            FlowPurpose::Recover => "recover",
            FlowPurpose::Phone => "phone",
            FlowPurpose::Email => "email",
            FlowPurpose::SignIn => "signin",
            FlowPurpose::MfcConfirm => "mfc_confirm",
        }
    }
}

/// What a new flow is about; the contacts are where codes may go.
pub struct NewFlow {
    pub purpose: FlowPurpose,
    pub account: Option<String>,
    pub data: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The first channel: `sms` when there is a phone, else `email`.
    pub channel: Channel,
    /// The contacts of the flow that another account holds ("phone", "email").
    pub taken: Vec<&'static str>,
}

/// A flow id is 128 random bits (hex); it is the capability in the page URL.
fn new_flow_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill(&mut bytes);
    hex::encode(bytes)
}

fn valid_flow_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

fn code_hash(flow_id: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{flow_id}:{code}").as_bytes()))
}

fn rid(flow_id: &str) -> RecordId {
    RecordId::new("flow", flow_id.to_string())
}

/// Creates a flow and sends its first code. Returns the flow id.
pub async fn start(db: &Db, s: &AuthSettings, new: NewFlow, now: DateTime<Utc>) -> Result<String, AppError> {
    let channel = new.channel;
    let id = create(db, new, now).await?;
    send(db, s, &id, channel, now).await?;
    Ok(id)
}

/// Creates a flow without sending a code yet. Returns the flow id.
pub async fn create(db: &Db, new: NewFlow, now: DateTime<Utc>) -> Result<String, AppError> {
    let id = new_flow_id();
    db.query(
        "CREATE $id SET purpose = $purpose, account = $account, data = $data, phone = $phone, email = $email,
            channel = $channel, attempts_left = 0, created_at = $now, expires_at = $expires, taken = $taken",
    )
    .bind(("taken", new.taken.iter().map(|t| t.to_string()).collect::<Vec<_>>()))
    .bind(("id", rid(&id)))
    .bind(("purpose", new.purpose))
    .bind(("account", new.account))
    .bind(("data", new.data))
    .bind(("phone", new.phone))
    .bind(("email", new.email))
    .bind(("channel", new.channel))
    .bind(("now", now))
    .bind(("expires", now + TimeDelta::minutes(FLOW_TTL_MINUTES)))
    .exec("flow create")
    .await?;
    Ok(id)
}

/// The flow if it exists and has not expired.
pub async fn load(db: &Db, flow_id: &str, now: DateTime<Utc>) -> Result<FlowRow, AppError> {
    if !valid_flow_id(flow_id) {
        return Err(AppError::invalid(EXPIRED_FLOW));
    }
    let row: Option<FlowRow> = db.query("SELECT * FROM ONLY $id").bind(("id", rid(flow_id))).one("flow load").await?;
    row.filter(|r| r.expires_at > now).ok_or_else(|| AppError::invalid(EXPIRED_FLOW))
}

/// Cancels every sign-in of `account` that waits for its second step (the
/// password changed: a password someone else knew opens nothing more).
pub async fn end_sign_ins(db: &Db, account: &str) -> Result<(), AppError> {
    db.query("DELETE flow WHERE account = $account AND purpose = 'signin'")
        .bind(("account", account.to_string()))
        .exec("sign-in flows end")
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, flow_id: &str) -> Result<(), AppError> {
    db.query("DELETE $id").bind(("id", rid(flow_id))).exec("flow delete").await?;
    Ok(())
}

/// The contact a code on `channel` goes to, if the flow has one.
fn contact_for(row: &FlowRow, channel: Channel) -> Option<String> {
    match channel {
        Channel::Sms | Channel::Voice | Channel::Push => row.phone.clone(),
        Channel::Email => row.email.clone(),
    }
}

/// Whether a code on `channel` of this flow only looks like one: no code it
/// could send exists. A recovery of an unknown login (nothing is sent), and
/// a registration or contact change whose contact on that channel another
/// account holds: its holder gets a notice instead of a code, and the
/// person asking does not learn that the contact is taken (only the holder
/// reads what was sent). Decided per channel: the other contact of a
/// registration may be free and get real codes.
fn decoy(row: &FlowRow, channel: Channel) -> bool {
    let kind = match channel {
        Channel::Sms | Channel::Voice | Channel::Push => "phone",
        Channel::Email => "email",
    };
    match row.purpose {
        FlowPurpose::Recover => row.account.is_none(),
        FlowPurpose::SignIn | FlowPurpose::MfcConfirm => false,
        FlowPurpose::Register | FlowPurpose::Phone | FlowPurpose::Email => {
            row.taken.as_ref().is_some_and(|t| t.iter().any(|k| k == kind))
        }
    }
}

/// Sends a new code on `channel`, enforcing the cooldown and the hourly cap,
/// both in single statements (parallel resends cannot pass them together).
/// A channel the flow has no contact for is refused, except in a decoy
/// recovery (it must answer like a real one).
pub async fn send(
    db: &Db,
    s: &AuthSettings,
    flow_id: &str,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = load(db, flow_id, now).await?;
    let by_number = recovery_number(&row);
    let contact = contact_for(&row, channel);
    // A recovery by СНИЛС or ИНН offers no other channel (the page names
    // none, known number or not).
    let unavailable = if by_number.is_some() { channel != row.channel } else { contact.is_none() };
    if unavailable {
        return Err(AppError::invalid("Этот способ получения кода недоступен"));
    }
    // The cooldown: taken in one statement.
    let taken: Option<RecordId> = retrying_one("code cooldown", || {
        db.query(
            "UPDATE $id SET code_sent_at = $now WHERE code_sent_at = NONE OR code_sent_at <= $cutoff RETURN VALUE id",
        )
        .bind(("id", rid(flow_id)))
        .bind(("now", now))
        .bind(("cutoff", now - s.code_resend_after))
    })
    .await?;
    if taken.is_none() {
        let wait = row.code_sent_at.map(|t| (t + s.code_resend_after - now).num_seconds()).unwrap_or(1);
        return Err(AppError::field("code", format!("Новый код можно запросить через {} с", wait.max(1))));
    }
    // The hourly cap counts per contact. A recovery by СНИЛС or ИНН counts
    // under the number typed, known or not (else the cap would tell them
    // apart); a decoy without a contact under its flow.
    let counted = match (by_number, &contact) {
        (Some(number), _) => format!("number:{number}"),
        (None, Some(c)) => c.clone(),
        (None, None) => format!("flow:{flow_id}"),
    };
    if !crate::platform::budget::take_sliding(db, "code", &counted, s.codes_per_hour, TimeDelta::hours(1), now).await? {
        return Err(AppError::field(
            "code",
            "Превышено число кодов за час для этого контакта. Повторите через час или обратитесь в службу поддержки",
        ));
    }

    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    db.query(
        "UPDATE $id SET code_hash = $hash, code_sent_at = $now, code_expires_at = $expires,
            attempts_left = $attempts, channel = $channel;",
    )
    .bind(("id", rid(flow_id)))
    .bind(("hash", code_hash(flow_id, &code)))
    .bind(("now", now))
    .bind(("expires", now + s.code_ttl))
    .bind(("attempts", i64::from(s.code_attempts)))
    .bind(("channel", channel))
    .exec("code store")
    .await?;

    let Some(recipient) = contact else { return Ok(()) };
    let minutes = s.code_ttl.num_minutes().max(1);
    let (subject, body, sensitive) = if decoy(&row, channel) {
        if row.purpose == FlowPurpose::Recover {
            // An unknown login: nothing to tell anyone.
            return Ok(());
        }
        let (subject, body) = taken_notice(row.purpose, channel);
        (subject, body, false)
    } else {
        let (subject, body) = if row.purpose == FlowPurpose::MfcConfirm {
            mfc_code_message(channel, &code, minutes)
        } else {
            code_message(channel, &code, minutes)
        };
        (subject, body, true)
    };
    let expires_at = sensitive.then(|| now + s.code_ttl);
    outbox::enqueue(db, NewMessage { channel, recipient, subject, body, sensitive, expires_at }, now).await?;
    Ok(())
}

fn code_message(channel: Channel, code: &str, minutes: i64) -> (Option<String>, String) {
    match channel {
        Channel::Sms | Channel::Push => {
            (None, format!("Госпортал: код подтверждения {code}. Никому его не сообщайте. Действует {minutes} мин."))
        }
        Channel::Voice => {
            let spoken: Vec<String> = code.chars().map(String::from).collect();
            (None, format!("Госпортал. Ваш код подтверждения: {}. Повторяю: {}.", spoken.join(" "), spoken.join(" ")))
        }
        Channel::Email => (
            Some("Код подтверждения — Госпортал".to_string()),
            format!(
                "Здравствуйте!\n\nКод подтверждения: {code}\nОн действует {minutes} мин. Никому его не сообщайте: сотрудники портала никогда его не спрашивают.\n\nЕсли вы ничего не запрашивали, просто удалите это письмо."
            ),
        ),
    }
}

/// The code of an identity check at an МФЦ: typed by its owner on the
/// operator's PIN pad, never told to anyone, the operator included.
fn mfc_code_message(channel: Channel, code: &str, minutes: i64) -> (Option<String>, String) {
    let text = format!(
        "код {code} для подтверждения личности в МФЦ. Введите его сами на панели у оператора и никому не называйте, даже оператору. Действует {minutes} мин."
    );
    match channel {
        Channel::Email => {
            (Some("Подтверждение личности в МФЦ — Госпортал".to_string()), format!("Здравствуйте!\n\nВаш {text}"))
        }
        Channel::Sms | Channel::Voice | Channel::Push => (None, format!("Госпортал: {text}")),
    }
}

/// What the holder of a contact reads when someone registers with it, or
/// tries to add it to another account: no code, and what to do.
fn taken_notice(purpose: FlowPurpose, channel: Channel) -> (Option<String>, String) {
    let what = if purpose == FlowPurpose::Register {
        "кто-то начал регистрацию на Госпортале с этим контактом, но он уже указан в вашей учётной записи"
    } else {
        "кто-то пытается добавить этот контакт в другую учётную запись Госпортала, но он уже указан в вашей"
    };
    let advice = "Если это были вы — войдите в личный кабинет или восстановите пароль через «Забыли пароль?». \
                  Если нет — ничего делать не нужно: код не отправлялся, ваши данные в безопасности.";
    match channel {
        Channel::Email => (
            Some("Попытка использовать вашу почту — Госпортал".to_string()),
            format!("Здравствуйте!\n\nСообщаем: {what}.\n\n{advice}"),
        ),
        Channel::Sms | Channel::Voice | Channel::Push => (None, format!("Госпортал: {what}. {advice}")),
    }
}

/// Checks `code` of a flow of one of the `expected` purposes. A try is taken in one statement BEFORE the code is
/// compared (parallel guesses cannot share one try); a wrong one leaves it
/// spent. On success the flow is returned (the caller finishes the step and
/// deletes it).
pub async fn check(
    db: &Db,
    flow_id: &str,
    expected: &[FlowPurpose],
    code: &str,
    now: DateTime<Utc>,
) -> Result<FlowRow, AppError> {
    let code = super::model::validate_code(code).map_err(|m| AppError::field("code", m))?;
    let row = load(db, flow_id, now).await?;
    // A flow of another purpose spends no try here (an МФЦ code's id seen
    // on a screen must not be worn out through the registration form).
    if !expected.contains(&row.purpose) {
        return Err(AppError::invalid(EXPIRED_FLOW));
    }
    let (Some(_), Some(expires)) = (&row.code_hash, row.code_expires_at) else {
        return Err(AppError::field("code", "Код ещё не отправлен. Нажмите «Отправить код ещё раз»"));
    };
    if expires <= now {
        return Err(AppError::field("code", "Срок действия кода истёк. Запросите новый код"));
    }
    #[derive(SurrealValue)]
    struct Taken {
        attempts_left: i64,
        code_hash: Option<String>,
    }
    let taken: Option<Taken> = retrying_one("code attempt", || {
        db.query(
            "UPDATE $id SET attempts_left -= 1 WHERE attempts_left > 0 AND code_expires_at > $now
             RETURN attempts_left, code_hash",
        )
        .bind(("id", rid(flow_id)))
        .bind(("now", now))
    })
    .await?;
    let Some(taken) = taken else {
        return Err(AppError::field("code", "Код введён неверно слишком много раз. Запросите новый код"));
    };
    if !decoy(&row, row.channel) && taken.code_hash.as_deref() == Some(code_hash(flow_id, &code).as_str()) {
        return Ok(row);
    }
    let left = taken.attempts_left;
    Err(AppError::field(
        "code",
        if left > 0 {
            format!("Неверный код. Осталось попыток: {left}")
        } else {
            "Неверный код. Попытки закончились — запросите новый код".to_string()
        },
    ))
}

/// `data` of a recovery started by СНИЛС or ИНН: the code goes to the
/// account's own contact, which the page must not name.
pub const RECOVERY_BY_NUMBER: &str = "recovery-by-number";

/// The СНИЛС or ИНН a recovery was started with, if it was.
fn recovery_number(row: &FlowRow) -> Option<&str> {
    if row.purpose != FlowPurpose::Recover {
        return None;
    }
    row.data.as_deref()?.strip_prefix(RECOVERY_BY_NUMBER)?.strip_prefix(':').or(Some(""))
}

/// The flow as the code page shows it. A recovery names only the contact
/// the person typed (or nothing, for a СНИЛС or ИНН login).
pub fn view(row: &FlowRow, s: &AuthSettings, now: DateTime<Utc>) -> FlowView {
    let channel = row.channel;
    // A recovery by СНИЛС or ИНН offers no other channel, known number or
    // not: offering one would tell which contacts the account has.
    let by_number = recovery_number(row).is_some();
    let destination = match (row.purpose, channel) {
        (FlowPurpose::Recover, _) if by_number => {
            "на телефон или электронную почту, указанные в учётной записи".to_string()
        }
        (_, Channel::Sms | Channel::Push) => {
            format!("в SMS на номер {}", row.phone.as_deref().map(mask_phone).unwrap_or_default())
        }
        (_, Channel::Voice) => {
            format!("звонком на номер {}", row.phone.as_deref().map(mask_phone).unwrap_or_default())
        }
        (_, Channel::Email) => format!("на почту {}", row.email.as_deref().map(mask_email).unwrap_or_default()),
    };
    let other_channel = match channel {
        _ if by_number => None,
        Channel::Sms | Channel::Voice | Channel::Push if row.email.is_some() => Some("email".to_string()),
        Channel::Email if row.phone.is_some() => Some("sms".to_string()),
        _ => None,
    };
    let resend_in = row.code_sent_at.map(|t| (t + s.code_resend_after - now).num_seconds().max(0)).unwrap_or(0);
    let code_expires_in = row.code_expires_at.map(|t| (t - now).num_seconds().max(0)).unwrap_or(0);
    FlowView {
        purpose: row.purpose.as_str().to_string(),
        channel: row.channel.as_str().to_string(),
        destination,
        other_channel,
        voice: row.phone.is_some() && !by_number,
        resend_in,
        code_expires_in,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANY: &[FlowPurpose] = &[
        FlowPurpose::Register,
        FlowPurpose::Recover,
        FlowPurpose::Phone,
        FlowPurpose::Email,
        FlowPurpose::SignIn,
        FlowPurpose::MfcConfirm,
    ];
    use crate::platform::db;

    fn settings() -> AuthSettings {
        AuthSettings::default()
    }

    async fn sent_code(db: &Db) -> String {
        let mut res = db.query("SELECT VALUE body FROM outbox ORDER BY created_at DESC LIMIT 1").await.unwrap();
        let bodies: Vec<String> = res.take(0).unwrap();
        bodies[0].chars().filter(char::is_ascii_digit).take(6).collect()
    }

    async fn phone_flow(db: &Db, now: DateTime<Utc>) -> String {
        let new = NewFlow {
            purpose: FlowPurpose::Phone,
            account: Some("a".into()),
            data: None,
            phone: Some("+79161234567".into()),
            email: None,
            channel: Channel::Sms,
            taken: Vec::new(),
        };
        start(db, &settings(), new, now).await.unwrap()
    }

    #[tokio::test]
    async fn the_right_code_passes_and_a_wrong_one_uses_an_attempt() {
        let db = db::memory().await.unwrap();
        let now = Utc::now();
        let id = phone_flow(&db, now).await;
        let code = sent_code(&db).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let e = check(&db, &id, ANY, wrong, now).await.unwrap_err();
        assert_eq!(e.field_message("code").unwrap(), "Неверный код. Осталось попыток: 4");
        assert!(check(&db, &id, ANY, &code, now).await.is_ok());
    }

    #[tokio::test]
    async fn a_code_expires_after_ten_minutes() {
        let db = db::memory().await.unwrap();
        let now = Utc::now();
        let id = phone_flow(&db, now).await;
        let code = sent_code(&db).await;
        assert!(check(&db, &id, ANY, &code, now + TimeDelta::minutes(9)).await.is_ok());
        let e = check(&db, &id, ANY, &code, now + TimeDelta::minutes(10)).await.unwrap_err();
        assert!(e.field_message("code").unwrap().contains("истёк"));
    }

    #[tokio::test]
    async fn five_wrong_entries_kill_the_code_even_for_the_right_one() {
        let db = db::memory().await.unwrap();
        let now = Utc::now();
        let id = phone_flow(&db, now).await;
        let code = sent_code(&db).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            check(&db, &id, ANY, wrong, now).await.unwrap_err();
        }
        let e = check(&db, &id, ANY, &code, now).await.unwrap_err();
        assert!(e.field_message("code").unwrap().contains("слишком много раз"));
        // A new code (after the cooldown) works again.
        send(&db, &settings(), &id, Channel::Sms, now + TimeDelta::seconds(61)).await.unwrap();
        let fresh = sent_code(&db).await;
        assert!(check(&db, &id, ANY, &fresh, now + TimeDelta::seconds(62)).await.is_ok());
    }

    #[tokio::test]
    async fn resend_waits_sixty_seconds_and_at_most_five_codes_an_hour() {
        let db = db::memory().await.unwrap();
        let now = Utc::now();
        let id = phone_flow(&db, now).await;
        let e = send(&db, &settings(), &id, Channel::Sms, now + TimeDelta::seconds(30)).await.unwrap_err();
        assert_eq!(e.field_message("code").unwrap(), "Новый код можно запросить через 30 с");
        for i in 1..5 {
            send(&db, &settings(), &id, Channel::Voice, now + TimeDelta::seconds(61 * i)).await.unwrap();
        }
        let e = send(&db, &settings(), &id, Channel::Sms, now + TimeDelta::seconds(61 * 5)).await.unwrap_err();
        assert!(e.field_message("code").unwrap().starts_with("Превышено число кодов за час"));
        // The cap is per contact: another flow for the same phone is refused too…
        let again = NewFlow {
            purpose: FlowPurpose::Phone,
            account: Some("b".into()),
            data: None,
            phone: Some("+79161234567".into()),
            email: None,
            channel: Channel::Sms,
            taken: Vec::new(),
        };
        assert!(start(&db, &settings(), again, now + TimeDelta::minutes(59)).await.is_err());
        // …until the first code is an hour old.
        phone_flow(&db, now + TimeDelta::seconds(3601)).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn forty_wrong_codes_sent_at_once_are_compared_at_most_five_times() {
        let db = db::memory().await.unwrap();
        let now = Utc::now();
        let id = phone_flow(&db, now).await;
        let code = sent_code(&db).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let (db, id) = (db.clone(), id.clone());
                tokio::spawn(async move { check(&db, &id, ANY, wrong, now).await.unwrap_err() })
            })
            .collect();
        let mut compared = 0;
        for t in tasks {
            let e = t.await.unwrap();
            let m = e.field_message("code").unwrap_or_else(|| panic!("{e:?}"));
            if m.starts_with("Неверный код") {
                compared += 1;
            } else {
                assert!(m.contains("слишком много раз"), "{m}");
            }
        }
        assert_eq!(compared, 5);
        // The right code is dead too.
        assert!(check(&db, &id, ANY, &code, now).await.is_err());
    }

    #[tokio::test]
    async fn a_channel_without_a_contact_is_refused_and_makes_no_new_code() {
        let db = db::memory().await.unwrap();
        let now = Utc::now();
        let id = phone_flow(&db, now).await;
        let code = sent_code(&db).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..4 {
            check(&db, &id, ANY, wrong, now).await.unwrap_err();
        }
        let e = send(&db, &settings(), &id, Channel::Email, now + TimeDelta::seconds(61)).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid { .. }), "{e:?}");
        // The last try is still the only one left for the code that was sent.
        let e = check(&db, &id, ANY, wrong, now).await.unwrap_err();
        assert!(e.field_message("code").unwrap().contains("Попытки закончились"));
    }

    #[tokio::test]
    async fn a_flow_is_gone_after_an_hour_and_ids_are_not_guessable() {
        let db = db::memory().await.unwrap();
        let now = Utc::now();
        let id = phone_flow(&db, now).await;
        assert_eq!(id.len(), 32);
        assert!(load(&db, &id, now + TimeDelta::minutes(61)).await.is_err());
        assert!(load(&db, "../etc", now).await.is_err());
    }
}
