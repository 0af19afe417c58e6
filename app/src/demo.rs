//! Demo data for `make run` (dev mode only): what a person needs to try the
//! portal — two citizens and one staff member per role, each with an
//! authenticator app whose key is printed. Idempotent: running it twice
//! changes nothing. Later areas add their own demo rows here (services,
//! fines, clinics).

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::RecordId;

use crate::auth::{Level, Role};
use crate::error::AppError;
use crate::platform::db::Db;
use crate::platform::db::QueryExt;
use crate::platform::password;
use crate::platform::request::internal;

/// A demo citizen. The passwords are public (README) and meet the policy.
pub struct DemoAccount {
    pub key: &'static str,
    pub surname: &'static str,
    pub name: &'static str,
    pub patronymic: &'static str,
    pub birth_date: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub snils: Option<&'static str>,
    pub inn: Option<&'static str>,
    pub passport: Option<&'static str>,
    pub address: Option<&'static str>,
    pub password: &'static str,
    /// Days since the password was set (over 90: must be changed at sign-in).
    pub password_age_days: i64,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        key: "demo_ivanov",
        surname: "Иванов",
        name: "Иван",
        patronymic: "Иванович",
        birth_date: "1985-05-15",
        phone: "+79160000001",
        email: "ivanov@example.ru",
        snils: Some("112-233-445 95"),
        inn: Some("500100732259"),
        passport: Some("45 10 123456, выдан ГУ МВД России по г. Москве 20.05.2015"),
        address: Some("125009, г. Москва, ул. Тверская, д. 7, кв. 12"),
        password: "Gosportal-Demo-2026!",
        password_age_days: 10,
    },
    DemoAccount {
        key: "demo_petrova",
        surname: "Петрова",
        name: "Мария",
        patronymic: "Сергеевна",
        birth_date: "1992-11-03",
        phone: "+79160000002",
        email: "petrova@example.ru",
        snils: None,
        inn: None,
        passport: None,
        address: None,
        password: "Petrova-Demo-2026!",
        password_age_days: 120,
    },
    // Two more people at the «Подтверждённая» level, who can apply for any
    // service at once (the browser tests of applications use one each).
    DemoAccount {
        key: "demo_sidorov",
        surname: "Сидоров",
        name: "Олег",
        patronymic: "Павлович",
        birth_date: "1979-02-21",
        phone: "+79160000003",
        email: "sidorov@example.ru",
        snils: Some("123-456-789 64"),
        inn: None,
        passport: Some("45 05 246810, выдан ОВД района Хамовники г. Москвы 12.03.2004, код подразделения 772-015"),
        address: Some("119048, г. Москва, ул. Усачёва, д. 15, кв. 40"),
        password: "Sidorov-Demo-2026!",
        password_age_days: 5,
    },
    DemoAccount {
        key: "demo_kovaleva",
        surname: "Ковалёва",
        name: "Анна",
        patronymic: "Игоревна",
        birth_date: "1990-08-09",
        phone: "+79160000004",
        email: "kovaleva@example.ru",
        snils: None,
        inn: None,
        passport: Some(
            "40 12 135790, выдан ТП УФМС России по г. Санкт-Петербургу 01.10.2012, код подразделения 780-021",
        ),
        address: Some("190000, г. Санкт-Петербург, Невский пр., д. 20, кв. 5"),
        password: "Kovaleva-Demo-2026!",
        password_age_days: 5,
    },
];

/// Whether `phone` already signs in to an account (seeding twice changes nothing).
async fn phone_taken(db: &Db, phone: &str) -> Result<bool, AppError> {
    let ident = crate::auth::identifier::Identifier::Phone(phone.to_string());
    Ok(crate::auth::accounts::find_by_login(db, &ident).await?.is_some())
}

/// Creates one account with its logins unless its phone is already taken.
pub async fn create_account(db: &Db, a: &DemoAccount, now: DateTime<Utc>) -> Result<bool, AppError> {
    if phone_taken(db, a.phone).await? {
        return Ok(false);
    }
    let hash = password::hash(a.password.to_string()).await?;
    let mut sql = String::from(
        "BEGIN;
         CREATE $login_phone SET account = $key;
         CREATE $login_email SET account = $key;\n",
    );
    if a.snils.is_some() {
        sql.push_str("CREATE $login_snils SET account = $key;\n");
    }
    if a.inn.is_some() {
        sql.push_str("CREATE $login_inn SET account = $key;\n");
    }
    sql.push_str(
        "CREATE $id SET surname = $surname, name = $name, patronymic = $patronymic, birth_date = $birth,
            phone = $phone, phone_confirmed = true, email = $email, email_confirmed = true, snils = $snils,
            inn = $inn, passport = $passport, registration_address = $address, postal_address = $address,
            level = $level, password_hash = $hash, password_changed_at = $changed, password_history = [],
            created_at = $now;
         COMMIT;",
    );
    db.query(sql)
        .bind(("login_phone", RecordId::new("login", format!("phone:{}", a.phone))))
        .bind(("login_email", RecordId::new("login", format!("email:{}", a.email))))
        .bind(("login_snils", RecordId::new("login", format!("snils:{}", a.snils.unwrap_or_default()))))
        .bind(("login_inn", RecordId::new("login", format!("inn:{}", a.inn.unwrap_or_default()))))
        .bind(("key", a.key.to_string()))
        // A demo citizen with a passport on record has been to an МФЦ
        // («Подтверждённая»); one without is where registration leaves a
        // person («Упрощённая») and can try the identity check.
        .bind(("level", if a.passport.is_some() { Level::Confirmed } else { Level::Simplified }))
        .bind(("id", RecordId::new("account", a.key.to_string())))
        .bind(("surname", a.surname.to_string()))
        .bind(("name", a.name.to_string()))
        .bind(("patronymic", Some(a.patronymic.to_string())))
        .bind(("birth", a.birth_date.to_string()))
        .bind(("phone", a.phone.to_string()))
        .bind(("email", a.email.to_string()))
        .bind(("snils", a.snils.map(str::to_string)))
        .bind(("inn", a.inn.map(str::to_string)))
        .bind(("passport", a.passport.map(str::to_string)))
        .bind(("address", a.address.map(str::to_string)))
        .bind(("hash", hash))
        .bind(("changed", now - TimeDelta::days(a.password_age_days)))
        .bind(("now", now))
        .exec("demo account")
        .await?;
    Ok(true)
}

/// A demo staff member: a known password and an authenticator app with a
/// known key (README lists both), so the console opens at once.
pub struct DemoStaff {
    pub key: &'static str,
    pub surname: &'static str,
    pub name: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub roles: &'static [Role],
    pub department: Option<&'static str>,
    pub office: Option<&'static str>,
    pub password: &'static str,
    /// The authenticator key, base32 (20 bytes).
    pub totp_key: &'static str,
}

pub const DEMO_STAFF: &[DemoStaff] = &[
    DemoStaff {
        key: "demo_operator",
        surname: "Смирнова",
        name: "Ольга",
        phone: "+79160000101",
        email: "operator@example.ru",
        roles: &[Role::Operator],
        department: None,
        office: Some("МФЦ района Тверской, ул. Тверская, д. 11"),
        password: "Operator-Demo-2026!",
        totp_key: "KRUGKIDUNBSSA3DFORSGK4TTEBXWMIDP",
    },
    DemoStaff {
        key: "demo_official",
        surname: "Кузнецов",
        name: "Пётр",
        phone: "+79160000102",
        email: "official@example.ru",
        roles: &[Role::Official],
        department: Some("Министерство социальной защиты"),
        office: None,
        password: "Official-Demo-2026!",
        totp_key: "MZXW6YTBOI3DEMRQGI3DAMBQGAYDAMBQ",
    },
    DemoStaff {
        key: "demo_official_mvd",
        surname: "Сергеев",
        name: "Алексей",
        phone: "+79160000105",
        email: "official.mvd@example.ru",
        roles: &[Role::Official],
        department: Some("МВД России"),
        office: None,
        password: "Mvd-Official-Demo-2026!",
        totp_key: "ONSWG4TFOQYTEMZUGU3DOOBZGAYTEMZU",
    },
    DemoStaff {
        key: "demo_support",
        surname: "Волкова",
        name: "Елена",
        phone: "+79160000103",
        email: "support@example.ru",
        roles: &[Role::Support],
        department: None,
        office: None,
        password: "Support-Demo-2026!",
        totp_key: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    },
    DemoStaff {
        key: "demo_admin",
        surname: "Соколов",
        name: "Андрей",
        phone: "+79160000104",
        email: "admin@example.ru",
        roles: &[Role::Admin],
        department: None,
        office: None,
        password: "Admin-Demo-2026!x",
        totp_key: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    },
];

/// Creates one staff member with logins and an authenticator app, unless
/// the phone is already taken.
pub async fn create_staff(db: &Db, a: &DemoStaff, now: DateTime<Utc>) -> Result<bool, AppError> {
    if phone_taken(db, a.phone).await? {
        return Ok(false);
    }
    let hash = password::hash(a.password.to_string()).await?;
    db.query(
        "BEGIN;
         CREATE $login_phone SET account = $key;
         CREATE $login_email SET account = $key;
         CREATE $id SET surname = $surname, name = $name, birth_date = '', phone = $phone, phone_confirmed = true,
            email = $email, email_confirmed = true, level = 'simplified', password_hash = $hash,
            password_changed_at = $now, password_history = [], created_at = $now, roles = $roles,
            department = $department, office = $office, disabled = false, password_temporary = false;
         CREATE $mfa SET sms = false, totp_secret = $totp, totp_last_step = 0, backup_hashes = [], failed = 0,
            updated_at = $now;
         COMMIT;",
    )
    .bind(("login_phone", RecordId::new("login", format!("phone:{}", a.phone))))
    .bind(("login_email", RecordId::new("login", format!("email:{}", a.email))))
    .bind(("key", a.key.to_string()))
    .bind(("id", RecordId::new("account", a.key.to_string())))
    .bind(("mfa", RecordId::new("mfa", a.key.to_string())))
    .bind(("surname", a.surname.to_string()))
    .bind(("name", a.name.to_string()))
    .bind(("phone", a.phone.to_string()))
    .bind(("email", a.email.to_string()))
    .bind(("hash", hash))
    .bind(("roles", a.roles.to_vec()))
    .bind(("department", a.department.map(str::to_string)))
    .bind(("office", a.office.map(str::to_string)))
    .bind(("totp", crate::platform::secrets::seal(a.totp_key).ok_or_else(|| internal("totp seal", "failed"))?))
    .bind(("now", now))
    .exec("demo staff")
    .await?;
    Ok(true)
}

/// Loads the demo data and returns lines describing it for the console.
pub async fn seed(db: &Db, now: DateTime<Utc>) -> Result<Vec<String>, AppError> {
    let mut lines = Vec::new();
    for a in DEMO_ACCOUNTS {
        let created = create_account(db, a, now).await?;
        let note = if a.password_age_days > 90 {
            " (пароль устарел: при входе попросит сменить)"
        } else {
            ""
        };
        lines.push(format!(
            "{} {}: телефон {} или {}, пароль {}{note}{}",
            a.surname,
            a.name,
            a.phone,
            a.email,
            a.password,
            if created { "" } else { " — уже есть" }
        ));
    }
    for a in DEMO_STAFF {
        let created = create_staff(db, a, now).await?;
        let roles = a.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
        lines.push(format!(
            "{} {} ({roles}): телефон {} или {}, пароль {}, ключ приложения {}{}",
            a.surname,
            a.name,
            a.phone,
            a.email,
            a.password,
            a.totp_key,
            if created { "" } else { " — уже есть" }
        ));
    }
    Ok(lines)
}

/// «Документы»: a passport scan of the first demo citizen waiting in the
/// official's queue (`/staff/official/documents`), unless they already
/// have documents. The file (a sample from the tests) goes to `files`.
pub async fn seed_documents(
    db: &Db,
    files: &crate::platform::files::Files,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    use crate::documents::model::{DocKind, FileFormat};
    use crate::documents::store::{self, NewDocument};
    let a = &DEMO_ACCOUNTS[0];
    if !store::documents_of(db, a.key).await?.is_empty() {
        return Ok(Vec::new());
    }
    let bytes = include_bytes!("../tests/fixtures/passport.jpg").to_vec();
    let size = bytes.len();
    let hash = files.put(bytes).await?;
    let key = uuid::Uuid::new_v4().simple().to_string();
    let new = NewDocument {
        key: &key,
        account: a.key,
        kind: DocKind::Passport,
        format: FileFormat::Jpeg,
        hash: &hash,
        size,
        name: "паспорт.jpg",
        replaces: None,
        subject: "Проверка документа «Паспорт гражданина РФ»",
    };
    store::create_document(db, new, now).await?;
    Ok(vec![format!("{} {}: скан паспорта ждёт проверки в /staff/official/documents", a.surname, a.name)])
}

/// Ivanov's vehicle certificate and driver's licence, so «Задолженности и
/// штрафы» shows fines on the demo (the simulated ГИС ГМП's fixture rules:
/// СТС …3 → a fresh and an old fine, ВУ …1 → a seat-belt fine).
pub async fn seed_payments(db: &Db, now: DateTime<Utc>) -> Result<Vec<String>, AppError> {
    let a = &DEMO_ACCOUNTS[0];
    let mut made = Vec::new();
    for (kind, number) in [("sts", "77УК123453"), ("vu", "9912345671")] {
        if crate::payments::store::add_doc(db, a.key, kind, number, now).await? {
            made.push(format!("{}: {kind} {number}", a.key));
        }
    }
    Ok(made)
}
