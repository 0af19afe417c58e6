//! The МФЦ console's rules on the real database engine in memory.

// See account/tests.rs: clippy does not treat this cfg as test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use surrealdb::types::SurrealValue;

use super::model::RegisterForm;
use super::service::{self, CodeFor};
use crate::auth::access;
use crate::auth::caller::StaffCaller;
use crate::auth::personal::PassportInput;
use crate::auth::{Level, Role, accounts, levels};
use crate::demo::DEMO_ACCOUNTS;
use crate::error::AppError;
use crate::platform::auth_settings::AuthSettings;
use crate::platform::db::{Db, QueryExt};
use crate::testing::{caller, staff_key, t0, with_people};

async fn operator(db: &Db) -> StaffCaller {
    StaffCaller::for_tests(caller(db, staff_key(Role::Operator), true, t0()).await)
}

fn sokolova() -> RegisterForm {
    RegisterForm {
        surname: "Соколова".into(),
        name: "Елена".into(),
        patronymic: "Викторовна".into(),
        birth_date: "14.02.1991".into(),
        snils: "156-372-948 94".into(),
        passport: PassportInput {
            series: "45 12".into(),
            number: "654321".into(),
            issued_on: "20.03.2011".into(),
            issued_by: "ГУ МВД России по г. Москве".into(),
            division_code: "770-005".into(),
        },
        phone: "+7 916 555-12-34".into(),
        email: String::new(),
        address: "г. Москва, ул. Лесная, д. 5, кв. 1".into(),
    }
}

async fn account_by_snils(db: &Db, snils: &str) -> accounts::AccountRow {
    let ident = crate::auth::identifier::Identifier::Snils(snils.to_string());
    let key = accounts::find_by_login(db, &ident).await.unwrap().expect("a СНИЛС login");
    accounts::load(db, &key).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_person_registered_at_an_mfc_is_confirmed_and_gets_a_one_time_password() {
    crate::platform::secrets::init(None, &[]);
    let db = with_people().await;
    let op = operator(&db).await;
    let task = service::register(&db, &AuthSettings::default(), &op, &sokolova(), t0()).await.unwrap();
    let a = account_by_snils(&db, "156-372-948 94").await;
    assert_eq!(a.level, Level::Confirmed);
    assert!(a.password_temporary);
    assert_eq!(
        a.passport.as_deref(),
        Some("45 12 654321, выдан ГУ МВД России по г. Москве 20.03.2011, код подразделения 770-005")
    );
    assert!(!a.phone_confirmed, "the phone is confirmed by its owner later");
    // The operator of the visit sees the activation code, and it is the password.
    let visit = service::visit(&db, &op, &task, t0()).await.unwrap();
    let issued = visit.issued.expect("the activation code");
    assert_eq!(issued.login, "156-372-948 94");
    assert!(crate::platform::password::verify(issued.password.clone(), a.password_hash.clone()).await.unwrap());
    // The history and the citizen's list say who did it.
    let history = levels::history(&db, &a.key()).await.unwrap();
    assert_eq!(history[0].route, crate::auth::LevelRoute::Mfc);
    let rows = access::for_citizen(&db, &a.key(), 10).await.unwrap();
    let registration = rows.iter().find(|r| r.what.starts_with("Регистрация:")).expect("the registration row");
    assert_eq!(registration.role, Role::Operator);
    assert!(registration.why.starts_with("Регистрация в МФЦ"), "{}", registration.why);
    // The same СНИЛС again: refused on the field, nothing created.
    let again = service::register(&db, &AuthSettings::default(), &op, &sokolova(), t0()).await.unwrap_err();
    assert!(again.field_message("passport_number").is_some(), "{again:?}");
}

#[tokio::test]
async fn the_sheet_is_a_pdf_for_the_operator_of_the_visit_only() {
    crate::platform::secrets::init(None, &[]);
    let db = with_people().await;
    let op = operator(&db).await;
    let task = service::register(&db, &AuthSettings::default(), &op, &sokolova(), t0()).await.unwrap();
    let pdf = service::sheet(&db, &op, &task, "https://gosportal.example", t0()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let doc = printpdf::lopdf::Document::load_mem(&pdf).expect("a PDF that parses");
    assert_eq!(doc.get_pages().len(), 1);
    if let Ok(path) = std::env::var("PORTAL_DUMP_PDF") {
        std::fs::write(path, &pdf).unwrap();
    }
    let text = pdf_text(&doc);
    for expected in ["Госпортал", "Соколова Елена Викторовна", "Логин (СНИЛС):", "156-372-948 94", "Временный пароль:"]
    {
        assert!(text.contains(expected), "{expected} not on the sheet:\n{text}");
    }
    let visit = service::visit(&db, &op, &task, t0()).await.unwrap();
    assert!(text.contains(&visit.issued.unwrap().password), "the password is not on the sheet");
    // Thirty minutes later the sheet is gone; the code too.
    let later = t0() + chrono::TimeDelta::minutes(service::SHEET_MINUTES + 1);
    assert_eq!(service::sheet(&db, &op, &task, "https://x", later).await.unwrap_err(), AppError::NotFound);
    assert!(service::visit(&db, &op, &task, later).await.unwrap().issued.is_none());
    // An official cannot use an operator's visit.
    let off = StaffCaller::for_tests(caller(&db, staff_key(Role::Official), true, t0()).await);
    assert_eq!(service::visit(&db, &off, &task, t0()).await.unwrap_err(), AppError::Forbidden);
}

#[tokio::test]
async fn a_find_opens_a_visit_that_the_citizen_sees_and_an_ended_visit_closes() {
    let db = with_people().await;
    let op = operator(&db).await;
    let ivanov = &DEMO_ACCOUNTS[0];
    let missing = service::find(&db, &op, "156-372-948 94", t0()).await.unwrap_err();
    assert!(missing.field_message("query").is_some());
    let task = service::find(&db, &op, ivanov.snils.unwrap(), t0()).await.unwrap();
    let by_phone = service::find(&db, &op, "+7 916 000-00-01", t0()).await.unwrap();
    let by_passport = service::find(&db, &op, "45 10 123456", t0()).await.unwrap();
    for t in [&task, &by_phone, &by_passport] {
        assert_eq!(service::visit(&db, &op, t, t0()).await.unwrap().card.full_name, "Иванов Иван Иванович");
    }
    let rows = access::for_citizen(&db, ivanov.key, 10).await.unwrap();
    // Three searches and the card (once per visit): each visit writes both.
    assert!(rows.iter().any(|r| r.what.starts_with("Поиск по паспорту")));
    assert_eq!(rows.iter().filter(|r| r.what.starts_with("Поиск по")).count(), 3);
    service::end_visit(&db, &op, &task, t0()).await.unwrap();
    assert_eq!(service::visit(&db, &op, &task, t0()).await.unwrap_err(), AppError::Forbidden);
}

/// The newest six-digit code sent to `to`.
async fn code_to(db: &Db, to: &str) -> String {
    let body: String = db
        .query("SELECT VALUE body FROM outbox WHERE recipient = $p ORDER BY created_at DESC LIMIT 1")
        .bind(("p", to.to_string()))
        .one("code")
        .await
        .unwrap()
        .unwrap();
    assert!(body.contains("МФЦ"), "{body}");
    body.split_whitespace().find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_digit())).unwrap().into()
}

fn passport() -> PassportInput {
    PassportInput {
        series: "45 20".into(),
        number: "111222".into(),
        issued_on: "01.02.2013".into(),
        issued_by: "ГУ МВД России по г. Москве".into(),
        division_code: "770-001".into(),
    }
}

#[tokio::test]
async fn the_citizen_confirms_with_a_code_the_operator_never_sees() {
    let db = with_people().await;
    let op = operator(&db).await;
    let petrova = &DEMO_ACCOUNTS[1];
    let task = service::find(&db, &op, petrova.phone, t0()).await.unwrap();
    let s = AuthSettings::default();
    // Registered online: no СНИЛС or passport on record, nothing to check against yet.
    let e = service::start_code(&db, &s, &op, &task, CodeFor::Identity, t0()).await.unwrap_err();
    assert!(e.to_string().contains("СНИЛС и паспорт"), "{e}");
    let bad = service::set_documents(&db, &op, &task, "112-233-445 95", &passport(), t0()).await.unwrap_err();
    assert!(bad.field_message("snils").is_some(), "Иванов's СНИЛС is taken: {bad:?}");
    service::set_documents(&db, &op, &task, "156-372-948 94", &passport(), t0()).await.unwrap();

    let flow = service::start_code(&db, &s, &op, &task, CodeFor::Identity, t0()).await.unwrap();
    // What the PIN pad shows names the phone masked, never the code.
    let pad = service::pin_pad(&db, &op, &flow, t0()).await.unwrap();
    assert!(pad.sent_to.contains("***"), "{}", pad.sent_to);
    let code = code_to(&db, petrova.phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let e = service::finish_code(&db, &op, &flow, wrong, t0()).await.unwrap_err();
    assert!(e.field_message("code").is_some());
    assert_eq!(accounts::load(&db, petrova.key).await.unwrap().unwrap().level, Level::Simplified);
    // The generic code endpoints do not know this flow, and spend none of its tries.
    assert!(
        crate::auth::flows::check(&db, &flow, &[crate::auth::flows::FlowPurpose::Register], &code, t0()).await.is_err()
    );
    // Two submits of the right code at once: one raise, one row, one notice.
    let (a, b) = tokio::join!(
        service::finish_code(&db, &op, &flow, &code, t0()),
        service::finish_code(&db, &op, &flow, &code, t0())
    );
    assert!(a.is_ok() || b.is_ok(), "{a:?} {b:?}");
    assert_eq!(accounts::load(&db, petrova.key).await.unwrap().unwrap().level, Level::Confirmed);
    let rows = access::for_citizen(&db, petrova.key, 10).await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.what.starts_with("Подтверждение личности")).count(), 1);
    assert!(rows.iter().any(|r| r.what.starts_with("Внесены СНИЛС и паспорт")));
    #[derive(SurrealValue)]
    struct N {
        subject: String,
    }
    let notes: Vec<N> = db
        .query("SELECT subject FROM notification WHERE account = $a")
        .bind(("a", petrova.key))
        .all("n")
        .await
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].subject, "Личность подтверждена");
    // The flow is spent; a confirmed citizen needs no second one.
    assert!(service::finish_code(&db, &op, &flow, &code, t0()).await.is_err());
    assert!(service::start_code(&db, &s, &op, &task, CodeFor::Identity, t0()).await.is_err());
}

#[tokio::test]
async fn the_phone_typed_at_the_desk_becomes_a_login_once_its_owner_types_the_code() {
    crate::platform::secrets::init(None, &[]);
    let db = with_people().await;
    let op = operator(&db).await;
    let s = AuthSettings::default();
    let task = service::register(&db, &s, &op, &sokolova(), t0()).await.unwrap();
    let flow = service::start_code(&db, &s, &op, &task, CodeFor::Contact, t0()).await.unwrap();
    let code = code_to(&db, "+79165551234").await;
    let (_, what) = service::finish_code(&db, &op, &flow, &code, t0()).await.unwrap();
    assert_eq!(what, CodeFor::Contact);
    let a = account_by_snils(&db, "156-372-948 94").await;
    assert!(a.phone_confirmed);
    let ident = crate::auth::identifier::Identifier::Phone("+79165551234".into());
    assert_eq!(accounts::find_by_login(&db, &ident).await.unwrap(), Some(a.key()));
    assert!(service::start_code(&db, &s, &op, &task, CodeFor::Contact, t0()).await.is_err(), "confirmed already");
}

#[tokio::test]
async fn a_visit_is_its_operators_alone_and_ends_by_itself() {
    crate::platform::secrets::init(None, &[]);
    let db = with_people().await;
    let op = operator(&db).await;
    let form = crate::staff::model::StaffForm {
        surname: "Второй".into(),
        name: "Оператор".into(),
        phone: "+79160000199".into(),
        roles: vec![Role::Operator],
        office: "МФЦ района Арбат".into(),
        ..Default::default()
    };
    let policy = AuthSettings::default().policy;
    let (key, _) =
        crate::staff::service::create(&db, &policy, &crate::staff::service::Actor::Console, &form, t0()).await.unwrap();
    let other = StaffCaller::for_tests(caller(&db, &key, true, t0()).await);
    let task = service::register(&db, &AuthSettings::default(), &op, &sokolova(), t0()).await.unwrap();
    let s = AuthSettings::default();
    assert_eq!(service::visit(&db, &other, &task, t0()).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(service::sheet(&db, &other, &task, "https://x", t0()).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(
        service::start_code(&db, &s, &other, &task, CodeFor::Contact, t0()).await.unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(service::end_visit(&db, &other, &task, t0()).await.unwrap_err(), AppError::Forbidden);
    // Reading the visit again adds no row; the visit ends by itself.
    service::visit(&db, &op, &task, t0()).await.unwrap();
    service::visit(&db, &op, &task, t0()).await.unwrap();
    let a = account_by_snils(&db, "156-372-948 94").await;
    assert_eq!(access::for_citizen(&db, &a.key(), 10).await.unwrap().len(), 2, "registration and the card, once");
    let later = t0() + chrono::TimeDelta::hours(service::VISIT_HOURS);
    assert_eq!(service::visit(&db, &op, &task, later).await.unwrap_err(), AppError::Forbidden);
    // The purge forgets the sheet.
    super::store::purge(&db, later).await.unwrap();
    assert!(super::store::issue(&db, &task, t0()).await.unwrap().is_none());
}

#[tokio::test]
async fn a_passport_already_on_an_account_is_not_registered_again() {
    crate::platform::secrets::init(None, &[]);
    let db = with_people().await;
    let op = operator(&db).await;
    service::register(&db, &AuthSettings::default(), &op, &sokolova(), t0()).await.unwrap();
    let mut twin = sokolova();
    twin.snils = "112-233-445 95".into();
    let e = service::register(&db, &AuthSettings::default(), &op, &twin, t0()).await.unwrap_err();
    assert!(e.field_message("passport_number").is_some(), "{e:?}");
    // The database keeps the passport's key when the passport changes.
    let a = account_by_snils(&db, "156-372-948 94").await;
    db.query("UPDATE $id SET passport = '45 99 000001, выдан ГУ МВД России по г. Москве 01.01.2020, код подразделения 770-001'")
        .bind(("id", a.id.clone()))
        .exec("passport change")
        .await
        .unwrap();
    let task = service::find(&db, &op, "45 99 000001", t0()).await.unwrap();
    assert_eq!(service::visit(&db, &op, &task, t0()).await.unwrap().card.full_name, "Соколова Елена Викторовна");
}

/// The text of page 1 as a reader sees it: the glyph ids of the embedded
/// font mapped back to characters through its ToUnicode map (lopdf 0.31's
/// own `extract_text` does not read CID fonts).
fn pdf_text(doc: &printpdf::lopdf::Document) -> String {
    use printpdf::lopdf::Object;
    use printpdf::lopdf::content::Content;
    let hex = |s: &str| u32::from_str_radix(s.trim_matches(|c| c == '<' || c == '>'), 16).ok();
    let mut map = std::collections::HashMap::<u32, char>::new();
    for obj in doc.objects.values() {
        let Object::Stream(s) = obj else { continue };
        let data = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        let cmap = String::from_utf8_lossy(&data);
        if !cmap.contains("beginbfchar") && !cmap.contains("beginbfrange") {
            continue;
        }
        for line in cmap.lines() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if !parts.iter().all(|p| p.starts_with('<')) {
                continue;
            }
            match parts[..] {
                [cid, uni] => {
                    if let (Some(c), Some(u)) = (hex(cid), hex(uni).and_then(char::from_u32)) {
                        map.insert(c, u);
                    }
                }
                [from, to, uni] => {
                    if let (Some(a), Some(b), Some(u)) = (hex(from), hex(to), hex(uni)) {
                        for (i, c) in (a..=b).enumerate() {
                            if let Some(ch) = char::from_u32(u + i as u32) {
                                map.insert(c, ch);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let page = doc.get_pages()[&1];
    let content = Content::decode(&doc.get_page_content(page).unwrap()).unwrap();
    let mut out = String::new();
    let push = |o: &Object, out: &mut String| {
        if let Object::String(bytes, _) = o {
            for pair in bytes.chunks(2) {
                let cid = pair.iter().fold(0u32, |n, b| n * 256 + u32::from(*b));
                out.push(map.get(&cid).copied().unwrap_or('?'));
            }
        }
    };
    for op in content.operations {
        if op.operator == "Tj" || op.operator == "TJ" {
            for o in &op.operands {
                match o {
                    Object::Array(items) => items.iter().for_each(|i| push(i, &mut out)),
                    other => push(other, &mut out),
                }
            }
            out.push('\n');
        }
    }
    out
}

#[tokio::test]
async fn an_operator_cannot_walk_the_registry_with_searches() {
    let db = with_people().await;
    let op = operator(&db).await;
    for _ in 0..service::FINDS_PER_HOUR {
        let _ = service::find(&db, &op, "156-372-948 94", t0()).await;
    }
    let e = service::find(&db, &op, DEMO_ACCOUNTS[0].snils.unwrap(), t0()).await.unwrap_err();
    assert!(e.field_message("query").unwrap().contains("Слишком много"), "{e:?}");
}

#[tokio::test]
async fn ten_registrations_of_one_person_at_once_make_one_account() {
    crate::platform::secrets::init(None, &[]);
    let db = with_people().await;
    let op = operator(&db).await;
    let tries: Vec<_> = (0..10)
        .map(|_| {
            let (db, op) = (db.clone(), op.clone());
            tokio::spawn(async move { service::register(&db, &AuthSettings::default(), &op, &sokolova(), t0()).await })
        })
        .collect();
    let mut made = 0;
    for t in tries {
        match t.await.unwrap() {
            Ok(_) => made += 1,
            Err(e) => {
                assert!(e.field_message("snils").is_some() || e.field_message("passport_number").is_some(), "{e:?}")
            }
        }
    }
    assert_eq!(made, 1);
    let n: Option<i64> = db
        .query("SELECT VALUE count() FROM account WHERE snils = '156-372-948 94' GROUP ALL")
        .one("count")
        .await
        .unwrap();
    assert_eq!(n, Some(1));
}
