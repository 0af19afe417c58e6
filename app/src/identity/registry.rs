//! The two registries the check asks, as the exchange carries them: the
//! requests (what the portal sends), the answer (found or «сведения не
//! найдены»), and, for development and tests, the people the simulated
//! registries know. A real СМЭВ adapter maps the same requests and answers
//! to the registries' own message formats.
//!
//! Each registry compares the data with the person: the Social Fund (ПФР)
//! finds a СНИЛС only with the same surname, name, patronymic and birth
//! date; the МВД finds a passport only with the same series, number, date
//! of issue and division code, of the same person. «Кем выдан» is free
//! text that people write in many ways; it is sent but not compared.

use serde::{Deserialize, Serialize};

/// The Social Fund of Russia (ПФР): is this СНИЛС this person's?
pub const SNILS_SYSTEM: &str = "pfr.snils";
/// The МВД: is this passport valid and this person's?
pub const PASSPORT_SYSTEM: &str = "mvd.passport";
/// The systems whose requests the identity worker sends.
pub const SYSTEMS: &[&str] = &[SNILS_SYSTEM, PASSPORT_SYSTEM];

/// Who the data should belong to: the account's name and birth date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    /// `YYYY-MM-DD`
    pub birth_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnilsQuery {
    /// `156-372-948 94`
    pub snils: String,
    pub holder: Holder,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportQuery {
    /// `45 12`
    pub series: String,
    /// `654321`
    pub number: String,
    /// `YYYY-MM-DD`
    pub issued_on: String,
    pub issued_by: String,
    /// `770-005`
    pub division_code: String,
    pub holder: Holder,
}

/// A registry's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The registry holds exactly this data of exactly this person.
    pub found: bool,
}

/// A person the simulated registries know.
#[derive(Debug, Clone, Copy)]
pub struct FixturePerson {
    pub surname: &'static str,
    pub name: &'static str,
    pub patronymic: &'static str,
    /// `YYYY-MM-DD`
    pub birth_date: &'static str,
    pub snils: &'static str,
    pub passport_series: &'static str,
    pub passport_number: &'static str,
    /// `YYYY-MM-DD`
    pub passport_issued_on: &'static str,
    pub passport_issued_by: &'static str,
    pub passport_division: &'static str,
}

const fn person(
    fio: [&'static str; 3],
    birth_date: &'static str,
    snils: &'static str,
    passport: [&'static str; 5],
) -> FixturePerson {
    FixturePerson {
        surname: fio[0],
        name: fio[1],
        patronymic: fio[2],
        birth_date,
        snils,
        passport_series: passport[0],
        passport_number: passport[1],
        passport_issued_on: passport[2],
        passport_issued_by: passport[3],
        passport_division: passport[4],
    }
}

/// Everyone the simulated registries know (dev mode and tests): the demo
/// citizens (`demo.rs`: Иванов's СНИЛС and passport as on record there,
/// Петрова's for trying the check) and a dozen more. Anyone else is
/// «сведения не найдены».
pub const PERSONS: &[FixturePerson] = &[
    person(
        ["Иванов", "Иван", "Иванович"],
        "1985-05-15",
        "112-233-445 95",
        ["45 10", "123456", "2015-05-20", "ГУ МВД России по г. Москве", "770-001"],
    ),
    person(
        ["Петрова", "Мария", "Сергеевна"],
        "1992-11-03",
        "127-485-031 64",
        ["45 12", "345678", "2012-11-20", "ГУ МВД России по г. Москве", "770-028"],
    ),
    person(
        ["Сидоров", "Олег", "Павлович"],
        "1979-02-21",
        "123-456-789 64",
        ["45 05", "246810", "2004-03-12", "ОВД района Хамовники г. Москвы", "772-015"],
    ),
    person(
        ["Ковалёва", "Анна", "Игоревна"],
        "1990-08-09",
        "138-276-519 85",
        ["40 12", "135790", "2012-10-01", "ТП УФМС России по г. Санкт-Петербургу", "780-021"],
    ),
    person(
        ["Соколова", "Елена", "Викторовна"],
        "1991-02-14",
        "156-372-948 94",
        ["45 12", "654321", "2011-03-20", "ГУ МВД России по г. Москве", "770-005"],
    ),
    person(
        ["Кузьмин", "Алексей", "Дмитриевич"],
        "1978-07-09",
        "138-520-746 63",
        ["40 23", "112233", "2023-07-25", "ГУ МВД России по г. Санкт-Петербургу и Ленинградской области", "780-022"],
    ),
    person(
        ["Новикова", "Ольга", "Андреевна"],
        "2000-03-30",
        "149-063-582 78",
        ["46 20", "445566", "2020-04-15", "ГУ МВД России по Московской области", "500-104"],
    ),
    person(
        ["Морозов", "Дмитрий", "Петрович"],
        "1969-12-01",
        "163-840-217 60",
        ["50 14", "778899", "2014-12-10", "ГУ МВД России по Новосибирской области", "540-003"],
    ),
    person(
        ["Волков", "Сергей", "Николаевич"],
        "1988-06-21",
        "174-925-306 91",
        ["60 08", "223344", "2008-07-02", "ГУ МВД России по Ростовской области", "610-016"],
    ),
    person(
        ["Лебедева", "Анна", "Игоревна"],
        "1995-09-17",
        "185-016-473 65",
        ["92 15", "667788", "2015-10-01", "МВД по Республике Татарстан", "160-005"],
    ),
    person(
        ["Козлов", "Никита", "Александрович"],
        "2005-01-25",
        "196-237-540 00",
        ["65 19", "990011", "2019-02-12", "ГУ МВД России по Свердловской области", "660-009"],
    ),
    person(
        ["Попова", "Татьяна", "Васильевна"],
        "1958-04-08",
        "207-348-651 65",
        ["45 03", "556677", "2003-04-20", "Отделением УФМС России по г. Москве по району Хамовники", "770-093"],
    ),
    person(
        ["Фёдоров", "Артём", "Сергеевич"],
        "1983-10-30",
        "218-459-762 00",
        ["40 08", "334455", "2008-11-11", "ТП № 15 УФМС России по г. Санкт-Петербургу", "780-015"],
    ),
    person(
        ["Михайлова", "Екатерина", "Олеговна"],
        "1999-08-05",
        "229-560-873 97",
        ["46 19", "112244", "2019-08-20", "ГУ МВД России по Московской области", "500-032"],
    ),
    person(
        ["Алексеев", "Павел", "Романович"],
        "1975-02-28",
        "231-604-985 48",
        ["45 20", "887766", "2020-03-10", "ГУ МВД России по г. Москве", "770-047"],
    ),
    person(
        ["Григорьева", "Наталья", "Юрьевна"],
        "1986-12-19",
        "242-715-096 54",
        ["60 07", "445577", "2007-01-15", "ГУ МВД России по Ростовской области", "610-012"],
    ),
];

/// A name as registries compare it: case, spaces and ё/е do not matter.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace('ё', "е");
    norm(a) == norm(b)
}

fn is_holder(p: &FixturePerson, h: &Holder) -> bool {
    same_name(p.surname, &h.surname)
        && same_name(p.name, &h.name)
        && same_name(p.patronymic, &h.patronymic)
        && p.birth_date == h.birth_date
}

/// What the Social Fund answers among `persons`.
pub fn answer_snils(persons: &[FixturePerson], q: &SnilsQuery) -> Answer {
    Answer { found: persons.iter().any(|p| p.snils == q.snils && is_holder(p, &q.holder)) }
}

/// What the МВД answers among `persons`.
pub fn answer_passport(persons: &[FixturePerson], q: &PassportQuery) -> Answer {
    let found = persons.iter().any(|p| {
        p.passport_series == q.series
            && p.passport_number == q.number
            && p.passport_issued_on == q.issued_on
            && p.passport_division == q.division_code
            && is_holder(p, &q.holder)
    });
    Answer { found }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::identifier::normalize_snils;

    fn holder(p: &FixturePerson) -> Holder {
        Holder {
            surname: p.surname.into(),
            name: p.name.into(),
            patronymic: p.patronymic.into(),
            birth_date: p.birth_date.into(),
        }
    }

    fn passport_of(p: &FixturePerson) -> PassportQuery {
        PassportQuery {
            series: p.passport_series.into(),
            number: p.passport_number.into(),
            issued_on: p.passport_issued_on.into(),
            issued_by: p.passport_issued_by.into(),
            division_code: p.passport_division.into(),
            holder: holder(p),
        }
    }

    #[test]
    fn the_registries_know_a_dozen_people_with_valid_numbers_and_the_demo_citizens() {
        assert!(PERSONS.len() >= 12);
        for p in PERSONS {
            assert_eq!(normalize_snils(p.snils).as_deref(), Ok(p.snils), "{}", p.surname);
            assert!(answer_snils(PERSONS, &SnilsQuery { snils: p.snils.into(), holder: holder(p) }).found);
            assert!(answer_passport(PERSONS, &passport_of(p)).found);
        }
        for a in crate::demo::DEMO_ACCOUNTS {
            let p = PERSONS.iter().find(|p| p.surname == a.surname && p.name == a.name).expect(a.surname);
            assert_eq!(p.birth_date, a.birth_date);
            if let Some(snils) = a.snils {
                assert_eq!(p.snils, snils);
            }
            if let Some(passport) = a.passport {
                assert!(passport.starts_with(&format!("{} {}", p.passport_series, p.passport_number)), "{passport}");
            }
        }
    }

    #[test]
    fn sokolova_is_found_and_a_wrong_passport_number_is_not() {
        let h = Holder {
            surname: "Соколова".into(),
            name: "Елена".into(),
            patronymic: "Викторовна".into(),
            birth_date: "1991-02-14".into(),
        };
        assert!(answer_snils(PERSONS, &SnilsQuery { snils: "156-372-948 94".into(), holder: h.clone() }).found);
        let mut q = PassportQuery {
            series: "45 12".into(),
            number: "654321".into(),
            issued_on: "2011-03-20".into(),
            issued_by: "ГУ МВД России по г. Москве".into(),
            division_code: "770-005".into(),
            holder: h.clone(),
        };
        assert!(answer_passport(PERSONS, &q).found);
        q.number = "654322".into();
        assert!(!answer_passport(PERSONS, &q).found);
        // Another birth date is another person, for both registries.
        let other = Holder { birth_date: "1991-02-15".into(), ..h };
        assert!(!answer_snils(PERSONS, &SnilsQuery { snils: "156-372-948 94".into(), holder: other }).found);
    }

    #[test]
    fn names_are_compared_without_case_and_with_e_for_yo() {
        assert!(same_name("Фёдоров", "ФЕДОРОВ"));
        assert!(same_name(" Артём ", "артем"));
        assert!(!same_name("Федоров", "Федорова"));
    }
}
