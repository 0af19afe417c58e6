//! The account rules that need data: registration, recovery, password
//! changes, «Личные данные» and contact changes. Rules that need no data
//! come from `model.rs` (shared with the browser); this module has the
//! final word; its writes are in `store.rs`. It never logs or returns a
//! password or its hash.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::dto::Profile;
use super::model::{
    Identifier, PasswordContext, check_password, keyboard_layout_hint, normalize_email, normalize_phone,
    password_too_long, validate_birth_date, validate_name,
};
use super::store::{self, Contact, NewCitizen};
use crate::auth::flows::{self, FlowPurpose, NewFlow};
use crate::error::AppError;
use crate::format::pretty_phone;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::Db;
use crate::platform::outbox::Channel;
use crate::platform::password;
use crate::platform::request::internal;

pub(crate) use crate::auth::accounts::{AccountRow, find_by_login, load};

// ---------------------------------------------------------------- passwords

/// The whole password check with a field name for each problem: the shared
/// policy, the repeat, the strength estimate and the history.
async fn check_new_password(
    s: &AuthSettings,
    ctx: &PasswordContext<'_>,
    pass: &str,
    repeat: &str,
    previous: &[String],
) -> Result<(), AppError> {
    if pass.is_empty() {
        return Err(AppError::field("password", "Придумайте пароль"));
    }
    if let Some(m) = password_too_long(&s.policy, pass) {
        return Err(AppError::field("password", m));
    }
    let unmet: Vec<String> = check_password(&s.policy, ctx, pass)
        .into_iter()
        .filter(|(_, met)| !met)
        .map(|(r, _)| r.text(&s.policy))
        .collect();
    if !unmet.is_empty() {
        let hint = keyboard_layout_hint(pass).map(|h| format!(". {h}")).unwrap_or_default();
        return Err(AppError::field(
            "password",
            format!("Пароль не соответствует требованиям: {}{hint}", unmet.join("; ").to_lowercase()),
        ));
    }
    let inputs: Vec<&str> =
        [ctx.surname, ctx.name, ctx.patronymic, ctx.login].into_iter().filter(|s| !s.is_empty()).collect();
    if password::strength(pass, &inputs) < s.password_min_score {
        return Err(AppError::field(
            "password",
            "Этот пароль слишком простой или часто встречается. Добавьте несколько слов или символов",
        ));
    }
    if pass != repeat {
        return Err(AppError::field("password2", "Пароли не совпадают"));
    }
    if !previous.is_empty() && password::matches_any(pass.to_string(), previous.to_vec()).await? {
        return Err(AppError::field(
            "password",
            format!("Этот пароль уже использовался. Придумайте пароль, не совпадающий с последними {}", previous.len()),
        ));
    }
    Ok(())
}

fn context_of(a: &AccountRow) -> PasswordContext<'_> {
    PasswordContext {
        surname: &a.surname,
        name: &a.name,
        patronymic: a.patronymic.as_deref().unwrap_or(""),
        birth_date: a.birth(),
        login: a.phone.as_deref().or(a.email.as_deref()).unwrap_or(""),
    }
}

/// Sets a new password after the full check; the old hash joins the
/// history. A sign-in waiting for its second step after the OLD password
/// (someone who knew it) is cancelled.
pub async fn set_password(
    db: &Db,
    s: &AuthSettings,
    account: &AccountRow,
    pass: &str,
    repeat: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let keep = s.password_history as usize;
    let mut previous = vec![account.password_hash.clone()];
    previous.extend(account.password_history.iter().cloned());
    previous.truncate(keep.max(1));
    let checked = if keep == 0 { &previous[..0] } else { &previous[..] };
    check_new_password(s, &context_of(account), pass, repeat, checked).await?;
    let hash = password::hash(pass.to_string()).await?;
    store::set_password_hash(db, &account.id, hash, previous, now).await?;
    flows::end_sign_ins(db, &account.key()).await
}

// ---------------------------------------------------------------- registration

/// The «Регистрация» form as typed (its `Debug` hides the passwords).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RegistrationForm {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    /// ДД.ММ.ГГГГ or ГГГГ-ММ-ДД
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    pub password: String,
    pub password2: String,
    pub consent: bool,
}

impl std::fmt::Debug for RegistrationForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationForm")
            .field("surname", &self.surname)
            .field("name", &self.name)
            .field("phone", &self.phone)
            .field("email", &self.email)
            .field("password", &"***")
            .field("password2", &"***")
            .finish_non_exhaustive()
    }
}

/// What a registration flow keeps until the code is entered. The password
/// hash travels sealed (`platform::secrets`): the flow's data in the
/// database never holds it in the clear.
#[derive(Clone, Serialize, Deserialize)]
struct PendingAccount {
    surname: String,
    name: String,
    patronymic: String,
    birth_date: String,
    phone: Option<String>,
    email: Option<String>,
    sealed_password_hash: String,
}

const PHONE_TAKEN: &str =
    "Этот номер уже указан в другой учётной записи. Войдите с ним или восстановите пароль через «Забыли пароль?»";
const EMAIL_TAKEN: &str =
    "Эта почта уже указана в другой учётной записи. Войдите с ней или восстановите пароль через «Забыли пароль?»";

/// Checks the form, refuses a phone or e-mail that already has an account,
/// and sends the first code. Returns the flow id for the code page.
pub async fn start_registration(
    db: &Db,
    s: &AuthSettings,
    f: &RegistrationForm,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut errors: Vec<(&str, String)> = Vec::new();
    let surname = validate_name("Фамилия", &f.surname, true).map_err(|m| errors.push(("surname", m))).ok();
    let name = validate_name("Имя", &f.name, true).map_err(|m| errors.push(("name", m))).ok();
    let patronymic = validate_name("Отчество", &f.patronymic, false).map_err(|m| errors.push(("patronymic", m))).ok();
    let birth = validate_birth_date(&f.birth_date, now.date_naive())
        .map_err(|m| errors.push(("birth_date", m.to_string())))
        .ok();
    let phone = if f.phone.trim().is_empty() {
        None
    } else {
        normalize_phone(&f.phone).map_err(|m| errors.push(("phone", m.to_string()))).ok()
    };
    let email = if f.email.trim().is_empty() {
        None
    } else {
        normalize_email(&f.email).map_err(|m| errors.push(("email", m.to_string()))).ok()
    };
    if f.phone.trim().is_empty() && f.email.trim().is_empty() {
        errors.push(("phone", "Укажите мобильный телефон или электронную почту — на них придёт код".to_string()));
    }
    // A phone or e-mail that already has an account is NOT named on the
    // page (that would tell anyone who is registered): see below.
    let ctx = PasswordContext {
        surname: surname.as_deref().unwrap_or(""),
        name: name.as_deref().unwrap_or(""),
        patronymic: patronymic.as_deref().unwrap_or(""),
        birth_date: birth,
        login: phone.as_deref().or(email.as_deref()).unwrap_or(""),
    };
    if let Err(AppError::Invalid { fields, .. }) = check_new_password(s, &ctx, &f.password, &f.password2, &[]).await {
        for fe in fields {
            let field = if fe.field == "password2" { "password2" } else { "password" };
            errors.push((field, fe.message));
        }
    }
    if !f.consent {
        errors.push((
            "consent",
            "Подтвердите согласие с пользовательским соглашением и политикой конфиденциальности".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let (Some(surname), Some(name), Some(patronymic), Some(birth)) = (surname, name, patronymic, birth) else {
        return Err(AppError::invalid("Проверьте поля формы"));
    };

    // The same answer for a contact with an account and one without: the
    // code page. A code meant for a contact that another account holds goes
    // to its holder as a notice instead (only they read it), and no code can
    // finish through it (`flows::decoy`). The other contact, if free, gets
    // real codes when the person switches to it. Only the contact a right
    // code went to is confirmed and becomes a login, so a taken second
    // contact never collides.
    let mut taken = Vec::new();
    if let Some(p) = &phone
        && find_by_login(db, &Identifier::Phone(p.clone())).await?.is_some()
    {
        taken.push("phone");
    }
    if let Some(e) = &email
        && find_by_login(db, &Identifier::Email(e.clone())).await?.is_some()
    {
        taken.push("email");
    }
    let channel = if phone.is_some() { Channel::Sms } else { Channel::Email };
    let pending = PendingAccount {
        surname,
        name,
        patronymic,
        birth_date: birth.format("%Y-%m-%d").to_string(),
        phone: phone.clone(),
        email: email.clone(),
        sealed_password_hash: crate::platform::secrets::seal(&password::hash(f.password.clone()).await?)
            .ok_or_else(|| internal("registration seal", "failed"))?,
    };
    let data = serde_json::to_string(&pending).map_err(|e| internal("registration data", e))?;
    flows::start(
        db,
        s,
        NewFlow { purpose: FlowPurpose::Register, account: None, data: Some(data), phone, email, channel, taken },
        now,
    )
    .await
}

/// The code was right: the account is created at level «упрощённая» with
/// the contact the code went to confirmed. Returns the account key.
pub async fn finish_registration(db: &Db, flow_id: &str, code: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let flow = flows::check(db, flow_id, &[FlowPurpose::Register], code, now).await?;
    if flow.purpose != FlowPurpose::Register {
        return Err(AppError::invalid(flows::EXPIRED_FLOW));
    }
    let pending: PendingAccount = flow
        .data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .ok_or_else(|| internal("registration data", "flow without data"))?;
    let by_email = flow.channel == Channel::Email;
    let phone_confirmed = pending.phone.is_some() && !by_email;
    let email_confirmed = pending.email.is_some() && by_email;

    let key = uuid::Uuid::new_v4().simple().to_string();
    let new = NewCitizen {
        key: key.clone(),
        surname: pending.surname,
        name: pending.name,
        patronymic: Some(pending.patronymic).filter(|p| !p.is_empty()),
        birth_date: pending.birth_date,
        phone: pending.phone,
        phone_confirmed,
        email: pending.email,
        email_confirmed,
        password_hash: crate::platform::secrets::open(&pending.sealed_password_hash)
            .ok_or_else(|| internal("registration data", "the sealed password does not open"))?,
    };
    if !store::create_citizen(db, new, now).await? {
        let field = if by_email { "email" } else { "phone" };
        let message = if by_email { EMAIL_TAKEN } else { PHONE_TAKEN };
        return Err(AppError::field(field, message));
    }
    flows::delete(db, flow_id).await?;
    Ok(key)
}

// ---------------------------------------------------------------- recovery

/// «Забыли пароль?» step 1. The answer is the same whether or not the login
/// exists: a flow is made either way; for an unknown login it has no
/// account and no code can ever be right. A phone or e-mail login gets the
/// code on that very contact (so naming it on the page reveals nothing);
/// a СНИЛС or ИНН login gets it on the account's phone, else its e-mail.
pub async fn start_recovery(db: &Db, s: &AuthSettings, login: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let ident = super::model::parse_identifier(login).map_err(|m| AppError::field("login", m))?;
    let account = match find_by_login(db, &ident).await? {
        Some(k) => load(db, &k).await?,
        None => None,
    };
    let (phone, email, generic) = match (&ident, &account) {
        (Identifier::Phone(p), _) => (Some(p.clone()), None, false),
        (Identifier::Email(e), _) => (None, Some(e.clone()), false),
        (_, Some(a)) => {
            let phone = a.phone.clone().filter(|_| a.phone_confirmed);
            let email = if phone.is_some() { None } else { a.email.clone().filter(|_| a.email_confirmed) };
            (phone, email, true)
        }
        (_, None) => (None, None, true),
    };
    // An unknown login keeps the typed contact too, so the code page reads
    // the same; `flows::send` never sends for a recovery without an account.
    let channel = if email.is_some() && phone.is_none() { Channel::Email } else { Channel::Sms };
    let new = NewFlow {
        purpose: FlowPurpose::Recover,
        account: account.map(|a| a.key()),
        data: generic.then(|| format!("{}:{}", flows::RECOVERY_BY_NUMBER, crate::auth::accounts::login_key(&ident))),
        phone,
        email,
        channel,
        taken: Vec::new(),
    };
    flows::start(db, s, new, now).await
}

/// «Забыли пароль?» step 2: code and new password. Every session ends, the
/// lock is lifted, the owner gets a notice.
// The form's three fields, the code's flow, and where links point: each a
// distinct input; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub async fn finish_recovery(
    db: &Db,
    s: &AuthSettings,
    public_url: &str,
    flow_id: &str,
    code: &str,
    pass: &str,
    repeat: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Shape of the password first: a typo there must not use up a code attempt.
    if pass.is_empty() {
        return Err(AppError::field("password", "Придумайте новый пароль"));
    }
    let flow = flows::check(db, flow_id, &[FlowPurpose::Recover], code, now).await?;
    let account = match flow.account.as_deref() {
        Some(k) if flow.purpose == FlowPurpose::Recover => load(db, k).await?,
        _ => None,
    }
    .ok_or_else(|| AppError::invalid(flows::EXPIRED_FLOW))?;
    set_password(db, s, &account, pass, repeat, now).await?;
    let key = account.key();
    crate::auth::sessions::end_all(db, &key, None).await?;
    crate::auth::lockout::unlock(db, &key, now).await?;
    crate::auth::mfa::right_code(db, &key, now).await?;
    crate::auth::devices::forget_all(db, &key).await?;
    store::clear_recovery_required(db, &key).await?;
    flows::delete(db, flow_id).await?;
    crate::notify::security_notice(
        db,
        public_url,
        &account,
        "Пароль изменён",
        "пароль от вашего личного кабинета восстановлен, все сеансы завершены.",
        now,
    )
    .await
}

// ---------------------------------------------------------------- profile

pub fn profile_of(a: &AccountRow) -> Profile {
    Profile {
        surname: a.surname.clone(),
        name: a.name.clone(),
        patronymic: a.patronymic.clone().unwrap_or_default(),
        birth_date: a.birth().map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|| a.birth_date.clone()),
        passport: a.passport.clone(),
        registration_address: a.registration_address.clone(),
        postal_address: a.postal_address.clone(),
        phone: a.phone.as_deref().map(pretty_phone),
        phone_confirmed: a.phone_confirmed,
        email: a.email.clone(),
        email_confirmed: a.email_confirmed,
        snils: a.snils.clone(),
        inn: a.inn.clone(),
        level: a.level,
        level_history: Vec::new(),
        proof_fresh: false,
    }
}

/// The postal address: free text, 5..300 characters, no control characters.
pub fn validate_address(input: &str) -> Result<Option<String>, &'static str> {
    let a = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if a.is_empty() {
        return Ok(None);
    }
    if a.chars().count() < 5 || !a.chars().any(char::is_alphabetic) {
        return Err("Укажите адрес полностью: индекс, город, улицу, дом и квартиру");
    }
    if a.chars().count() > 300 {
        return Err("Адрес — не длиннее 300 символов");
    }
    Ok(Some(a))
}

pub async fn save_postal_address(db: &Db, account: &str, input: &str) -> Result<(), AppError> {
    let address = validate_address(input).map_err(|m| AppError::field("postal_address", m))?;
    store::set_postal_address(db, account, address).await
}

/// A new (or not yet confirmed) phone or e-mail: a code goes to it.
/// `kind` is `phone` or `email`.
pub async fn start_contact_change(
    db: &Db,
    s: &AuthSettings,
    account: &str,
    kind: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let a = load(db, account).await?.ok_or(AppError::Unauthorized)?;
    let (ident, purpose, channel) = match kind {
        "phone" => (
            normalize_phone(value).map(Identifier::Phone).map_err(|m| AppError::field("phone", m))?,
            FlowPurpose::Phone,
            Channel::Sms,
        ),
        "email" => (
            normalize_email(value).map(Identifier::Email).map_err(|m| AppError::field("email", m))?,
            FlowPurpose::Email,
            Channel::Email,
        ),
        _ => return Err(AppError::invalid("Неизвестный вид контакта")),
    };
    let same = match &ident {
        Identifier::Phone(p) => a.phone.as_deref() == Some(p) && a.phone_confirmed,
        Identifier::Email(e) => a.email.as_deref() == Some(e) && a.email_confirmed,
        _ => false,
    };
    if same {
        return Err(AppError::field(kind, "Этот контакт уже указан и подтверждён в вашей учётной записи"));
    }
    // A contact another account holds is not named: the code page comes
    // as always, its holder gets a notice instead of a code (see `flows::TAKEN`).
    let taken = find_by_login(db, &ident).await?.is_some_and(|k| k != account);
    let (phone, email) = match ident {
        Identifier::Phone(p) => (Some(p), None),
        Identifier::Email(e) => (None, Some(e)),
        _ => (None, None),
    };
    let taken = if taken { vec![kind_name(purpose)] } else { Vec::new() };
    let new = NewFlow { purpose, account: Some(account.to_string()), data: None, phone, email, channel, taken };
    flows::start(db, s, new, now).await
}

fn kind_name(purpose: FlowPurpose) -> &'static str {
    if purpose == FlowPurpose::Email { "email" } else { "phone" }
}

/// The code from the new contact was right: it replaces the old one, which
/// stops being a login; the old contact gets a notice.
pub async fn finish_contact_change(
    db: &Db,
    public_url: &str,
    account: &str,
    flow_id: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let flow = flows::check(db, flow_id, &[FlowPurpose::Phone, FlowPurpose::Email], code, now).await?;
    if flow.account.as_deref() != Some(account) {
        return Err(AppError::invalid(flows::EXPIRED_FLOW));
    }
    let a = load(db, account).await?.ok_or(AppError::Unauthorized)?;
    let (contact, new_value, old) = match flow.purpose {
        FlowPurpose::Phone => (Contact::Phone, flow.phone.clone(), a.phone.clone().filter(|_| a.phone_confirmed)),
        FlowPurpose::Email => (Contact::Email, flow.email.clone(), a.email.clone().filter(|_| a.email_confirmed)),
        _ => return Err(AppError::invalid(flows::EXPIRED_FLOW)),
    };
    let kind = contact.as_str();
    let new_value = new_value.ok_or_else(|| AppError::invalid(flows::EXPIRED_FLOW))?;
    if !store::replace_contact(db, account, contact, old, &new_value, now).await? {
        return Err(AppError::field(kind, if contact == Contact::Phone { PHONE_TAKEN } else { EMAIL_TAKEN }));
    }
    flows::delete(db, flow_id).await?;
    // The old contact learns of the change (a hijacker would want it silent).
    let what = if contact == Contact::Phone {
        "номер телефона"
    } else {
        "адрес электронной почты"
    };
    crate::notify::security_notice(
        db,
        public_url,
        &a,
        "Контакт изменён",
        &format!("в вашем личном кабинете изменён {what}."),
        now,
    )
    .await?;
    Ok(kind.to_string())
}

/// «Кто обращался к моим данным»: the citizen's rows, newest first.
pub async fn access_log(db: &Db, account: &str) -> Result<Vec<crate::account::dto::AccessView>, AppError> {
    let rows = crate::auth::access::for_citizen(db, account, 200).await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::account::dto::AccessView {
            key: crate::platform::db::record_key(&r.id),
            at: crate::format::msk(r.at),
            role: r.role.label().to_string(),
            unit: r.unit,
            what: r.what,
            why: r.why,
            reported: r.reported_at.is_some(),
        })
        .collect())
}

/// The account's level raises for the profile.
pub async fn level_history(db: &Db, account: &str) -> Result<Vec<crate::account::dto::LevelStep>, AppError> {
    let rows = crate::auth::levels::history(db, account).await?;
    Ok(rows
        .into_iter()
        .map(|e| crate::account::dto::LevelStep {
            to: e.to.label().to_string(),
            route: e.route.label().to_string(),
            at: crate::format::msk(e.at),
        })
        .collect())
}
