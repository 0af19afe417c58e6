//! The electronic receipt («электронный чек») of a payment: an A4 PDF with
//! Cyrillic text (`platform::pdf`) and a QR code with the payment's details
//! in the banks' format (ГОСТ Р 56042-2014, `ST00012|…`), made on request
//! from the stored payment, so it can be downloaded at any time and always
//! shows the current state («оплачено» or «квитировано»).

use printpdf::{Mm, PdfDocument};

use super::store::PaymentRow;
use crate::charges::model::{decimal, rubles, uin_text};
use crate::error::AppError;
use crate::format::msk;
use crate::platform::pdf::{FONT, draw_qr, text, wrap};
use crate::platform::request::internal;

/// The QR text of the payment's details (ГОСТ Р 56042-2014; sum in kopecks).
pub fn gost_qr(p: &PaymentRow) -> String {
    let clean = |s: &str| s.replace('|', " ");
    format!(
        "ST00012|Name={}|PersonalAcc={}|BankName={}|BIC={}|CorrespAcc=0|Sum={}|Purpose={}|PayeeINN={}|KPP={}|CBC={}|OKTMO={}|UIN={}",
        clean(&p.payee_name),
        p.payee_account,
        clean(&p.payee_bank),
        p.payee_bik,
        p.amount,
        clean(&p.title),
        p.payee_inn,
        p.payee_kpp,
        p.kbk,
        p.oktmo,
        p.uin
    )
}

pub fn render(p: &PaymentRow, payer: &str, settled: bool) -> Result<Vec<u8>, AppError> {
    let fail = |e: &dyn std::fmt::Display| internal("receipt pdf", e.to_string());
    let (doc, page, layer) = PdfDocument::new("Госуслуги: электронный чек", Mm(210.0), Mm(297.0), "receipt");
    let font = doc.add_external_font(FONT).map_err(|e| fail(&e))?;
    let l = doc.get_page(page).get_layer(layer);
    text(&l, &font, 20.0, 20.0, 270.0, "Госпортал");
    text(&l, &font, 14.0, 20.0, 261.0, "Электронный чек");
    let mut y = 249.0;
    let state = if settled { "Оплачено, квитировано (ГИС ГМП)" } else { "Оплачено" };
    let rows: Vec<(&str, String)> = vec![
        ("Статус", state.to_string()),
        ("Номер платежа", p.key()),
        ("Дата и время (МСК)", p.paid_at.map(msk).unwrap_or_default()),
        ("Плательщик", payer.to_string()),
        ("Назначение", p.title.clone()),
        ("УИН", uin_text(&p.uin)),
        ("Сумма", format!("{} ({} руб.)", rubles(p.amount), decimal(p.amount))),
        ("Комиссия", "0 ₽".to_string()),
        ("Способ оплаты", p.means.clone()),
        ("Получатель", p.payee_name.clone()),
        ("ИНН / КПП получателя", format!("{} / {}", p.payee_inn, p.payee_kpp)),
        ("Счёт получателя", p.payee_account.clone()),
        ("Банк получателя", p.payee_bank.clone()),
        ("БИК", p.payee_bik.clone()),
        ("КБК", p.kbk.clone()),
        ("ОКТМО", p.oktmo.clone()),
    ];
    for (k, v) in rows {
        let mut first = true;
        for line in wrap(&v, 58) {
            if first {
                text(&l, &font, 10.0, 20.0, y, k);
                first = false;
            }
            text(&l, &font, 10.5, 75.0, y, &line);
            y -= 6.5;
        }
    }
    y -= 6.0;
    draw_qr(&l, &gost_qr(p), 20.0, y, 40.0)?;
    text(&l, &font, 9.0, 65.0, y - 14.0, "Реквизиты платежа в QR-коде (ГОСТ Р 56042-2014)");
    text(&l, &font, 9.0, 65.0, y - 20.0, "Чек сформирован в личном кабинете Госпортала");
    doc.save_to_bytes().map_err(|e| fail(&e))
}
