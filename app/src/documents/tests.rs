//! «Документы» against the real database engine in memory and the file
//! store in memory, with real sample files (`app/tests/fixtures/`): what
//! a file is judged to be, who may download it, the official's look and
//! decision (made once, also under parallel requests), re-uploading a
//! rejected document, and the change request that changes the profile
//! only when approved.

// See account/tests.rs: clippy does not treat this cfg as test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::TimeDelta;

use super::content::judge;
use super::model::{ChangeForm, ChangeStatus, Defect, DocStatus, FileFormat, MAX_BYTES, UploadProblem};
use super::service::{self, Upload, UploadError};
use super::store;
use crate::auth::Role;
use crate::auth::access;
use crate::auth::accounts;
use crate::auth::caller::{Caller, StaffCaller};
use crate::demo::DEMO_ACCOUNTS;
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt};
use crate::platform::files::Files;
use crate::testing::{staff_key, t0, with_people};

const PNG: &[u8] = include_bytes!("../../tests/fixtures/passport.png");
const JPEG: &[u8] = include_bytes!("../../tests/fixtures/passport.jpg");
const PDF: &[u8] = include_bytes!("../../tests/fixtures/scan.pdf");
const PNG_AS_PDF: &[u8] = include_bytes!("../../tests/fixtures/png-renamed.pdf");
const TEXT_AS_PDF: &[u8] = include_bytes!("../../tests/fixtures/not-a-scan.pdf");
const TRUNCATED_JPEG: &[u8] = include_bytes!("../../tests/fixtures/truncated.jpg");
const TRUNCATED_PNG: &[u8] = include_bytes!("../../tests/fixtures/truncated.png");
const TRUNCATED_PDF: &[u8] = include_bytes!("../../tests/fixtures/truncated.pdf");

fn ivanov() -> &'static str {
    DEMO_ACCOUNTS[0].key
}

fn petrova() -> &'static str {
    DEMO_ACCOUNTS[1].key
}

async fn citizen(db: &Db, key: &str) -> Caller {
    crate::testing::caller(db, key, false, t0()).await
}

async fn staff(db: &Db, role: Role) -> StaffCaller {
    StaffCaller::for_tests(crate::testing::caller(db, staff_key(role), true, t0()).await)
}

fn up(kind: &str, name: &str, bytes: &[u8]) -> Upload {
    Upload { kind: kind.into(), replaces: None, name: name.into(), bytes: bytes.to_vec() }
}

/// A passport scan uploaded by `who`; its id.
async fn uploaded(db: &Db, files: &Files, who: &str) -> String {
    let c = citizen(db, who).await;
    service::upload(db, files, &c, up("passport", "паспорт.jpg", JPEG), t0()).await.unwrap()
}

async fn count(db: &Db, sql: &str, account: &str) -> i64 {
    let n: Option<i64> = db.query(sql).bind(("a", account.to_string())).one("count").await.unwrap();
    n.unwrap_or(0)
}

async fn notices(db: &Db, account: &str) -> i64 {
    count(db, "SELECT VALUE count() FROM notification WHERE account = $a GROUP ALL", account).await
}

// ------------------------------------------------------------------ content

#[test]
fn small_pdf_png_and_jpeg_files_are_accepted_by_their_content() {
    assert_eq!(judge(PDF, "scan.pdf"), Ok(FileFormat::Pdf));
    assert_eq!(judge(PNG, "passport.png"), Ok(FileFormat::Png));
    assert_eq!(judge(JPEG, "passport.jpg"), Ok(FileFormat::Jpeg));
    // The name may say nothing: the content decides.
    assert_eq!(judge(JPEG, "IMG_0042"), Ok(FileFormat::Jpeg));
    assert_eq!(judge(PNG, "скан.JPEG-копия"), Ok(FileFormat::Png));
}

#[test]
fn a_png_renamed_pdf_is_refused() {
    assert_eq!(judge(PNG_AS_PDF, "png-renamed.pdf"), Err(UploadProblem::Mismatch));
}

#[test]
fn a_text_file_named_pdf_is_not_a_pdf() {
    assert_eq!(judge(TEXT_AS_PDF, "not-a-scan.pdf"), Err(UploadProblem::Format));
}

#[test]
fn a_truncated_jpeg_is_refused() {
    assert_eq!(judge(TRUNCATED_JPEG, "passport.jpg"), Err(UploadProblem::Unreadable));
    // Cut before its frame header: the decoder finds no picture at all.
    let mut cut = JPEG[..200].to_vec();
    cut.extend_from_slice(&[0xFF, 0xD9]);
    assert_eq!(judge(&cut, "passport.jpg"), Err(UploadProblem::Unreadable));
}

#[test]
fn a_truncated_png_or_pdf_is_refused() {
    assert_eq!(judge(TRUNCATED_PNG, "passport.png"), Err(UploadProblem::Unreadable));
    assert_eq!(judge(TRUNCATED_PDF, "scan.pdf"), Err(UploadProblem::Unreadable));
}

#[test]
fn a_file_over_five_megabytes_or_empty_is_refused() {
    let mut big = PNG.to_vec();
    big.resize(MAX_BYTES as usize + 1, 0);
    assert_eq!(judge(&big, "big.png"), Err(UploadProblem::TooLarge));
    assert_eq!(judge(&[], "empty.pdf"), Err(UploadProblem::Empty));
}

// ------------------------------------------------------------------- upload

#[tokio::test]
async fn an_upload_stores_the_file_and_opens_a_review_task() {
    let db = with_people().await;
    let files = Files::memory();
    let id = uploaded(&db, &files, ivanov()).await;
    let d = store::load(&db, &id).await.unwrap().unwrap();
    assert_eq!((d.status, d.format, d.name.as_str()), (DocStatus::Uploaded, FileFormat::Jpeg, "паспорт.jpg"));
    assert_eq!(files.get(&d.hash).await.unwrap().as_deref(), Some(JPEG));
    let task: Option<access::TaskRow> = db
        .query("SELECT * FROM ONLY type::record('staff_task', $a)")
        .bind(("a", id.clone()))
        .one("task")
        .await
        .unwrap();
    let task = task.unwrap();
    assert_eq!(
        (task.kind, task.role, task.citizen.as_str()),
        (access::TaskKind::DocumentReview, Role::Official, ivanov())
    );
}

#[tokio::test]
async fn a_refused_file_names_the_problem_and_loses_nothing_uploaded() {
    let db = with_people().await;
    let files = Files::memory();
    let first = uploaded(&db, &files, ivanov()).await;
    let c = citizen(&db, ivanov()).await;
    for (file, name, problem) in [
        (PNG_AS_PDF, "png-renamed.pdf", UploadProblem::Mismatch),
        (TRUNCATED_JPEG, "passport.jpg", UploadProblem::Unreadable),
        (TEXT_AS_PDF, "not-a-scan.pdf", UploadProblem::Format),
    ] {
        match service::upload(&db, &files, &c, up("passport", name, file), t0()).await {
            Err(UploadError::Problem(p)) => assert_eq!(p, problem, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    let e = service::upload(&db, &files, &c, up("", "passport.jpg", JPEG), t0()).await.unwrap_err();
    assert!(matches!(e, UploadError::Problem(UploadProblem::Kind)));
    let mine = service::mine(&db, &c).await.unwrap();
    assert_eq!(mine.documents.len(), 1);
    assert_eq!(mine.documents[0].id, first);
}

#[tokio::test]
async fn uploads_are_limited_per_hour() {
    let db = with_people().await;
    let files = Files::memory();
    let c = citizen(&db, ivanov()).await;
    for _ in 0..service::UPLOADS_PER_HOUR {
        service::upload(&db, &files, &c, up("inn", "inn.png", PNG), t0()).await.unwrap();
    }
    let e = service::upload(&db, &files, &c, up("inn", "inn.png", PNG), t0()).await.unwrap_err();
    assert!(matches!(e, UploadError::Problem(UploadProblem::TooMany)));
    service::upload(&db, &files, &c, up("inn", "inn.png", PNG), t0() + TimeDelta::minutes(61)).await.unwrap();
}

// ----------------------------------------------------------------- download

#[tokio::test]
async fn the_owner_downloads_their_document_and_another_citizen_is_told_it_does_not_exist() {
    let db = with_people().await;
    let files = Files::memory();
    let id = uploaded(&db, &files, ivanov()).await;
    let (_, bytes) = service::own_file(&db, &files, &citizen(&db, ivanov()).await, &id).await.unwrap();
    assert_eq!(bytes, JPEG);
    let e = service::own_file(&db, &files, &citizen(&db, petrova()).await, &id).await.unwrap_err();
    assert_eq!(e, AppError::NotFound);
}

#[tokio::test]
async fn staff_reach_a_file_only_through_an_open_task_it_belongs_to() {
    let db = with_people().await;
    let files = Files::memory();
    let id = uploaded(&db, &files, ivanov()).await;
    let other = uploaded(&db, &files, petrova()).await;
    let official = staff(&db, Role::Official).await;
    // No task of this document, or another citizen's task: refused, nothing recorded.
    for task in ["", "0123456789abcdef0123456789abcdef", other.as_str()] {
        let e = service::file_for_task(&db, &files, &official, &id, task, t0()).await.unwrap_err();
        assert_eq!(e, AppError::Forbidden, "{task}");
    }
    assert!(access::for_citizen(&db, ivanov(), 10).await.unwrap().is_empty());
    // An operator does not hold the official's task.
    let operator = staff(&db, Role::Operator).await;
    assert_eq!(service::file_for_task(&db, &files, &operator, &id, &id, t0()).await.unwrap_err(), AppError::Forbidden);
    // Through its own task: the file, and a row the citizen sees.
    let (_, bytes) = service::file_for_task(&db, &files, &official, &id, &id, t0()).await.unwrap();
    assert_eq!(bytes, JPEG);
    let rows = access::for_citizen(&db, ivanov(), 10).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].role, Role::Official);
    assert_eq!(rows[0].unit.as_deref(), Some("Министерство социальной защиты"));
    assert_eq!(rows[0].why, "Проверка документа «Паспорт гражданина РФ»");
}

// ------------------------------------------------------------------- review

#[tokio::test]
async fn opening_a_document_records_the_look_and_puts_it_in_review() {
    let db = with_people().await;
    let files = Files::memory();
    let id = uploaded(&db, &files, ivanov()).await;
    let official = staff(&db, Role::Official).await;
    let queue = service::queue(&db, &official, t0() + TimeDelta::hours(2)).await.unwrap();
    assert_eq!(queue.documents.len(), 1);
    assert_eq!(queue.documents[0].left, "осталось 22 ч 0 мин");
    let shown = format!("{queue:?}");
    assert!(!shown.contains("Иванов"), "the queue holds no personal data: {shown}");
    let r = service::review(&db, &official, &id, t0()).await.unwrap();
    assert_eq!(r.citizen.full_name, "Иванов Иван Иванович");
    assert_eq!(store::load(&db, &id).await.unwrap().unwrap().status, DocStatus::InReview);
    let rows = access::for_citizen(&db, ivanov(), 10).await.unwrap();
    assert_eq!(rows[0].what, "Документ «Паспорт гражданина РФ»");
    // A citizen or another role cannot open the queue.
    let operator = staff(&db, Role::Operator).await;
    assert_eq!(service::queue(&db, &operator, t0()).await.unwrap_err(), AppError::Forbidden);
}

#[tokio::test]
async fn a_rejection_names_the_defects_to_the_citizen_who_uploads_again() {
    let db = with_people().await;
    let files = Files::memory();
    let id = uploaded(&db, &files, ivanov()).await;
    let official = staff(&db, Role::Official).await;
    // Not opened yet: no decision.
    let e = service::decide(&db, &official, &id, false, &[Defect::Blurry], "", t0()).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid { .. }));
    service::review(&db, &official, &id, t0()).await.unwrap();
    // A rejection says what is wrong.
    let e = service::decide(&db, &official, &id, false, &[], " ", t0()).await.unwrap_err();
    assert!(e.field_message("remark").is_some());
    let before = notices(&db, ivanov()).await;
    service::decide(&db, &official, &id, false, &[Defect::Blurry, Defect::Cropped], "Нет подписи", t0()).await.unwrap();
    assert_eq!(notices(&db, ivanov()).await, before + 1);
    let text: Option<String> = db
        .query("SELECT VALUE text FROM notification WHERE account = $a ORDER BY created_at DESC LIMIT 1")
        .bind(("a", ivanov()))
        .all::<String>("notice")
        .await
        .unwrap()
        .pop()
        .map(Some)
        .unwrap_or(None);
    let text = text.unwrap();
    assert!(text.contains("Изображение размытое") && text.contains("Нет подписи"), "{text}");
    let c = citizen(&db, ivanov()).await;
    let mine = service::mine(&db, &c).await.unwrap();
    let d = &mine.documents[0];
    assert_eq!(d.status, DocStatus::Rejected);
    assert_eq!(d.defects.len(), 2);
    assert_eq!(d.remark.as_deref(), Some("Нет подписи"));
    assert!(d.decided.as_deref().unwrap().contains("Сотрудник ведомства, Министерство социальной защиты"));
    // The task closed with the decision: no more looks through it.
    assert_eq!(service::file_for_task(&db, &files, &official, &id, &id, t0()).await.unwrap_err(), AppError::Forbidden);
    // Upload again for the rejected one; the new one goes to the queue.
    let again = Upload { replaces: Some(id.clone()), ..up("passport", "паспорт-2.png", PNG) };
    let new = service::upload(&db, &files, &c, again, t0()).await.unwrap();
    assert_eq!(store::load(&db, &id).await.unwrap().unwrap().replaced_by.as_deref(), Some(new.as_str()));
    let r = service::review(&db, &official, &new, t0()).await.unwrap();
    assert_eq!(r.earlier_defects.len(), 2);
    service::decide(&db, &official, &new, true, &[], "", t0()).await.unwrap();
    assert_eq!(store::load(&db, &new).await.unwrap().unwrap().status, DocStatus::Accepted);
    // Only a rejected document of one's own can be replaced, once.
    let twice = Upload { replaces: Some(id.clone()), ..up("passport", "p.png", PNG) };
    assert!(matches!(
        service::upload(&db, &files, &c, twice, t0()).await,
        Err(UploadError::Problem(UploadProblem::Replaces))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_decisions_on_one_document_leave_exactly_one() {
    let db = Arc::new(with_people().await);
    let files = Files::memory();
    let id = uploaded(&db, &files, ivanov()).await;
    let official = staff(&db, Role::Official).await;
    service::review(&db, &official, &id, t0()).await.unwrap();
    let before = notices(&db, ivanov()).await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (db, official, id) = (db.clone(), official.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            let accept = i % 2 == 0;
            service::decide(&db, &official, &id, accept, &[Defect::Glare], "", t0()).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(AppError::Invalid { message, .. }) => assert_eq!(message, service::ALREADY_DECIDED),
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(ok, 1, "one decision wins");
    assert_eq!(notices(&db, ivanov()).await, before + 1, "one notice");
    let decided = count(&db, "SELECT VALUE count() FROM data_access WHERE citizen = $a AND what = 'Документ «Паспорт гражданина РФ»' GROUP ALL", ivanov()).await;
    assert_eq!(decided, 2, "the look and the one decision");
}

// ----------------------------------------------------------- change request

fn surname_change(scans: Vec<String>) -> ChangeForm {
    ChangeForm {
        surname: "Сидорова".into(),
        name: "Мария".into(),
        patronymic: "Сергеевна".into(),
        birth_date: "03.11.1992".into(),
        scans,
        ..Default::default()
    }
}

#[tokio::test]
async fn an_approved_change_changes_the_profile_and_keeps_the_old_values() {
    let db = with_people().await;
    let files = Files::memory();
    let scan = uploaded(&db, &files, petrova()).await;
    let c = citizen(&db, petrova()).await;
    let key = service::request_change(&db, &c, &surname_change(vec![scan.clone()]), t0()).await.unwrap();
    // Nothing changes before the approval; a second request waits.
    assert_eq!(accounts::load(&db, petrova()).await.unwrap().unwrap().surname, "Петрова");
    let e = service::request_change(&db, &c, &surname_change(vec![scan.clone()]), t0()).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid { .. }), "{e:?}");
    let official = staff(&db, Role::Official).await;
    let r = service::review_change(&db, &official, &key, t0()).await.unwrap();
    assert_eq!(r.rows.len(), 1);
    assert_eq!((r.rows[0].old.as_str(), r.rows[0].new.as_str()), ("Петрова", "Сидорова"));
    // The scans open through the request's task.
    let (_, bytes) = service::file_for_task(&db, &files, &official, &scan, &key, t0()).await.unwrap();
    assert_eq!(bytes, JPEG);
    service::decide_change(&db, &official, &key, true, "", t0() + TimeDelta::hours(1)).await.unwrap();
    let a = accounts::load(&db, petrova()).await.unwrap().unwrap();
    assert_eq!(a.surname, "Сидорова");
    let history = accounts::personal_history(&db, petrova()).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].old.surname.as_str(), history[0].new.surname.as_str()), ("Петрова", "Сидорова"));
    let mine = service::mine(&db, &citizen(&db, petrova()).await).await.unwrap();
    assert_eq!(mine.change.unwrap().status, ChangeStatus::Approved);
    assert_eq!(mine.history[0].rows[0].old, "Петрова");
    // Decided once; a new request may follow.
    let e = service::decide_change(&db, &official, &key, false, "нет", t0()).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid { .. }));
    let c = citizen(&db, petrova()).await;
    let mut back = surname_change(vec![scan]);
    back.surname = "Петрова".into();
    service::request_change(&db, &c, &back, t0()).await.unwrap();
    // The look, the change and the scan: rows the citizen sees.
    let whats: Vec<String> =
        access::for_citizen(&db, petrova(), 20).await.unwrap().into_iter().map(|r| r.what).collect();
    assert!(
        whats.contains(&"Личные данные".to_string()) && whats.contains(&"Изменение личных данных".to_string()),
        "{whats:?}"
    );
}

#[tokio::test]
async fn a_rejected_change_leaves_the_profile_and_says_why() {
    let db = with_people().await;
    let files = Files::memory();
    let scan = uploaded(&db, &files, petrova()).await;
    let c = citizen(&db, petrova()).await;
    let key = service::request_change(&db, &c, &surname_change(vec![scan]), t0()).await.unwrap();
    let official = staff(&db, Role::Official).await;
    service::review_change(&db, &official, &key, t0()).await.unwrap();
    let e = service::decide_change(&db, &official, &key, false, "  ", t0()).await.unwrap_err();
    assert!(e.field_message("reason").is_some());
    service::decide_change(&db, &official, &key, false, "Скан свидетельства о браке нечитаем", t0()).await.unwrap();
    assert_eq!(accounts::load(&db, petrova()).await.unwrap().unwrap().surname, "Петрова");
    let mine = service::mine(&db, &c).await.unwrap();
    let change = mine.change.unwrap();
    assert_eq!(change.status, ChangeStatus::Rejected);
    assert_eq!(change.reason.as_deref(), Some("Скан свидетельства о браке нечитаем"));
    assert!(mine.history.is_empty());
}

#[tokio::test]
async fn a_change_needs_a_scan_of_ones_own_that_was_not_rejected() {
    let db = with_people().await;
    let files = Files::memory();
    let theirs = uploaded(&db, &files, ivanov()).await;
    let c = citizen(&db, petrova()).await;
    let e = service::request_change(&db, &c, &surname_change(vec![]), t0()).await.unwrap_err();
    assert!(e.field_message("scans").is_some());
    let e = service::request_change(&db, &c, &surname_change(vec![theirs]), t0()).await.unwrap_err();
    assert!(e.field_message("scans").is_some());
    let mine = uploaded(&db, &files, petrova()).await;
    let mut same = surname_change(vec![mine]);
    same.surname = "Петрова".into();
    assert!(matches!(service::request_change(&db, &c, &same, t0()).await, Err(AppError::Invalid { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_change_requests_leave_one_open() {
    let db = Arc::new(with_people().await);
    let files = Files::memory();
    let scan = uploaded(&db, &files, petrova()).await;
    let c = citizen(&db, petrova()).await;
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (db, c, scan) = (db.clone(), c.clone(), scan.clone());
        tasks.push(tokio::spawn(
            async move { service::request_change(&db, &c, &surname_change(vec![scan]), t0()).await },
        ));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap().is_ok() {
            ok += 1;
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(count(&db, "SELECT VALUE count() FROM change_request WHERE account = $a GROUP ALL", petrova()).await, 1);
}

#[tokio::test]
async fn the_demo_scan_waits_in_the_queue_once() {
    let db = with_people().await;
    let files = Files::memory();
    assert_eq!(crate::demo::seed_documents(&db, &files, t0()).await.unwrap().len(), 1);
    assert!(crate::demo::seed_documents(&db, &files, t0()).await.unwrap().is_empty());
    let official = staff(&db, Role::Official).await;
    let q = service::queue(&db, &official, t0()).await.unwrap();
    assert_eq!(q.documents.len(), 1);
    let d = store::load(&db, &q.documents[0].id).await.unwrap().unwrap();
    assert_eq!(files.get(&d.hash).await.unwrap().as_deref(), Some(JPEG));
}
