//! What an uploaded file is, judged by its content, never by its name or
//! the type the browser claims: the first bytes must be those of a PDF, a
//! PNG or a JPEG, and the file must open as one — a PNG and a JPEG decode
//! whole (every pixel, the CRCs, the end marker), a PDF parses and has a
//! page and its end-of-file mark. A file cut short in transfer fails here.
//! (A JPEG decoder fills a scan that ends early with grey, as browsers do,
//! so a JPEG cut short is known by its missing end marker; one cut and
//! given an end marker back by hand would pass.)
//!
//! Decoding is bounded (sides of at most `MAX_SIDE` pixels, at most
//! `MAX_PIXEL_BYTES` of pixels, PDF streams at most `MAX_PDF_STREAM`), so a
//! small file that unpacks into a huge one cannot exhaust the server. It is
//! CPU work: callers run it on a blocking thread.

use std::io::Cursor;

use super::model::{FileFormat, MAX_BYTES, UploadProblem};

/// The longest side of an image accepted (a 600 dpi A3 scan is ~10 000).
pub const MAX_SIDE: usize = 12_000;
/// The most decoded pixel data an image may have (a 300 dpi A4 colour scan
/// is ~26 MB, a 12-megapixel photo ~36 MB). One check runs at a time
/// (`service::CHECKS`), so this bounds the memory a check can take.
pub const MAX_PIXEL_BYTES: usize = 96 * 1024 * 1024;
/// The most one PDF stream may unpack to while it is parsed.
pub const MAX_PDF_STREAM: usize = 16 * 1024 * 1024;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PDF_MAGIC: &[u8] = b"%PDF-";

/// The format the first bytes announce.
pub fn sniff(bytes: &[u8]) -> Option<FileFormat> {
    if bytes.starts_with(PDF_MAGIC) {
        Some(FileFormat::Pdf)
    } else if bytes.starts_with(PNG_MAGIC) {
        Some(FileFormat::Png)
    } else if bytes.starts_with(JPEG_MAGIC) {
        Some(FileFormat::Jpeg)
    } else {
        None
    }
}

/// The format a file's name claims, when it names one of ours.
pub fn claimed(name: &str) -> Option<FileFormat> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(FileFormat::Pdf),
        "jpg" | "jpeg" | "jpe" | "jfif" => Some(FileFormat::Jpeg),
        "png" => Some(FileFormat::Png),
        _ => None,
    }
}

/// The format of `bytes` if they are a whole PDF, PNG or JPEG of at most
/// 5 МБ; else what is wrong with them. The content decides; a `name` that
/// claims another of the three formats (a PNG renamed .pdf) is refused
/// too, since such a file is not what its owner thinks it is.
pub fn judge(bytes: &[u8], name: &str) -> Result<FileFormat, UploadProblem> {
    super::model::check_size(bytes.len() as u64)?;
    let format = sniff(bytes).ok_or(UploadProblem::Format)?;
    if claimed(name).is_some_and(|c| c != format) {
        return Err(UploadProblem::Mismatch);
    }
    let opens = match format {
        FileFormat::Png => png_opens(bytes),
        FileFormat::Jpeg => jpeg_opens(bytes),
        FileFormat::Pdf => pdf_opens(bytes),
    };
    if opens { Ok(format) } else { Err(UploadProblem::Unreadable) }
}

fn png_opens(bytes: &[u8]) -> bool {
    let limits = png::Limits { bytes: MAX_PIXEL_BYTES };
    let Ok(mut reader) = png::Decoder::new_with_limits(Cursor::new(bytes), limits).read_info() else {
        return false;
    };
    let (w, h) = reader.info().size();
    if w as usize > MAX_SIDE || h as usize > MAX_SIDE {
        return false;
    }
    let Some(size) = reader.output_buffer_size().filter(|s| *s <= MAX_PIXEL_BYTES) else { return false };
    let mut pixels = vec![0; size];
    reader.next_frame(&mut pixels).is_ok() && reader.finish().is_ok()
}

fn jpeg_opens(bytes: &[u8]) -> bool {
    use zune_jpeg::zune_core::options::DecoderOptions;
    // A JPEG ends with its EOI marker (FF D9); some cameras pad after it.
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    if !bytes[..end].ends_with(&[0xFF, 0xD9]) {
        return false;
    }
    let options = DecoderOptions::default().set_strict_mode(true).set_max_width(MAX_SIDE).set_max_height(MAX_SIDE);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    if decoder.decode_headers().is_err() {
        return false;
    }
    let Some(size) = decoder.output_buffer_size().filter(|s| *s <= MAX_PIXEL_BYTES) else { return false };
    let mut pixels = vec![0; size];
    decoder.decode_into(&mut pixels).is_ok()
}

fn pdf_opens(bytes: &[u8]) -> bool {
    // The end-of-file mark is in the last kilobyte of a whole PDF.
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return false;
    }
    let options = lopdf::LoadOptions { max_decompressed_size: Some(MAX_PDF_STREAM), ..Default::default() };
    match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(doc) => !doc.get_pages().is_empty(),
        Err(_) => false,
    }
}

/// A file name as people see it in a list and in a download: the last
/// path part, without control characters or quotes, at most 120
/// characters; «документ» when nothing is left.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?')).take(120).collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '.') { "документ".to_string() } else { cleaned }
}

/// Whether `len` is too long to be accepted (the limit the upload reads to).
pub fn over_limit(len: usize) -> bool {
    len as u64 > MAX_BYTES
}
