//! The catalogue of state services as data: one file per service in
//! `app/services/<code>.toml`, embedded at build time (`app/build.rs`), so
//! a new service is a new file. Each file holds what the service gives, who
//! may apply and with which account level, the documents, the legal term,
//! the state duty, the department that decides, and its application form
//! (`[[form.steps]]`, see `form.rs`).
//!
//! `load` parses and checks every file once; the server refuses to start
//! when a file is wrong and names the service and the field.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use surrealdb::types::SurrealValue;

use super::form::FormDef;
use crate::auth::model::Level;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// Latin letters, digits and `-`; the address `/services/<code>`; the
    /// file's name without `.toml`.
    pub code: String,
    pub title: String,
    pub category: String,
    /// One sentence for lists.
    pub summary: String,
    /// What the citizen gets.
    pub gives: String,
    /// Who may apply.
    pub who: String,
    /// The account level needed to apply.
    pub level: Level,
    /// The department whose officials decide (an official's `department`).
    pub department: String,
    /// The legal term in days, counted from «Принято от заявителя».
    pub term_days: u32,
    /// The term as the law says it, e.g. «30 календарных дней».
    pub term: String,
    /// The state duty in kopecks, if any: sending the application makes
    /// its charge (`charges::store::duty_in`).
    #[serde(default)]
    pub price_kopecks: Option<i64>,
    /// An appeal of a charge: the form's field `uin` names the person's own
    /// charge, «обжалуется» while the appeal runs, annulled if granted.
    #[serde(default)]
    pub appeals_charge: bool,
    /// The documents needed, as a person reads them.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Other words people search with («загранпаспорт»).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Shown among «Популярные услуги».
    #[serde(default)]
    pub popular: bool,
    pub form: FormDef,
}

/// A service in a list: the card links to `/services/<code>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(SurrealValue))]
pub struct ServiceCard {
    pub code: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    pub popular: bool,
}

/// A category and how many services it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub name: String,
    pub count: u32,
}

/// What a search found, with the categories for the filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub services: Vec<ServiceCard>,
    pub categories: Vec<Category>,
    /// The category asked for, when it exists.
    pub category: Option<String>,
}

/// The page of one service: everything but its form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub code: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    pub gives: String,
    pub who: String,
    pub level: Level,
    pub department: String,
    pub term: String,
    pub price_kopecks: Option<i64>,
    pub documents: Vec<String>,
}

impl From<&ServiceDef> for ServiceView {
    fn from(s: &ServiceDef) -> Self {
        ServiceView {
            code: s.code.clone(),
            title: s.title.clone(),
            category: s.category.clone(),
            summary: s.summary.clone(),
            gives: s.gives.clone(),
            who: s.who.clone(),
            level: s.level,
            department: s.department.clone(),
            term: s.term.clone(),
            price_kopecks: s.price_kopecks,
            documents: s.documents.clone(),
        }
    }
}

/// The longest query read (characters); the rest is ignored.
pub const QUERY_MAX: usize = 100;
/// The most words of a query searched for.
pub const TERMS_MAX: usize = 8;
/// A request longer than this is refused outright.
pub const REQUEST_MAX: usize = 1000;

/// Lower case, «ё» as «е»: how both the services and the queries are read.
pub fn fold(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

/// Words that say nothing about which service is meant: prepositions,
/// conjunctions and the words of a wish («хочу получить справку»).
const NOISE: &[&str] = &[
    "а",
    "в",
    "во",
    "и",
    "к",
    "ко",
    "о",
    "об",
    "обо",
    "с",
    "со",
    "у",
    "на",
    "по",
    "из",
    "за",
    "от",
    "до",
    "для",
    "без",
    "при",
    "про",
    "или",
    "не",
    "ли",
    "как",
    "где",
    "мне",
    "хочу",
    "нужно",
    "нужна",
    "нужен",
    "надо",
    "получить",
    "сделать",
    "подать",
];

/// The words of a query as the search reads them: folded, split at what is
/// not a letter or digit, noise words dropped, at most `TERMS_MAX` of the
/// first `QUERY_MAX` characters.
pub fn query_terms(query: &str) -> Vec<String> {
    let head: String = query.chars().take(QUERY_MAX).collect();
    let mut terms: Vec<String> = Vec::new();
    for w in fold(&head).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !NOISE.contains(&w) && !terms.iter().any(|t| t == w) {
            terms.push(w.to_string());
        }
    }
    terms.truncate(TERMS_MAX);
    terms
}

/// The state duty as a person reads it: «6 000 ₽», «350 ₽», «1 234,50 ₽»,
/// or «Бесплатно».
pub fn price_label(kopecks: Option<i64>) -> String {
    let Some(k) = kopecks.filter(|k| *k > 0) else { return "Бесплатно".to_string() };
    let rubles = k / 100;
    let digits = rubles.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    match k % 100 {
        0 => format!("{grouped}\u{a0}₽"),
        cents => format!("{grouped},{cents:02}\u{a0}₽"),
    }
}

/// The catalogue's search (`/services`, and the home page): no sign-in
/// needed. An empty `q` lists every service (`popular`: only the popular).
#[server(endpoint = "services/search")]
pub async fn search_services(
    #[server(default)] q: String,
    #[server(default)] category: String,
    #[server(default)] popular: bool,
) -> Result<Found, AppError> {
    if q.len() > REQUEST_MAX || category.len() > REQUEST_MAX {
        return Err(AppError::invalid(crate::error::BAD_REQUEST));
    }
    let state = crate::platform::app_state()?;
    let categories = categories();
    let category = categories.iter().find(|c| c.name == category).map(|c| c.name.clone());
    let services = super::catalog_store::search(
        &state.db,
        &super::catalog_store::Search { query: &q, category: category.as_deref(), popular_only: popular, limit: 200 },
    )
    .await?;
    Ok(Found { services, categories, category })
}

/// `/services/<code>`; an unknown code is «Страница не найдена».
#[server(endpoint = "services/page")]
pub async fn get_service(code: String) -> Result<ServiceView, AppError> {
    find(&code).map(ServiceView::from).ok_or(AppError::NotFound)
}

/// The categories in the order services first name them, with their counts.
#[cfg(feature = "ssr")]
pub fn categories() -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for s in all() {
        match out.iter_mut().find(|c| c.name == s.category) {
            Some(c) => c.count += 1,
            None => out.push(Category { name: s.category.clone(), count: 1 }),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(feature = "ssr")]
mod load {
    use std::sync::OnceLock;

    use super::ServiceDef;

    include!(concat!(env!("OUT_DIR"), "/service_files.rs"));

    static CATALOGUE: OnceLock<Result<Vec<ServiceDef>, String>> = OnceLock::new();

    /// Every service, parsed and checked once; `Err` names the file, the
    /// service and the field that is wrong.
    pub fn load() -> Result<&'static [ServiceDef], &'static str> {
        match CATALOGUE.get_or_init(|| parse(SERVICE_FILES)) {
            Ok(v) => Ok(v),
            Err(e) => Err(e),
        }
    }

    /// Every service; empty when the catalogue is wrong (the server does
    /// not start then: `main` calls `load` first).
    pub fn all() -> &'static [ServiceDef] {
        load().unwrap_or(&[])
    }

    pub fn find(code: &str) -> Option<&'static ServiceDef> {
        all().iter().find(|s| s.code == code)
    }

    pub fn parse(files: &[(&str, &str)]) -> Result<Vec<ServiceDef>, String> {
        let mut out: Vec<ServiceDef> = Vec::new();
        for (name, text) in files {
            let s: ServiceDef =
                toml::from_str(text).map_err(|e| format!("услуга в файле {name}: {}", e.to_string().trim()))?;
            let whose = format!("услуга «{}» ({name})", s.code);
            if format!("{}.toml", s.code) != *name {
                return Err(format!("{whose}: code должен совпадать с именем файла"));
            }
            if s.code.is_empty() || !s.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(format!("{whose}: code — строчные латинские буквы, цифры и -"));
            }
            for (field, v) in [
                ("title", &s.title),
                ("category", &s.category),
                ("summary", &s.summary),
                ("gives", &s.gives),
                ("who", &s.who),
                ("department", &s.department),
                ("term", &s.term),
            ] {
                if v.trim().is_empty() {
                    return Err(format!("{whose}, поле {field}: пусто"));
                }
            }
            if s.term_days == 0 || s.term_days > 365 {
                return Err(format!("{whose}, поле term_days: от 1 до 365"));
            }
            if s.price_kopecks.is_some_and(|p| p <= 0) {
                return Err(format!("{whose}, поле price_kopecks: больше нуля или не указывать"));
            }
            s.form.check().map_err(|(field, m)| format!("{whose}, поле формы «{field}»: {m}"))?;
            if s.appeals_charge
                && s.form.field("uin").is_none_or(|f| f.pattern != Some(crate::services::form::Pattern::Uin))
            {
                return Err(format!("{whose}, поле appeals_charge: в форме нужно поле uin с pattern = \"uin\""));
            }
            if out.iter().any(|o| o.code == s.code) {
                return Err(format!("{whose}: такой code уже есть"));
            }
            out.push(s);
        }
        Ok(out)
    }
}

#[cfg(feature = "ssr")]
pub use load::{all, find, load, parse};

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn a_query_is_read_as_folded_words_without_noise() {
        assert_eq!(super::query_terms("Хочу получить справку о судимости"), ["справку", "судимости"]);
        assert_eq!(super::query_terms("  Учёт, 2-НДФЛ "), ["учет", "2", "ндфл"]);
        assert!(super::query_terms(" о  в ").is_empty());
        assert_eq!(super::query_terms(&"а б ".repeat(100)).len(), 1);
        assert!(super::query_terms(&"слово ".repeat(400)).len() <= super::TERMS_MAX);
    }

    #[test]
    fn a_price_reads_in_rubles_or_free() {
        assert_eq!(super::price_label(Some(600_000)), "6\u{a0}000\u{a0}₽");
        assert_eq!(super::price_label(Some(35_000)), "350\u{a0}₽");
        assert_eq!(super::price_label(Some(123_450)), "1\u{a0}234,50\u{a0}₽");
        assert_eq!(super::price_label(None), "Бесплатно");
    }

    #[test]
    fn every_service_file_is_valid() {
        let all = super::load().unwrap();
        assert!(!all.is_empty());
    }

    #[test]
    fn a_wrong_service_file_is_refused_naming_the_service_and_the_field() {
        let text = r#"
code = "x"
title = "Услуга"
category = "Прочее"
summary = "s"
gives = "g"
who = "w"
level = "standard"
department = "МВД России"
term_days = 10
term = "10 дней"
[[form.steps]]
title = "Шаг"
[[form.steps.fields]]
id = "kind"
label = "Вид"
kind = "choice"
"#;
        let e = super::parse(&[("x.toml", text)]).unwrap_err();
        assert!(e.contains("«x»") && e.contains("kind"), "{e}");
        let e = super::parse(&[("y.toml", text)]).unwrap_err();
        assert!(e.contains("именем файла"), "{e}");
        let e = super::parse(&[("x.toml", &text.replace("term_days = 10", "term_days = 10\ncolour = 1"))]).unwrap_err();
        assert!(e.contains("colour"), "{e}");
    }
}
