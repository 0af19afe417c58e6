//! The catalogue in the database, for its full-text search
//! (`server/migrations/0012_catalogue.surql`).
//!
//! `sync` copies the service files into the `service` table when the server
//! starts: a row is written only when its digest changed, a service whose
//! file is gone is deleted, all in one transaction retried on a conflict,
//! so several servers starting at once leave the same table.
//!
//! `search` finds services the way people write them, in two steps, both in
//! the database: first the stems (the Russian snowball filter: «паспорта»,
//! «справку о судимости», «детского сада»), every word of the query must be
//! there, ranked by BM25; when that finds nothing, a typo («паспрот»,
//! «загранпаспот»): letter triples of the titles and keywords give the
//! candidates, ranked by BM25 (the best 60), and a candidate stays only
//! when every word of the query is inside one of its words or close to one
//! (Jaro–Winkler ≥ 0.88).

use sha2::{Digest, Sha256};
use surrealdb::types::SurrealValue;

use super::catalog::{ServiceCard, ServiceDef, fold, query_terms};
use crate::error::AppError;
use crate::platform::db::{Db, QueryExt, retrying_transaction};

/// How close a typed word must be to a word of a service (Jaro–Winkler).
pub const TYPO_SIMILARITY: f64 = 0.88;

/// How many of the best letter-triple matches are checked word by word.
pub const TYPO_CANDIDATES: u32 = 60;

/// A row of the `service` table.
#[derive(Debug, Clone, PartialEq, SurrealValue)]
pub struct ServiceRow {
    pub code: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    pub department: String,
    pub popular: bool,
    pub text: String,
    pub names: String,
    pub words: Vec<String>,
    pub digest: String,
}

impl ServiceRow {
    pub fn of(s: &ServiceDef) -> ServiceRow {
        let keywords = s.keywords.join(". ");
        // The title twice: a word of the title weighs more than one of the summary.
        let text = fold(&format!("{t}. {t}. {keywords}. {}. {}", s.category, s.summary, t = s.title));
        let names = fold(&format!("{}. {keywords}", s.title));
        let mut words: Vec<String> = names
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_string)
            .collect();
        words.sort();
        words.dedup();
        let mut row = ServiceRow {
            code: s.code.clone(),
            title: s.title.clone(),
            category: s.category.clone(),
            summary: s.summary.clone(),
            department: s.department.clone(),
            popular: s.popular,
            text,
            names,
            words,
            digest: String::new(),
        };
        let mut h = Sha256::new();
        for part in [&row.code, &row.title, &row.category, &row.summary, &row.department, &row.text, &row.names] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.update([u8::from(row.popular)]);
        row.digest = hex::encode(h.finalize());
        row
    }
}

/// The distinct letter triples of `words`.
fn triples(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        let chars: Vec<char> = w.chars().collect();
        for t in chars.windows(3) {
            let t: String = t.iter().collect();
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// What a sync changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Synced {
    pub written: usize,
    pub removed: usize,
}

#[derive(Debug, Clone, SurrealValue)]
struct Stored {
    code: String,
    digest: String,
}

/// Makes the `service` table hold exactly `services`. Idempotent: a second
/// run with the same files writes nothing.
pub async fn sync(db: &Db, services: &[ServiceDef]) -> Result<Synced, AppError> {
    let rows: Vec<ServiceRow> = services.iter().map(ServiceRow::of).collect();
    let stored: Vec<Stored> = db.query("SELECT code, digest FROM service").all("catalogue read").await?;
    let changed: Vec<ServiceRow> =
        rows.iter().filter(|r| !stored.iter().any(|s| s.code == r.code && s.digest == r.digest)).cloned().collect();
    let removed = stored.iter().filter(|s| !rows.iter().any(|r| r.code == s.code)).count();
    if changed.is_empty() && removed == 0 {
        return Ok(Synced::default());
    }
    let codes: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
    // Another server starting at once may write the same rows: the digest
    // guard makes its second write a no-op, and a conflict is run again.
    retrying_transaction("catalogue sync", || {
        let q = db
            .query(
                "BEGIN;
             FOR $s IN $rows {
                 UPSERT type::record('service', $s.code) CONTENT $s WHERE digest != $s.digest;
             };
             DELETE service WHERE code NOT IN $codes;
             COMMIT;",
            )
            .bind(("rows", changed.clone()))
            .bind(("codes", codes.clone()));
        (q, ())
    })
    .await?;
    Ok(Synced { written: changed.len(), removed })
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct Search<'a> {
    pub query: &'a str,
    pub category: Option<&'a str>,
    /// With an empty query: only the popular ones.
    pub popular_only: bool,
    pub limit: u32,
}

/// The services found, best first; an empty query lists them all (popular
/// first, then by title) or only the popular ones.
pub async fn search(db: &Db, s: &Search<'_>) -> Result<Vec<ServiceCard>, AppError> {
    let terms = query_terms(s.query);
    let category = s.category.map(str::to_string);
    let limit = s.limit.clamp(1, 500);
    if terms.is_empty() {
        return db
            .query(
                "SELECT code, title, category, summary, popular FROM service
                 WHERE ($category = NONE OR category = $category) AND ($popular = false OR popular = true)
                 ORDER BY popular DESC, title ASC LIMIT $limit",
            )
            .bind(("category", category))
            .bind(("popular", s.popular_only))
            .bind(("limit", limit))
            .all("catalogue list")
            .await;
    }
    let text = terms.join(" ");
    let found: Vec<ServiceCard> = db
        .query(
            "SELECT code, title, category, summary, popular, search::score(1) AS score FROM service
             WHERE text @1@ $text AND ($category = NONE OR category = $category)
             ORDER BY score DESC, title ASC LIMIT $limit",
        )
        .bind(("text", text.clone()))
        .bind(("category", category.clone()))
        .bind(("limit", limit))
        .all("catalogue search")
        .await?;
    if !found.is_empty() {
        return Ok(found);
    }
    // A typo or a part of a word: only words long enough to judge. The
    // index holds letter triples of the titles and keywords (the database
    // does not cut a query into triples, so this does), any of them makes
    // a candidate; a candidate stays when every word is inside one of its
    // words or close to one.
    let long: Vec<String> = terms.into_iter().filter(|t| t.chars().count() >= 3).collect();
    if long.is_empty() {
        return Ok(found);
    }
    let grams = triples(&long).join(" ");
    db.query(
        "SELECT code, title, category, summary, popular, score FROM (
             SELECT code, title, category, summary, popular, words, search::score(1) AS score FROM service
             WHERE names @1,OR@ $grams AND ($category = NONE OR category = $category)
             ORDER BY score DESC LIMIT $candidates
         )
         WHERE array::all($terms, |$t| array::any(words, |$w|
             string::contains($w, $t) OR string::similarity::jaro_winkler($w, $t) >= $near))
         ORDER BY score DESC, title ASC LIMIT $limit",
    )
    .bind(("grams", grams))
    .bind(("terms", long))
    .bind(("near", TYPO_SIMILARITY))
    .bind(("candidates", TYPO_CANDIDATES))
    .bind(("category", category))
    .bind(("limit", limit))
    .all("catalogue search by similarity")
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::services::catalog;

    async fn synced() -> Db {
        let db = crate::platform::db::memory().await.unwrap();
        sync(&db, catalog::all()).await.unwrap();
        db
    }

    async fn codes(db: &Db, query: &str) -> Vec<String> {
        search(db, &Search { query, limit: 50, ..Search::default() })
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.code)
            .collect()
    }

    #[tokio::test]
    async fn a_search_for_passport_finds_the_foreign_passport_in_any_word_form() {
        let db = synced().await;
        for q in
            ["паспорт", "паспорта", "ПАСПОРТ", "загранпаспорт", "заграничный паспорт", "хочу получить загранпаспорт"]
        {
            let found = codes(&db, q).await;
            assert!(found.contains(&"passport-foreign".to_string()), "{q}: {found:?}");
        }
        let found = codes(&db, "паспорт").await;
        assert!(found.contains(&"passport-internal".to_string()), "{found:?}");
        assert_eq!(codes(&db, "загранпаспорт").await[0], "passport-foreign");
    }

    #[tokio::test]
    async fn a_search_with_a_typo_still_finds_the_service() {
        let db = synced().await;
        for q in ["паспрот", "загранпаспот", "загран паспорт", "справка о судимсти", "выписка из ергн", "загран"]
        {
            assert!(!codes(&db, q).await.is_empty(), "{q}");
        }
        assert_eq!(codes(&db, "загранпаспот").await[0], "passport-foreign");
        assert!(codes(&db, "паспрот").await.contains(&"passport-foreign".to_string()));
        assert_eq!(codes(&db, "справка о судимсти").await[0], "criminal-record");
    }

    #[tokio::test]
    async fn word_forms_of_other_services_find_them_first() {
        let db = synced().await;
        for (q, code) in [
            ("справку о судимости", "criminal-record"),
            ("несудимость", "criminal-record"),
            ("детского сада", "kindergarten"),
            ("детский сад", "kindergarten"),
            ("выписку из ЕГРН", "egrn-extract"),
            ("прописка", "residence-registration"),
            ("субсидию на оплату коммунальных услуг", "housing-subsidy"),
            ("2-НДФЛ", "income-certificate"),
            ("замена паспорта в 45 лет", "passport-internal"),
        ] {
            let found = codes(&db, q).await;
            assert_eq!(found.first().map(String::as_str), Some(code), "{q}: {found:?}");
        }
    }

    #[tokio::test]
    async fn a_search_for_nothing_known_finds_nothing() {
        let db = synced().await;
        assert!(codes(&db, "вертолёт").await.is_empty());
        assert!(codes(&db, "паспорт вертолёт").await.is_empty());
        assert!(codes(&db, "zzz").await.is_empty());
    }

    #[tokio::test]
    async fn an_empty_query_lists_every_service_or_the_popular_ones_popular_first() {
        let db = synced().await;
        let all = search(&db, &Search { query: "  ", limit: 500, ..Search::default() }).await.unwrap();
        assert_eq!(all.len(), catalog::all().len());
        let first_plain = all.iter().position(|s| !s.popular).unwrap_or(all.len());
        assert!(all[first_plain..].iter().all(|s| !s.popular));
        let popular =
            search(&db, &Search { query: "", popular_only: true, limit: 500, ..Search::default() }).await.unwrap();
        assert!(popular.len() >= 5 && popular.iter().all(|s| s.popular), "{popular:?}");
    }

    #[tokio::test]
    async fn a_category_narrows_the_list_and_the_search() {
        let db = synced().await;
        let c = "Паспорта, регистрации, визы";
        let list = search(&db, &Search { category: Some(c), limit: 500, ..Search::default() }).await.unwrap();
        assert!(list.len() >= 3 && list.iter().all(|s| s.category == c));
        let found =
            search(&db, &Search { query: "справка", category: Some(c), limit: 50, ..Search::default() }).await.unwrap();
        assert!(found.iter().all(|s| s.category == c));
    }

    #[tokio::test]
    async fn a_long_query_is_cut_not_refused() {
        let db = synced().await;
        let q = format!("загранпаспорт {}", "и ".repeat(5000));
        assert_eq!(codes(&db, &q).await[0], "passport-foreign");
    }

    #[tokio::test]
    async fn the_sync_is_idempotent_and_removes_a_deleted_service() {
        let db = crate::platform::db::memory().await.unwrap();
        let all = catalog::all();
        assert_eq!(sync(&db, all).await.unwrap(), Synced { written: all.len(), removed: 0 });
        assert_eq!(sync(&db, all).await.unwrap(), Synced::default());
        // A changed file is written again; the others are left alone.
        let mut changed = all.to_vec();
        let egrn = changed.iter().position(|s| s.code == "egrn-extract").unwrap();
        changed[egrn].summary.push_str(" Изменено.");
        assert_eq!(sync(&db, &changed).await.unwrap(), Synced { written: 1, removed: 0 });
        // A file removed: its row goes, and the search no longer finds it.
        let without: Vec<_> = all.iter().filter(|s| s.code != "criminal-record").cloned().collect();
        assert_eq!(sync(&db, &without).await.unwrap(), Synced { written: 1, removed: 1 });
        assert!(!codes(&db, "судимость").await.contains(&"criminal-record".to_string()));
        let rows: Vec<String> = db.query("SELECT VALUE code FROM service").all("t").await.unwrap();
        assert_eq!(rows.len(), all.len() - 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn servers_starting_at_once_leave_one_row_per_service() {
        let db = crate::platform::db::memory().await.unwrap();
        let runs: Vec<_> = (0..6)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { sync(&db, catalog::all()).await })
            })
            .collect();
        for r in runs {
            r.await.unwrap().unwrap();
        }
        let rows: Vec<String> = db.query("SELECT VALUE code FROM service").all("t").await.unwrap();
        assert_eq!(rows.len(), catalog::all().len());
        assert_eq!(sync(&db, catalog::all()).await.unwrap(), Synced::default());
    }
}
