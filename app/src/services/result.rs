//! The result document of an application: an A4 PDF with Cyrillic text
//! (`platform::pdf`) and a QR code that opens `/check/<hash>`, the portal
//! page that says whether the document is genuine. The hash is SHA-256 of
//! the document's content (number, service, department, holder, date,
//! text) in a fixed form, so it can sit inside the PDF it identifies; the
//! row `result_document:<hash>` is written only when the application is
//! decided.

use printpdf::{Mm, PdfDocument};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::platform::pdf::{FONT, draw_qr, text, wrap};
use crate::platform::request::internal;

/// The longest decision text: 12 lines of 85 characters fit the page.
pub const TEXT_MAX: usize = 800;

#[derive(Debug, Clone)]
pub struct ResultDoc {
    pub number: String,
    pub service_title: String,
    pub department: String,
    pub holder: String,
    pub issued_at: String,
    pub text: String,
}

impl ResultDoc {
    /// SHA-256 of the content, hex.
    pub fn hash(&self) -> String {
        let canonical = format!(
            "gosportal-result-v1\n{}\n{}\n{}\n{}\n{}\n{}",
            self.number, self.service_title, self.department, self.holder, self.issued_at, self.text
        );
        hex::encode(Sha256::digest(canonical.as_bytes()))
    }
}

/// The PDF bytes.
pub fn render(d: &ResultDoc, check_url: &str) -> Result<Vec<u8>, AppError> {
    let fail = |e: &dyn std::fmt::Display| internal("result pdf", e.to_string());
    let (doc, page, layer) = PdfDocument::new("Госпортал: результат оказания услуги", Mm(210.0), Mm(297.0), "result");
    let font = doc.add_external_font(FONT).map_err(|e| fail(&e))?;
    let l = doc.get_page(page).get_layer(layer);
    text(&l, &font, 20.0, 20.0, 270.0, "Госпортал");
    text(&l, &font, 13.0, 20.0, 262.0, "Результат оказания государственной услуги");
    let mut y = 248.0;
    for line in wrap(&d.service_title, 70) {
        text(&l, &font, 12.0, 20.0, y, &line);
        y -= 7.0;
    }
    y -= 4.0;
    for (k, v) in [
        ("Заявление №", d.number.as_str()),
        ("Заявитель", d.holder.as_str()),
        ("Ведомство", d.department.as_str()),
        ("Дата решения (МСК)", d.issued_at.as_str()),
    ] {
        text(&l, &font, 11.0, 20.0, y, &format!("{k}: {v}"));
        y -= 7.0;
    }
    y -= 4.0;
    text(&l, &font, 11.0, 20.0, y, "Решение:");
    y -= 7.0;
    for line in wrap(&d.text, 85).into_iter().take(14) {
        text(&l, &font, 10.5, 20.0, y, &line);
        y -= 6.0;
    }
    let top = y - 6.0;
    draw_qr(&l, check_url, 20.0, top, 45.0)?;
    text(&l, &font, 9.0, 70.0, top - 15.0, "Проверить подлинность: наведите камеру на QR-код");
    text(&l, &font, 9.0, 70.0, top - 21.0, "или откройте адрес:");
    for (i, line) in check_url.as_bytes().chunks(60).enumerate() {
        text(&l, &font, 8.0, 70.0, top - 27.0 - 5.0 * i as f32, &String::from_utf8_lossy(line));
    }
    doc.save_to_bytes().map_err(|e| fail(&e))
}
