//! The sheet an МФЦ operator prints for a person registered in person
//! (spec 003 «Регистрация через МФЦ»: «распечатанный лист с логином,
//! паролем и QR‑кодом для быстрого входа»): A4, Cyrillic text in an
//! embedded font (DejaVu Sans, free licence, `app/assets/`), the login,
//! the one-time password and a QR code that opens the sign-in page with the
//! login filled in. printpdf writes the PDF; qrcode makes the modules,
//! drawn as filled squares.

use printpdf::{Mm, PdfDocument};

use crate::error::AppError;
use crate::platform::pdf::{FONT, draw_qr, text};
use crate::platform::request::internal;

/// What the sheet says.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub full_name: String,
    pub login: String,
    pub password: String,
    pub sign_in_url: String,
    pub qr: String,
    pub issued_at: String,
    pub password_until: String,
    pub office: String,
}

/// The PDF bytes.
pub fn render(s: &Sheet) -> Result<Vec<u8>, AppError> {
    let fail = |e: &dyn std::fmt::Display| internal("mfc sheet", e.to_string());
    let (doc, page, layer) = PdfDocument::new("Госпортал: вход в личный кабинет", Mm(210.0), Mm(297.0), "sheet");
    let regular = doc.add_external_font(FONT).map_err(|e| fail(&e))?;
    let bold = regular.clone();
    let l = doc.get_page(page).get_layer(layer);

    text(&l, &bold, 20.0, 20.0, 270.0, "Госпортал");
    text(&l, &regular, 13.0, 20.0, 262.0, "Данные для входа в личный кабинет");
    text(&l, &regular, 11.0, 20.0, 248.0, &format!("Гражданин: {}", s.full_name));
    if !s.office.is_empty() {
        text(&l, &regular, 11.0, 20.0, 241.0, &format!("Место регистрации: {}", s.office));
    }
    text(&l, &regular, 11.0, 20.0, 234.0, &format!("Дата регистрации: {}", s.issued_at));

    text(&l, &regular, 11.0, 20.0, 218.0, "Логин (СНИЛС):");
    text(&l, &bold, 16.0, 20.0, 210.0, &s.login);
    text(&l, &regular, 11.0, 20.0, 198.0, "Временный пароль:");
    text(&l, &bold, 16.0, 20.0, 190.0, &s.password);
    text(
        &l,
        &regular,
        10.0,
        20.0,
        182.0,
        &format!("Действует до {} (МСК), пока вы не зададите свой пароль.", s.password_until),
    );

    let steps = [
        format!("1. Откройте {} или наведите камеру телефона на QR-код.", s.sign_in_url),
        "2. Введите логин и временный пароль.".to_string(),
        "3. Придумайте свой пароль: временный пароль перестанет действовать.".to_string(),
        "4. Подтвердите телефон и почту в разделе «Личные данные».".to_string(),
    ];
    for (i, step) in steps.iter().enumerate() {
        text(&l, &regular, 10.5, 20.0, 166.0 - 7.0 * i as f32, step);
    }
    text(
        &l,
        &regular,
        9.5,
        20.0,
        130.0,
        "Никому не показывайте этот лист и не сообщайте пароль, даже сотрудникам МФЦ и портала.",
    );
    text(&l, &regular, 9.5, 20.0, 124.0, "Если лист потерян — восстановите пароль на портале или обратитесь в МФЦ.");

    // Below the text, on its own: nothing runs under it.
    draw_qr(&l, &s.qr, 20.0, 115.0, 50.0)?;
    text(&l, &regular, 9.0, 20.0, 60.0, "QR-код для быстрого входа: откроет страницу входа с вашим логином");

    doc.save_to_bytes().map_err(|e| fail(&e))
}
