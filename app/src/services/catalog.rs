//! The catalogue of state services as data: one file per service in
//! `app/services/<code>.toml`, embedded at build time (`app/build.rs`), so
//! a new service is a new file. Each file holds what the service gives, who
//! may apply and with which account level, the documents, the legal term,
//! the state duty, the department that decides, and its application form
//! (`[[form.steps]]`, see `form.rs`).
//!
//! `load` parses and checks every file once; the server refuses to start
//! when a file is wrong and names the service and the field.

use serde::{Deserialize, Serialize};

use super::form::FormDef;
use crate::auth::model::Level;

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
    /// The state duty in kopecks, if any.
    #[serde(default)]
    pub price_kopecks: Option<i64>,
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
