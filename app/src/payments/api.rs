//! The server functions of payments. Every one needs a signed-in citizen at
//! the «Подтверждённая» level (`service::LEVEL`); a person sees and moves
//! only their own payments. Forms answer with a redirect, so paying works
//! without JavaScript.

// A form's fields are a server function's arguments: «Оплатить» has ten.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dto::{ChargeView, Debts, FindState, History, PaymentView, SbpBank};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::caller::Caller;
    use crate::error::AppError;
    use crate::payments::acquirer::Simulated;
    use crate::platform::AppState;

    pub async fn citizen() -> Result<(AppState, Caller), AppError> {
        let state = crate::platform::app_state()?;
        let caller = crate::auth::caller::citizen(&state).await?;
        Ok((state, caller))
    }

    /// The acquirer: the simulated bank in dev mode; none in production
    /// (no contract yet), where the pages say payment is unavailable.
    pub fn acquirer(state: &AppState) -> Option<Simulated> {
        if !state.config.mode.is_dev() {
            return None;
        }
        Some(Simulated::with_callbacks(state.db.clone(), &state.config.public_url))
    }

    pub fn unavailable() -> AppError {
        AppError::invalid("Оплата на портале временно недоступна. Оплатите по УИН в банке")
    }
}

/// «Задолженности и штрафы».
#[server(endpoint = "payments/debts")]
pub async fn get_debts() -> Result<Debts, AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::debts(&state.db, &caller, crate::platform::clock::now()).await
}

/// Adds a vehicle certificate (`sts`) or a driver's licence (`vu`).
#[server(endpoint = "payments/add_doc")]
pub async fn add_payer_doc(kind: String, number: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::add_doc(&state.db, &caller, &kind, &number, crate::platform::clock::now()).await?;
    leptos_axum::redirect("/payments?added=1");
    Ok(())
}

#[server(endpoint = "payments/remove_doc")]
pub async fn remove_payer_doc(key: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::remove_doc(&state.db, &caller, &key).await?;
    leptos_axum::redirect("/payments");
    Ok(())
}

/// «Обновить»: ask ГИС ГМП again.
#[server(endpoint = "payments/refresh")]
pub async fn refresh_debts() -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::refresh(&state.db, &caller, crate::platform::clock::now()).await?;
    leptos_axum::redirect("/payments");
    Ok(())
}

/// «Найти по УИН».
#[server(endpoint = "payments/find")]
pub async fn find_uin(uin: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    let (uin, message) = super::service::find(&state.db, &caller, &uin, crate::platform::clock::now()).await?;
    match message {
        None => leptos_axum::redirect(&format!("/payments/charge/{uin}")),
        Some(m) => leptos_axum::redirect(&format!("/payments/find?uin={uin}&m={m}")),
    }
    Ok(())
}

#[server(endpoint = "payments/find_state")]
pub async fn get_find_state(uin: String, m: String) -> Result<FindState, AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::find_state(&state.db, &caller, &uin, &m).await
}

#[server(endpoint = "payments/charge")]
pub async fn get_charge(uin: String) -> Result<ChargeView, AppError> {
    let (state, caller) = ssr::citizen().await?;
    let available = ssr::acquirer(&state).is_some();
    super::service::charge_view(&state.db, &caller, &uin, available, crate::platform::clock::now()).await
}

/// «Оплатить»: `method` is `card` (the card typed, or `saved` = a saved
/// card's or account's key), `account` (a bank account typed: `account`,
/// `bik`) or `sbp`. `attempt` is the page's key of this attempt.
#[server(endpoint = "payments/pay")]
pub async fn pay(
    uin: String,
    attempt: String,
    method: String,
    #[server(default)] number: String,
    #[server(default)] expiry: String,
    #[server(default)] cvc: String,
    #[server(default)] save: Option<String>,
    #[server(default)] saved: String,
    #[server(default)] account: String,
    #[server(default)] bik: String,
) -> Result<(), AppError> {
    use super::service::Pay;
    let (state, caller) = ssr::citizen().await?;
    let acq = ssr::acquirer(&state).ok_or_else(ssr::unavailable)?;
    let how = match method.as_str() {
        "sbp" => Pay::Sbp,
        "card" | "account" if !saved.is_empty() && saved != "new" => Pay::Saved { card: &saved },
        "card" => Pay::Card { number: &number, expiry: &expiry, cvc: &cvc, save: save.is_some() },
        "account" => Pay::Account { number: &account, bik: &bik, save: save.is_some() },
        _ => return Err(AppError::field("method", "Выберите способ оплаты")),
    };
    let key = super::service::pay(&state.db, &acq, &caller, &uin, &attempt, how, crate::platform::clock::now()).await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/payments/p/{key}"));
    Ok(())
}

#[server(endpoint = "payments/payment")]
pub async fn get_payment(key: String) -> Result<PaymentView, AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::payment_view(&state.db, &caller, &key, crate::platform::clock::now()).await
}

/// The code from the bank's SMS.
#[server(endpoint = "payments/confirm")]
pub async fn confirm_payment(key: String, code: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    let acq = ssr::acquirer(&state).ok_or_else(ssr::unavailable)?;
    super::service::confirm(&state.db, &acq, &caller, &key, &code, crate::platform::clock::now()).await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/payments/p/{key}"));
    Ok(())
}

#[server(endpoint = "payments/cancel")]
pub async fn cancel_payment(key: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    let acq = ssr::acquirer(&state).ok_or_else(ssr::unavailable)?;
    super::service::cancel(&state.db, &acq, &caller, &key, crate::platform::clock::now()).await?;
    leptos_axum::redirect(&format!("/payments/p/{key}"));
    Ok(())
}

/// «История платежей»: `kind` fine/tax/duty or empty, `from`/`to` dates.
#[server(endpoint = "payments/history")]
pub async fn get_history(
    #[server(default)] kind: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<History, AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::history(&state.db, &caller, &kind, &from, &to).await
}

#[server(endpoint = "payments/email_receipt")]
pub async fn email_receipt(key: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::email_receipt(&state.db, &caller, &key, &state.config.public_url, crate::platform::clock::now())
        .await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/payments/p/{key}?mailed=1"));
    Ok(())
}

#[server(endpoint = "payments/save_payee")]
pub async fn save_payee(uin: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::save_payee(&state.db, &caller, &uin, crate::platform::clock::now()).await?;
    leptos_axum::redirect(&format!("/payments/charge/{uin}?saved=1"));
    Ok(())
}

#[server(endpoint = "payments/forget_payee")]
pub async fn forget_payee(key: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::forget_payee(&state.db, &caller, &key).await?;
    leptos_axum::redirect("/payments#saved");
    Ok(())
}

#[server(endpoint = "payments/forget_card")]
pub async fn forget_card(key: String) -> Result<(), AppError> {
    let (state, caller) = ssr::citizen().await?;
    super::service::forget_card(&state.db, &caller, &key).await?;
    leptos_axum::redirect("/payments#saved");
    Ok(())
}

/// The simulated bank app's page of a СБП QR code (dev mode only; the QR's
/// link is the capability, as a real one is: no sign-in).
#[server(endpoint = "payments/sbp_bank")]
pub async fn get_sbp_bank(op: String) -> Result<SbpBank, AppError> {
    use super::acquirer::OpStatus;
    let state = crate::platform::app_state()?;
    let acq = ssr::acquirer(&state).ok_or(AppError::NotFound)?;
    let now = crate::platform::clock::now();
    let view = acq.sbp_view(&op, now).await.map_err(|_| ssr::unavailable())?;
    let Some((amount, status)) = view else { return Err(AppError::NotFound) };
    let state = match status {
        OpStatus::Waiting => "waiting",
        OpStatus::Captured => "paid",
        OpStatus::Declined(_) => "declined",
        OpStatus::Cancelled => "expired",
        _ => "unknown",
    };
    Ok(SbpBank { op, amount: crate::charges::rubles(amount), state: state.into() })
}

/// The simulated bank app: «Оплатить» (`pay` = "1") or «Отклонить».
#[server(endpoint = "payments/sbp_answer")]
pub async fn sbp_answer(op: String, pay: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let acq = ssr::acquirer(&state).ok_or(AppError::NotFound)?;
    acq.sbp_answer(&op, pay == "1", crate::platform::clock::now()).await.map_err(|_| ssr::unavailable())?;
    leptos_axum::redirect(&format!("/sim/sbp/{op}"));
    Ok(())
}
