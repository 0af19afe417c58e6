//! The МФЦ operator's server functions: each asks the kernel for a staff
//! caller holding `operator` (signed in with a strong second step); the
//! service then works through the visit's task.

// The registration form has thirteen fields; the server macro turns them
// into arguments of the generated client function too.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dto::{PinPad, Visit};
use crate::error::AppError;

/// «Найти»: opens a visit with the citizen found.
#[server(endpoint = "mfc/find")]
pub async fn find_citizen(query: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    let task = super::service::find(&state.db, &op, &query, crate::platform::clock::now()).await?;
    leptos_axum::redirect(&format!("/staff/mfc/visit?task={task}"));
    Ok(())
}

/// The visit page: the citizen, and the sheet of a registration.
#[server(endpoint = "mfc/visit")]
pub async fn get_visit(task: String) -> Result<Visit, AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    super::service::visit(&state.db, &op, &task, crate::platform::clock::now()).await
}

/// «Зарегистрировать»: the account is created at «Подтверждённая».
#[server(endpoint = "mfc/register")]
pub async fn register_citizen(
    surname: String,
    name: String,
    #[server(default)] patronymic: String,
    birth_date: String,
    snils: String,
    passport_series: String,
    passport_number: String,
    passport_issued_on: String,
    passport_issued_by: String,
    passport_division: String,
    phone: String,
    #[server(default)] email: String,
    #[server(default)] address: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    let form = super::model::RegisterForm {
        surname,
        name,
        patronymic,
        birth_date,
        snils,
        passport: crate::auth::personal::PassportInput {
            series: passport_series,
            number: passport_number,
            issued_on: passport_issued_on,
            issued_by: passport_issued_by,
            division_code: passport_division,
        },
        phone,
        email,
        address,
    };
    let now = crate::platform::clock::now();
    match super::service::register(&state.db, &state.config.auth, &op, &form, now).await {
        Ok(task) => {
            leptos_axum::redirect(&format!("/staff/mfc/visit?task={task}&registered=1"));
            Ok(())
        }
        Err(e) => Err(e.with_values(&[
            ("surname", &form.surname),
            ("name", &form.name),
            ("patronymic", &form.patronymic),
            ("birth_date", &form.birth_date),
            ("snils", &form.snils),
            ("passport_series", &form.passport.series),
            ("passport_number", &form.passport.number),
            ("passport_issued_on", &form.passport.issued_on),
            ("passport_issued_by", &form.passport.issued_by),
            ("passport_division", &form.passport.division_code),
            ("phone", &form.phone),
            ("email", &form.email),
            ("address", &form.address),
        ])),
    }
}

/// «Подтвердить личность» (`what=identity`) or «Подтвердить телефон»
/// (`what=contact`): the code goes to the citizen; the PIN pad opens.
#[server(endpoint = "mfc/code_start")]
pub async fn start_code(task: String, what: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    let now = crate::platform::clock::now();
    let what = match what.as_str() {
        "identity" => super::service::CodeFor::Identity,
        "contact" => super::service::CodeFor::Contact,
        _ => return Err(AppError::invalid("Неизвестное действие")),
    };
    let flow = super::service::start_code(&state.db, &state.config.auth, &op, &task, what, now).await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/staff/mfc/pin?flow={flow}"));
    Ok(())
}

/// The PIN pad page: whose code, where it went.
#[server(endpoint = "mfc/pin")]
pub async fn get_pin_pad(flow: String) -> Result<PinPad, AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    super::service::pin_pad(&state.db, &op, &flow, crate::platform::clock::now()).await
}

/// «Отправить код ещё раз» on the PIN pad.
#[server(endpoint = "mfc/pin_resend")]
pub async fn resend_code(flow: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    super::service::resend(&state.db, &state.config.auth, &op, &flow, crate::platform::clock::now()).await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/staff/mfc/pin?flow={flow}&resent=1"));
    Ok(())
}

/// The citizen typed the code on the PIN pad.
#[server(endpoint = "mfc/code_finish")]
pub async fn finish_code(flow: String, code: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    let code = super::model::pin_digits(&code);
    let (task, what) = super::service::finish_code(&state.db, &op, &flow, &code, crate::platform::clock::now()).await?;
    crate::notify::wake(&state);
    let done = match what {
        super::service::CodeFor::Identity => "confirmed",
        super::service::CodeFor::Contact => "contact",
    };
    leptos_axum::redirect(&format!("/staff/mfc/visit?task={task}&{done}=1"));
    Ok(())
}

/// «Внести СНИЛС и паспорт» from the originals.
#[server(endpoint = "mfc/documents")]
pub async fn set_documents(
    task: String,
    snils: String,
    passport_series: String,
    passport_number: String,
    passport_issued_on: String,
    passport_issued_by: String,
    passport_division: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    let passport = crate::auth::personal::PassportInput {
        series: passport_series,
        number: passport_number,
        issued_on: passport_issued_on,
        issued_by: passport_issued_by,
        division_code: passport_division,
    };
    let now = crate::platform::clock::now();
    if let Err(e) = super::service::set_documents(&state.db, &op, &task, &snils, &passport, now).await {
        return Err(e.with_values(&[
            ("snils", &snils),
            ("passport_series", &passport.series),
            ("passport_number", &passport.number),
            ("passport_issued_on", &passport.issued_on),
            ("passport_issued_by", &passport.issued_by),
            ("passport_division", &passport.division_code),
        ]));
    }
    leptos_axum::redirect(&format!("/staff/mfc/visit?task={task}&documents=1"));
    Ok(())
}

/// «Завершить приём».
#[server(endpoint = "mfc/end")]
pub async fn end_visit(task: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let op = crate::auth::caller::staff(&state, crate::auth::Role::Operator).await?;
    super::service::end_visit(&state.db, &op, &task, crate::platform::clock::now()).await?;
    leptos_axum::redirect("/staff/mfc?ended=1");
    Ok(())
}
