//! The popular services shown on the home page and the search over them.
//! Pure functions: the same code filters on the server (JavaScript off) and
//! in the browser (as you type).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    pub title: &'static str,
    pub category: &'static str,
    pub summary: &'static str,
    /// Extra words people search by.
    pub keywords: &'static str,
}

const SERVICES: &[Service] = &[
    Service {
        title: "Оплата штрафов ГИБДД",
        category: "Штрафы и налоги",
        summary: "Проверка и оплата штрафов по номеру СТС или водительского удостоверения, со скидкой 50% в первые 20 дней.",
        keywords: "штраф гибдд пдд авто машина скидка",
    },
    Service {
        title: "Налоговая задолженность",
        category: "Штрафы и налоги",
        summary: "Налоги на имущество, землю и транспорт: начисления, задолженность и оплата онлайн.",
        keywords: "налог инн фнс долг задолженность",
    },
    Service {
        title: "Запись к врачу",
        category: "Здоровье",
        summary: "Запись на приём в поликлинику по полису ОМС, перенос и отмена записи.",
        keywords: "врач поликлиника омс приём талон медицина",
    },
    Service {
        title: "Замена паспорта гражданина РФ",
        category: "Паспорта и регистрация",
        summary: "По достижении 20 и 45 лет, при смене фамилии или порче паспорта.",
        keywords: "паспорт замена документ",
    },
    Service {
        title: "Заграничный паспорт",
        category: "Паспорта и регистрация",
        summary: "Оформление загранпаспорта старого или нового образца.",
        keywords: "загранпаспорт загран поездка выезд",
    },
    Service {
        title: "Регистрация по месту жительства",
        category: "Паспорта и регистрация",
        summary: "Постоянная и временная регистрация, снятие с регистрационного учёта.",
        keywords: "прописка регистрация адрес учёт",
    },
    Service {
        title: "Справка об отсутствии судимости",
        category: "Справки и выписки",
        summary: "Электронная справка о наличии или отсутствии судимости.",
        keywords: "судимость справка мвд",
    },
    Service {
        title: "Выписка о пенсионных накоплениях",
        category: "Пенсии и пособия",
        summary: "Сведения о состоянии индивидуального лицевого счёта в СФР.",
        keywords: "пенсия снилс сфр выписка стаж",
    },
    Service {
        title: "Регистрация транспортного средства",
        category: "Транспорт",
        summary: "Постановка автомобиля на учёт, изменение данных, снятие с учёта.",
        keywords: "авто машина учёт гибдд регистрация",
    },
    Service {
        title: "Запись в детский сад",
        category: "Образование",
        summary: "Постановка ребёнка в очередь в детский сад и отслеживание очереди.",
        keywords: "детский сад очередь ребёнок",
    },
];

pub fn popular_services() -> &'static [Service] {
    SERVICES
}

/// Lower-cases and treats «ё» as «е», so «учет» finds «учёт».
fn normalize(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

/// Services whose title, category or keywords contain every word of the
/// query. An empty query gives all of them.
pub fn search_services(query: &str) -> Vec<Service> {
    let words: Vec<String> = normalize(query).split_whitespace().map(str::to_string).collect();
    SERVICES
        .iter()
        .filter(|s| {
            let hay = normalize(&format!("{} {} {}", s.title, s.category, s.keywords));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_query_lists_every_popular_service() {
        assert_eq!(search_services("  ").len(), popular_services().len());
    }

    #[test]
    fn search_ignores_case_and_yo() {
        let found = search_services("УЧЕТ");
        assert!(found.iter().any(|s| s.title == "Регистрация транспортного средства"));
    }

    #[test]
    fn every_word_must_match() {
        let found = search_services("штраф гибдд");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].title, "Оплата штрафов ГИБДД");
        assert!(search_services("штраф паспорт").is_empty());
    }
}
