//! How the portal writes things a person reads, the same in the browser and
//! on the server: Moscow time, phone numbers (whole and masked), masked
//! e-mail, a browser's name from its user agent, and a URL component.
//! Pure functions; they build for wasm.

use chrono::{DateTime, FixedOffset, Utc};

/// Moscow time, UTC+3 all year.
fn moscow() -> Option<FixedOffset> {
    FixedOffset::east_opt(3 * 3600)
}

/// «22.11.2026 14:35» in Moscow time.
pub fn msk(t: DateTime<Utc>) -> String {
    match moscow() {
        Some(o) => t.with_timezone(&o).format("%d.%m.%Y %H:%M").to_string(),
        None => t.format("%d.%m.%Y %H:%M UTC").to_string(),
    }
}

/// The date in Moscow at `t`.
pub fn msk_date(t: DateTime<Utc>) -> chrono::NaiveDate {
    match moscow() {
        Some(o) => t.with_timezone(&o).date_naive(),
        None => t.date_naive(),
    }
}

/// «01.12.2026» from `YYYY-MM-DD` (the text itself when it is not a date).
pub fn date_ru(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// «14:35 по московскому времени» (with the date when it is not today).
pub fn moscow_time(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let Some(o) = moscow() else { return t.format("%H:%M UTC").to_string() };
    let local = t.with_timezone(&o);
    if local.date_naive() == now.with_timezone(&o).date_naive() {
        format!("{} по московскому времени", local.format("%H:%M"))
    } else {
        format!("{} по московскому времени", local.format("%d.%m.%Y %H:%M"))
    }
}

/// A phone in the form people read: `+7 916 123-45-67`.
pub fn pretty_phone(phone: &str) -> String {
    let d: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 11 {
        return phone.to_string();
    }
    let s: String = d.iter().collect();
    format!("+7 {} {}-{}-{}", &s[1..4], &s[4..7], &s[7..9], &s[9..11])
}

/// `+7 916 ***-**-67`
pub fn mask_phone(phone: &str) -> String {
    let pretty = pretty_phone(phone);
    let tail: String = pretty.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
    match pretty.get(0..6) {
        Some(head) if pretty.len() == 16 => format!("{head} ***-**-{tail}"),
        _ => "***".to_string(),
    }
}

/// `iv***@mail.ru`
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let head: String = local.chars().take(2).collect();
            format!("{head}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// The browser and the system a user agent names, when it names ones we
/// know. Written by hand: a dozen browser families and systems need no
/// regex database, and the user-agent parser crates carry a large one.
pub fn device(user_agent: &str) -> (Option<&'static str>, Option<&'static str>) {
    let ua = user_agent;
    let browser = if ua.contains("YaBrowser/") {
        Some("Яндекс Браузер")
    } else if ua.contains("Edg/") || ua.contains("EdgA/") || ua.contains("EdgiOS/") {
        Some("Edge")
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        Some("Opera")
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        Some("Firefox")
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/") {
        Some("Chrome")
    } else if ua.contains("Safari/") {
        Some("Safari")
    } else {
        None
    };
    let system = if ua.contains("iPhone") {
        Some("iPhone")
    } else if ua.contains("iPad") {
        Some("iPad")
    } else if ua.contains("Android") {
        Some("Android")
    } else if ua.contains("Windows") {
        Some("Windows")
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        Some("macOS")
    } else if ua.contains("CrOS") {
        Some("ChromeOS")
    } else if ua.contains("Linux") {
        Some("Linux")
    } else {
        None
    };
    (browser, system)
}

/// «Chrome на Windows» from a user agent; «Неизвестное устройство» when it
/// says nothing we know.
pub fn describe_device(user_agent: &str) -> String {
    match device(user_agent) {
        (Some(b), Some(s)) => format!("{b} на {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => format!("Устройство на {s}"),
        (None, None) => "Неизвестное устройство".to_string(),
    }
}

/// `/profile?x=1` → `%2Fprofile%3Fx%3D1` for a `next` parameter.
pub fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_masked_for_the_code_page() {
        assert_eq!(pretty_phone("+79161234567"), "+7 916 123-45-67");
        assert_eq!(mask_phone("+79161234567"), "+7 916 ***-**-67");
        assert_eq!(mask_email("ivanov@mail.ru"), "iv***@mail.ru");
    }

    #[test]
    fn devices_are_named_as_people_say() {
        let chrome_win = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
        assert_eq!(describe_device(chrome_win), "Chrome на Windows");
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(safari_iphone), "Safari на iPhone");
        let headless =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36";
        assert_eq!(describe_device(headless), "Chrome на Linux");
        let yandex = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 YaBrowser/24.1 Mobile Safari/537.36";
        assert_eq!(describe_device(yandex), "Яндекс Браузер на Android");
        assert_eq!(describe_device(""), "Неизвестное устройство");
    }

    #[test]
    fn moscow_time_is_utc_plus_three_with_the_date_when_not_today() {
        let t = DateTime::parse_from_rfc3339("2026-11-22T11:35:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(moscow_time(t, t), "14:35 по московскому времени");
        assert_eq!(msk(t), "22.11.2026 14:35");
        let next_day = t + chrono::TimeDelta::days(1);
        assert_eq!(moscow_time(t, next_day), "22.11.2026 14:35 по московскому времени");
    }

    #[test]
    fn next_parameters_are_percent_encoded() {
        assert_eq!(encode_component("/profile?x=1"), "%2Fprofile%3Fx%3D1");
    }
}
