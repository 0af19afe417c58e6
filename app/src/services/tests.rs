//! Applications on the real engine in memory: drafts, «Отправить» once,
//! the department's hand-over, the official's claim and decisions, the
//! request for more and its answer, withdrawal, the result and its check,
//! and who may see what.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, TimeDelta, Utc};
use surrealdb::types::SurrealValue;

use super::form::Answers;
use super::model::Status;
use super::service::{self, Go};
use super::store;
use crate::auth::Role;
use crate::auth::caller::{Caller, StaffCaller};
use crate::demo::{self, DemoStaff};
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};
use crate::platform::files::Files;
use crate::testing::{caller, t0, with_people};

const SERVICE: &str = "passport-foreign";

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn official(db: &Db, key: &str) -> StaffCaller {
    StaffCaller::for_tests(caller(db, key, true, t0()).await)
}

/// A second official of МВД, and one of another department.
async fn more_officials(db: &Db) {
    for (key, phone, email, dept) in [
        ("mvd_two", "+79160000201", "mvd_two@example.ru", "МВД России"),
        ("rosreestr", "+79160000202", "rosreestr@example.ru", "Росреестр"),
    ] {
        let s = DemoStaff {
            key,
            surname: "Орлова",
            name: "Анна",
            phone,
            email,
            roles: &[Role::Official],
            department: Some(dept),
            office: None,
            password: "Another-Official-2026!",
            totp_key: "ONSWG4TFOQYTEMZUGU3DOOBZGAYTEMZU",
        };
        demo::create_staff(db, &s, t0()).await.unwrap();
    }
}

/// Ivanov's draft of the foreign passport, every step filled, at `now`.
async fn filled(db: &Db, me: &Caller, now: DateTime<Utc>) -> String {
    let key = service::start(db, me, SERVICE, None, now).await.unwrap();
    let steps = [
        answers(&[("name_changed", "no")]),
        answers(&[("kind", "new"), ("reason", "expiring")]),
        answers(&[
            ("address", "г. Москва, ул. Тверская, д. 7, кв. 12"),
            ("phone", "+79160000001"),
            ("work", "ООО «Ромашка», инженер, 2015–2026"),
        ]),
    ];
    for (i, a) in steps.iter().enumerate() {
        let to = service::post_step(db, me, &key, i, a, Go::Next, now).await.unwrap();
        assert_eq!(to, format!("/applications/{key}/edit?step={}", i + 1), "step {i}");
    }
    key
}

async fn status_of(db: &Db, key: &str) -> Status {
    store::load(db, key).await.unwrap().unwrap().status
}

#[tokio::test]
async fn a_draft_is_made_once_prefilled_from_the_profile_and_keeps_a_wrong_value() {
    let db = with_people().await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let a = service::start(&db, &me, SERVICE, None, t0()).await.unwrap();
    let b = service::start(&db, &me, SERVICE, None, t0()).await.unwrap();
    assert_eq!(a, b, "a second «Получить услугу» opens the same draft");
    let page = service::draft_page(&db, &me, &a, 0, false, t0()).await.unwrap();
    let value = |id: &str| page.fields.iter().find(|f| f.def.id == id).unwrap().value.clone();
    assert_eq!(value("surname"), "Иванов");
    assert_eq!(value("birth_date"), "15.05.1985");
    assert_eq!(value("passport"), "45 10 123456");
    assert!(page.fields.iter().find(|f| f.def.id == "surname").unwrap().locked);

    // A locked field posted with another value keeps the profile's; a
    // wrong answer is kept, and «Далее» stays on the step naming it.
    let posted = answers(&[("surname", "Петров"), ("name_changed", "yes"), ("old_names", "")]);
    let to = service::post_step(&db, &me, &a, 0, &posted, Go::Next, t0()).await.unwrap();
    assert_eq!(to, format!("/applications/{a}/edit?step=0&check=1"));
    let page = service::draft_page(&db, &me, &a, 0, true, t0()).await.unwrap();
    let f = |id: &str| page.fields.iter().find(|f| f.def.id == id).unwrap().clone();
    assert_eq!(f("surname").value, "Иванов");
    assert_eq!(f("name_changed").value, "yes");
    assert_eq!(f("old_names").error.as_deref(), Some("Заполните поле «Прежние фамилия, имя, отчество»"));

    // A step left with «Сохранить черновик» keeps a date typed wrong.
    service::post_step(&db, &me, &a, 1, &answers(&[("kind", "нет такого")]), Go::Save, t0()).await.unwrap();
    let page = service::draft_page(&db, &me, &a, 1, true, t0()).await.unwrap();
    let kind = page.fields.iter().find(|f| f.def.id == "kind").unwrap();
    assert_eq!(kind.value, "нет такого");
    assert_eq!(kind.error.as_deref(), Some("Выберите один из вариантов"));
}

#[tokio::test]
async fn a_service_above_the_account_level_is_refused_naming_the_level() {
    let db = with_people().await;
    let petrova = caller(&db, "demo_petrova", false, t0()).await;
    match service::start(&db, &petrova, SERVICE, None, t0()).await {
        Err(AppError::LevelTooLow { needed, .. }) => assert_eq!(needed, "Подтверждённая"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_sends_at_once_make_one_application_with_one_number() {
    let db = with_people().await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = filled(&db, &me, t0()).await;
    let sends: Vec<_> = (0..20)
        .map(|_| {
            let (db, me, key) = (db.clone(), me.clone(), key.clone());
            tokio::spawn(async move { service::submit(&db, &me, &key, t0()).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for s in sends {
        numbers.push(s.await.unwrap().unwrap());
    }
    assert!(numbers.iter().all(|n| *n == numbers[0]), "{numbers:?}");
    assert_eq!(numbers[0].len(), 11, "«123-456-789»");
    let mine = service::mine(&db, &me, None, "", 1, t0()).await.unwrap();
    assert_eq!(mine.items.len(), 1);
    let events = store::events(&db, &key).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.status == Status::Accepted).count(), 1);
    #[derive(SurrealValue)]
    struct N {
        n: i64,
    }
    let taken: Option<N> =
        db.query("SELECT count() AS n FROM application_number GROUP ALL").one("count").await.unwrap();
    assert_eq!(taken.unwrap().n, 1, "numbers drawn by the losers are given back");
    // A draft that is not finished is not sent and says where.
    let other = caller(&db, "demo_ivanov", false, t0()).await;
    assert_eq!(service::submit(&db, &other, &key, t0()).await.unwrap(), numbers[0]);
}

#[tokio::test]
async fn an_unfinished_draft_is_not_sent_and_the_message_names_the_step_and_field() {
    let db = with_people().await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = service::start(&db, &me, SERVICE, None, t0()).await.unwrap();
    match service::submit(&db, &me, &key, t0()).await {
        Err(AppError::Invalid { message, .. }) => {
            assert!(message.contains("шаге 1") && message.contains("Меняли ли вы"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(status_of(&db, &key).await, Status::Draft);
}

#[tokio::test]
async fn another_citizen_and_another_department_see_nothing_of_an_application() {
    let db = with_people().await;
    more_officials(&db).await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = filled(&db, &me, t0()).await;
    service::submit(&db, &me, &key, t0()).await.unwrap();
    service::deliver(&db, t0()).await.unwrap();
    let petrova = caller(&db, "demo_petrova", false, t0()).await;
    assert!(matches!(service::detail(&db, &petrova, &key, t0()).await, Err(AppError::NotFound)));
    assert!(matches!(service::withdraw(&db, &petrova, &key, t0()).await, Err(AppError::NotFound)));
    assert!(service::mine(&db, &petrova, None, "", 1, t0()).await.unwrap().items.is_empty());
    let other = official(&db, "rosreestr").await;
    assert!(matches!(service::staff_view(&db, &other, &key, t0()).await, Err(AppError::NotFound)));
    assert!(matches!(service::claim(&db, &other, &key, t0()).await, Err(AppError::NotFound)));
    assert!(service::queue(&db, &other, None, t0()).await.unwrap().items.is_empty());
    let social = official(&db, "demo_official").await;
    assert!(service::queue(&db, &social, None, t0()).await.unwrap().items.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officials_claiming_at_once_one_wins_and_the_other_is_told_who_has_it() {
    let db = with_people().await;
    more_officials(&db).await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = filled(&db, &me, t0()).await;
    service::submit(&db, &me, &key, t0()).await.unwrap();
    assert_eq!(service::deliver(&db, t0()).await.unwrap(), 1);
    assert_eq!(status_of(&db, &key).await, Status::Sent);
    let a = official(&db, "demo_official_mvd").await;
    let b = official(&db, "mvd_two").await;
    let (ra, rb) = tokio::join!(service::claim(&db, &a, &key, t0()), service::claim(&db, &b, &key, t0()));
    let (winner, loser) = match (&ra, &rb) {
        (Ok(()), Err(e)) => (&a, e.to_string()),
        (Err(e), Ok(())) => (&b, e.to_string()),
        other => panic!("exactly one claim must pass: {other:?}"),
    };
    assert!(loser.contains("уже в работе") && loser.contains(&winner.account.short_name()), "{loser}");
    let other = if winner.key() == a.key() { &b } else { &a };
    // The one without it can neither decide nor ask.
    let e = service::refuse(&db, other, &key, "incomplete", "Нет сведений", t0()).await.unwrap_err();
    assert!(e.to_string().contains("у другого специалиста"), "{e}");
    // Two decisions at once by the one who has it: one passes.
    let files = Files::memory();
    let (x, y) = tokio::join!(
        service::approve(&db, &files, winner, &key, "", "https://gosportal.example", t0()),
        service::refuse(&db, winner, &key, "incomplete", "Сведения неполные", t0())
    );
    assert!(x.is_ok() != y.is_ok(), "{x:?} {y:?}");
    let events = store::events(&db, &key).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.status.is_final()).count(), 1);
}

#[tokio::test]
async fn the_whole_path_from_request_for_more_to_a_genuine_result() {
    let db = with_people().await;
    let files = Files::memory();
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = filled(&db, &me, t0()).await;
    service::submit(&db, &me, &key, t0()).await.unwrap();
    service::deliver(&db, t0()).await.unwrap();
    let off = official(&db, "demo_official_mvd").await;
    let t1 = t0() + TimeDelta::days(1);
    let queue = service::queue(&db, &off, None, t1).await.unwrap();
    assert_eq!(queue.items.len(), 1);
    assert_eq!(queue.items[0].days_left, "осталось 29 дней");
    let view = service::staff_view(&db, &off, &key, t1).await.unwrap();
    assert!(view.may_claim && !view.may_decide);
    // The look is in the citizen's «Кто обращался к моим данным».
    let looks = crate::auth::access::for_citizen(&db, "demo_ivanov", 10).await.unwrap();
    assert!(looks.iter().any(|l| l.unit.as_deref() == Some("МВД России")), "{looks:?}");

    service::claim(&db, &off, &key, t1).await.unwrap();
    // Asking names nothing: refused with the field named.
    let e = service::ask_more(&db, &off, &key, &[], "", "Нужно", t1).await.unwrap_err();
    assert!(e.field_message("fields").is_some());
    service::ask_more(&db, &off, &key, &["work".to_string()], "Справка с места работы", "Уточните места работы", t1)
        .await
        .unwrap();
    // Two days before the answer is due, the citizen is reminded once.
    assert_eq!(service::remind_drafts(&db, t1 + TimeDelta::days(7)).await.unwrap(), 0);
    assert_eq!(service::remind_drafts(&db, t1 + TimeDelta::days(8)).await.unwrap(), 1);
    assert_eq!(service::remind_drafts(&db, t1 + TimeDelta::days(9)).await.unwrap(), 0);
    let d = service::detail(&db, &me, &key, t1).await.unwrap();
    assert_eq!(d.status, Status::NeedsInfo);
    assert_eq!(d.turn, "Ваша очередь: ответьте на запрос ведомства");
    let req = d.request.unwrap();
    assert_eq!(req.fields.len(), 1);
    assert_eq!(req.documents, vec!["Справка с места работы".to_string()]);
    // An answer without the document is refused naming it; nothing changes.
    let t4 = t1 + TimeDelta::days(3);
    let e = service::answer(&db, &me, &key, &answers(&[("work", "ООО «Ромашка», 2010–2026")]), &[], "", t4)
        .await
        .unwrap_err();
    assert!(e.field_message("documents").is_some());
    // With a document from «Документы».
    db.query(
        "CREATE document:d1 SET account = 'demo_ivanov', kind = 'employment_certificate', status = 'accepted',
             format = 'pdf', hash = 'x', size = 1, name = 'Справка.pdf', uploaded_at = $now, defects = []",
    )
    .bind(("now", t0()))
    .exec("doc")
    .await
    .unwrap();
    service::answer(
        &db,
        &me,
        &key,
        &answers(&[("work", "ООО «Ромашка», 2010–2026")]),
        &["d1".to_string()],
        "Прикладываю справку",
        t4,
    )
    .await
    .unwrap();
    let row = store::load(&db, &key).await.unwrap().unwrap();
    assert_eq!(row.status, Status::InProgress);
    assert_eq!(row.answers().get("work").unwrap(), "ООО «Ромашка», 2010–2026");
    // The three days the citizen took do not count against the department.
    assert_eq!(row.due_on.as_deref(), Some("2026-04-12"));

    service::approve(&db, &files, &off, &key, "Паспорт готов к выдаче", "https://gosportal.example", t4).await.unwrap();
    let d = service::detail(&db, &me, &key, t4).await.unwrap();
    assert_eq!(d.status, Status::Done);
    let hash = d.check_href.unwrap().trim_start_matches("/check/").to_string();
    let check = service::check(&db, &hash).await.unwrap();
    assert!(check.genuine);
    assert_eq!(check.text, "Паспорт готов к выдаче", "the page shows what the genuine document says");
    assert_eq!(check.holder, "Иван Иванович И.");
    assert!(!service::check(&db, &"0".repeat(64)).await.unwrap().genuine);
    let (_, pdf) = service::result_file(&db, &files, &me, &key).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // Another citizen cannot download it.
    let petrova = caller(&db, "demo_petrova", false, t0()).await;
    assert!(service::result_file(&db, &files, &petrova, &key).await.is_err());
    // The history, in order; every change told the citizen.
    let statuses: Vec<Status> = store::events(&db, &key).await.unwrap().into_iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        vec![Status::Accepted, Status::Sent, Status::InProgress, Status::NeedsInfo, Status::InProgress, Status::Done]
    );
    #[derive(SurrealValue)]
    struct N {
        n: i64,
    }
    let n: Option<N> = db
        .query("SELECT count() AS n FROM notification WHERE account = 'demo_ivanov' AND link = $l GROUP ALL")
        .bind(("l", format!("/applications/{key}")))
        .one("n")
        .await
        .unwrap();
    assert_eq!(n.unwrap().n, 7, "accepted, handed over, in work, more asked, answer due, answered, done");
    // A decided application takes nothing more.
    let e = service::refuse(&db, &off, &key, "incomplete", "Поздно", t4).await.unwrap_err();
    assert!(e.to_string().contains("Исполнено") || e.to_string().contains("уже принято"), "{e}");
}

#[tokio::test]
async fn a_refusal_names_its_reason_from_the_list() {
    let db = with_people().await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = filled(&db, &me, t0()).await;
    service::submit(&db, &me, &key, t0()).await.unwrap();
    service::deliver(&db, t0()).await.unwrap();
    let off = official(&db, "demo_official_mvd").await;
    service::claim(&db, &off, &key, t0()).await.unwrap();
    let e = service::refuse(&db, &off, &key, "made_up", "Комментарий", t0()).await.unwrap_err();
    assert!(e.field_message("reason").is_some());
    let e = service::refuse(&db, &off, &key, "documents", "", t0()).await.unwrap_err();
    assert!(e.field_message("comment").is_some());
    service::refuse(&db, &off, &key, "documents", "Нет фотографии", t0()).await.unwrap();
    let d = service::detail(&db, &me, &key, t0()).await.unwrap();
    assert_eq!(d.status, Status::Refused);
    assert_eq!(d.refusal, Some(("Не представлены необходимые документы".into(), "Нет фотографии".into())));
}

#[tokio::test]
async fn withdrawal_is_at_once_before_processing_and_a_request_after() {
    let db = with_people().await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = filled(&db, &me, t0()).await;
    service::submit(&db, &me, &key, t0()).await.unwrap();
    service::deliver(&db, t0()).await.unwrap();
    assert!(service::withdraw(&db, &me, &key, t0()).await.unwrap());
    assert_eq!(status_of(&db, &key).await, Status::Cancelled);
    assert!(service::withdraw(&db, &me, &key, t0()).await.is_err());

    let key = filled(&db, &me, t0()).await;
    service::submit(&db, &me, &key, t0()).await.unwrap();
    service::deliver(&db, t0()).await.unwrap();
    let off = official(&db, "demo_official_mvd").await;
    service::claim(&db, &off, &key, t0()).await.unwrap();
    assert!(!service::withdraw(&db, &me, &key, t0()).await.unwrap());
    assert!(service::withdraw(&db, &me, &key, t0()).await.is_err(), "asked once");
    service::decide_withdrawal(&db, &off, &key, false, t0()).await.unwrap();
    let row = store::load(&db, &key).await.unwrap().unwrap();
    assert_eq!((row.status, row.withdrawal_requested), (Status::InProgress, false));
    service::withdraw(&db, &me, &key, t0()).await.unwrap();
    service::decide_withdrawal(&db, &off, &key, true, t0()).await.unwrap();
    assert_eq!(status_of(&db, &key).await, Status::Cancelled);
}

#[tokio::test]
async fn a_draft_is_kept_ninety_days_with_a_warning_a_week_before() {
    let db = with_people().await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = service::start(&db, &me, SERVICE, None, t0()).await.unwrap();
    assert_eq!(service::remind_drafts(&db, t0() + TimeDelta::days(80)).await.unwrap(), 0);
    assert_eq!(service::remind_drafts(&db, t0() + TimeDelta::days(84)).await.unwrap(), 1);
    assert_eq!(service::remind_drafts(&db, t0() + TimeDelta::days(85)).await.unwrap(), 0, "warned once");
    assert!(store::load(&db, &key).await.unwrap().is_some());
    service::remind_drafts(&db, t0() + TimeDelta::days(92)).await.unwrap();
    assert!(store::load(&db, &key).await.unwrap().is_none());
    // A draft saved again lives 90 days from then, and is warned again.
    let key = service::start(&db, &me, SERVICE, None, t0()).await.unwrap();
    service::remind_drafts(&db, t0() + TimeDelta::days(84)).await.unwrap();
    service::save(&db, &me, &key, 0, &answers(&[("name_changed", "no")]), t0() + TimeDelta::days(85)).await.unwrap();
    assert!(!store::load(&db, &key).await.unwrap().unwrap().warned);
    service::remind_drafts(&db, t0() + TimeDelta::days(120)).await.unwrap();
    assert!(store::load(&db, &key).await.unwrap().is_some());
}

#[tokio::test]
async fn my_applications_are_filtered_by_status_and_found_by_number_or_service() {
    let db = with_people().await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    let key = filled(&db, &me, t0()).await;
    let number = service::submit(&db, &me, &key, t0()).await.unwrap();
    let by_number = service::mine(&db, &me, None, &number.replace('-', " "), 1, t0()).await.unwrap();
    assert_eq!(by_number.items.len(), 1);
    assert_eq!(service::mine(&db, &me, None, "ЗАГРАНИЧНОГО", 1, t0()).await.unwrap().items.len(), 1);
    assert!(service::mine(&db, &me, None, "ЕГРН", 1, t0()).await.unwrap().items.is_empty());
    assert_eq!(service::mine(&db, &me, Some(Status::Accepted), "", 1, t0()).await.unwrap().items.len(), 1);
    assert!(service::mine(&db, &me, Some(Status::Draft), "", 1, t0()).await.unwrap().items.is_empty());
    service::start(&db, &me, SERVICE, None, t0()).await.unwrap();
    let c = service::counts(&db, &me, t0()).await.unwrap();
    assert_eq!((c.in_work, c.drafts, c.drafts_expiring, c.needs_answer), (1, 1, 0, 0));
    let c = service::counts(&db, &me, t0() + TimeDelta::days(84)).await.unwrap();
    assert_eq!(c.drafts_expiring, 1);
}

#[tokio::test]
async fn a_file_is_chosen_from_the_persons_own_documents_only() {
    let db = with_people().await;
    let me = caller(&db, "demo_ivanov", false, t0()).await;
    for (id, account) in [("mine", "demo_ivanov"), ("theirs", "demo_petrova")] {
        db.query(format!(
            "CREATE document:{id} SET account = $a, kind = 'other', status = 'accepted', format = 'jpeg', hash = 'x',
                 size = 1, name = 'Фото.jpg', uploaded_at = $now, defects = []"
        ))
        .bind(("a", account))
        .bind(("now", t0()))
        .exec("doc")
        .await
        .unwrap();
    }
    let key = service::start(&db, &me, SERVICE, None, t0()).await.unwrap();
    let posted = answers(&[("kind", "old"), ("reason", "expiring"), ("photo", "theirs")]);
    let to = service::post_step(&db, &me, &key, 1, &posted, Go::Next, t0()).await.unwrap();
    assert!(to.ends_with("step=1&check=1"), "{to}");
    let page = service::draft_page(&db, &me, &key, 1, true, t0()).await.unwrap();
    let photo = page.fields.iter().find(|f| f.def.id == "photo").unwrap();
    assert_eq!(photo.value, "");
    assert_eq!(photo.error.as_deref(), Some("Выберите документ из раздела «Документы»"));
    assert_eq!(photo.documents, vec![("mine".to_string(), "Фото.jpg — проверен".to_string())]);
    let posted = answers(&[("kind", "old"), ("reason", "expiring"), ("photo", "mine")]);
    let to = service::post_step(&db, &me, &key, 1, &posted, Go::Next, t0()).await.unwrap();
    assert!(to.ends_with("step=2"), "{to}");
}

#[tokio::test]
async fn a_staff_account_applies_for_nothing() {
    let db = with_people().await;
    let off = caller(&db, "demo_official_mvd", true, t0()).await;
    assert!(matches!(service::start(&db, &off, SERVICE, None, t0()).await, Err(AppError::Forbidden)));
}
