//! What every PDF of the portal shares (the МФЦ sheet, a service's result
//! document): the embedded Cyrillic font (DejaVu Sans, free licence,
//! `app/assets/`), a line of text, and a QR code drawn as filled squares
//! (qrcode makes the modules; printpdf 0.7 writes the PDF).

use printpdf::{Color, IndirectFontRef, Mm, PdfLayerReference, Rect, Rgb};

use crate::error::AppError;
use crate::platform::request::internal;

/// The font, embedded whole (printpdf 0.7 subsets only with its
/// `font_subsetting` feature, which pulls a large crate).
pub const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// One line of text, its baseline's left end at (x, y) mm.
pub fn text(layer: &PdfLayerReference, font: &IndirectFontRef, size: f32, x: f32, y: f32, s: &str) {
    layer.use_text(s, size, Mm(x), Mm(y), font);
}

/// The QR code of `data`, `size` mm wide, its top left corner at (x, top).
pub fn draw_qr(l: &PdfLayerReference, data: &str, x: f32, top: f32, size: f32) -> Result<(), AppError> {
    let code = qrcode::QrCode::new(data.as_bytes()).map_err(|e| internal("pdf qr", e.to_string()))?;
    let width = code.width();
    // A quiet zone of four modules on each side.
    let module = size / (width + 8) as f32;
    l.set_fill_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
    for (i, dark) in code.to_colors().iter().enumerate() {
        if *dark != qrcode::Color::Dark {
            continue;
        }
        let (col, row) = ((i % width) as f32, (i / width) as f32);
        let x0 = x + (col + 4.0) * module;
        let y1 = top - (row + 4.0) * module;
        l.add_rect(Rect::new(Mm(x0), Mm(y1 - module), Mm(x0 + module), Mm(y1)));
    }
    Ok(())
}

/// Lines of at most `width` characters, broken at spaces.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}
