//! A person's surname, name and patronymic as every form that takes one
//! (registration, a new staff member) checks them. Pure; builds for wasm.

use super::identifier::is_cyrillic_letter;

/// A Latin letter, plain or with diacritics (Latin-1 and Latin Extended-A/B).
pub(crate) fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// A surname, name or patronymic: spaces trimmed and collapsed, typographic
/// apostrophes and hyphens made plain; letters of one alphabet (Cyrillic or
/// Latin), a hyphen, an apostrophe or a single space between letters, 1..=60
/// characters. An empty optional field gives an empty string.
pub fn validate_name(field_label: &str, input: &str, required: bool) -> Result<String, String> {
    let name: String = input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| match c {
            '’' | 'ʼ' | '‘' | '`' => '\'',
            '‐' | '‑' => '-',
            other => other,
        })
        .collect();
    if name.is_empty() {
        return if required { Err(format!("{field_label}: заполните поле")) } else { Ok(name) };
    }
    if name.chars().count() > 60 {
        return Err(format!("{field_label}: не более 60 символов"));
    }
    let is_separator = |c: char| matches!(c, '-' | '\'' | ' ');
    if !name.chars().all(|c| is_cyrillic_letter(c) || is_latin_letter(c) || is_separator(c)) {
        return Err(format!("{field_label}: только буквы, дефис и апостроф"));
    }
    let chars: Vec<char> = name.chars().collect();
    let edges_ok = chars.first().is_some_and(|c| !is_separator(*c)) && chars.last().is_some_and(|c| !is_separator(*c));
    if !edges_ok || chars.windows(2).any(|w| is_separator(w[0]) && is_separator(w[1])) {
        return Err(format!("{field_label}: дефис, апостроф и пробел ставятся только между буквами"));
    }
    if chars.iter().any(|&c| is_cyrillic_letter(c)) && chars.iter().any(|&c| is_latin_letter(c)) {
        return Err(format!("{field_label}: буквы одного алфавита — только русские или только латинские"));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_is_trimmed_and_inner_spaces_collapsed() {
        assert_eq!(validate_name("Фамилия", "  Иванова   Петрова ", true), Ok("Иванова Петрова".to_string()));
        assert_eq!(validate_name("Фамилия", "Мамин-Сибиряк", true), Ok("Мамин-Сибиряк".to_string()));
        assert_eq!(validate_name("Фамилия", "д’Артаньян", true), Ok("д'Артаньян".to_string()));
        assert_eq!(validate_name("Имя", "Jean-Luc", true), Ok("Jean-Luc".to_string()));
        assert_eq!(validate_name("Имя", "Ёжик", true), Ok("Ёжик".to_string()));
        assert_eq!(validate_name("Отчество", "   ", false), Ok(String::new()));
    }

    #[test]
    fn required_name_must_be_filled() {
        assert_eq!(validate_name("Фамилия", "  ", true), Err("Фамилия: заполните поле".to_string()));
    }

    #[test]
    fn name_with_digits_or_symbols_is_refused_naming_the_field() {
        assert_eq!(
            validate_name("Фамилия", "Иванов2", true),
            Err("Фамилия: только буквы, дефис и апостроф".to_string())
        );
        assert_eq!(validate_name("Имя", "Иван!", true), Err("Имя: только буквы, дефис и апостроф".to_string()));
    }

    #[test]
    fn name_signs_stand_only_between_letters() {
        for input in ["-Иван", "Иван-", "Иван--Петров", "Иван - Петров", "'Иван"] {
            assert!(validate_name("Имя", input, true).is_err_and(|e| e.contains("между буквами")), "{input}");
        }
    }

    #[test]
    fn name_mixing_alphabets_is_refused() {
        // The «а» is Latin.
        assert_eq!(
            validate_name("Фамилия", "Ивaнов", true),
            Err("Фамилия: буквы одного алфавита — только русские или только латинские".to_string())
        );
    }

    #[test]
    fn name_is_at_most_60_characters() {
        assert!(validate_name("Фамилия", &"Я".repeat(60), true).is_ok());
        assert_eq!(validate_name("Фамилия", &"Я".repeat(61), true), Err("Фамилия: не более 60 символов".to_string()));
    }

    // birth date
}
