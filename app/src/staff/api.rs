//! The staff server functions. Each asks the kernel for a staff caller
//! holding the right role, signed in with a strong second step; the
//! service then decides what that caller may change.

// The staff form has ten fields; the server macro turns them into
// arguments of the generated client function too.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dto::StaffList;
use crate::auth::Role;
use crate::error::AppError;

/// The roles ticked on a form (one checkbox per role, so the form posts
/// the same way with and without JavaScript).
pub fn ticked(
    operator: &Option<String>,
    official: &Option<String>,
    support: &Option<String>,
    admin: &Option<String>,
) -> Vec<Role> {
    [(operator, Role::Operator), (official, Role::Official), (support, Role::Support), (admin, Role::Admin)]
        .into_iter()
        .filter(|(v, _)| v.is_some())
        .map(|(_, r)| r)
        .collect()
}

/// «Сотрудники» (administrators).
#[server(endpoint = "staff/list")]
pub async fn get_staff() -> Result<StaffList, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::staff(&state, Role::Admin).await?;
    let actor = super::service::Actor::admin(&caller)?;
    super::service::list(&state.db, &actor).await
}

/// «Добавить сотрудника»: the account is made with a temporary password,
/// which goes to the new member's phone by SMS, never to the page.
#[server(endpoint = "staff/create")]
pub async fn create_staff(
    surname: String,
    name: String,
    #[server(default)] patronymic: String,
    phone: String,
    #[server(default)] email: String,
    #[server(default)] role_operator: Option<String>,
    #[server(default)] role_official: Option<String>,
    #[server(default)] role_support: Option<String>,
    #[server(default)] role_admin: Option<String>,
    #[server(default)] department: String,
    #[server(default)] office: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::staff(&state, Role::Admin).await?;
    let actor = super::service::Actor::admin(&caller)?;
    let form = super::model::StaffForm {
        surname: surname.clone(),
        name: name.clone(),
        patronymic: patronymic.clone(),
        phone: phone.clone(),
        email: email.clone(),
        roles: ticked(&role_operator, &role_official, &role_support, &role_admin),
        department: department.clone(),
        office: office.clone(),
    };
    let (_, password) =
        super::service::create(&state.db, &state.config.auth.policy, &actor, &form, now).await.map_err(|e| {
            e.with_values(&[
                ("surname", &surname),
                ("name", &name),
                ("patronymic", &patronymic),
                ("phone", &phone),
                ("email", &email),
                ("department", &department),
                ("office", &office),
            ])
        })?;
    let phone = crate::auth::identifier::normalize_phone(&form.phone).map_err(|m| AppError::field("phone", m))?;
    super::service::send_temporary_password(&state.db, &state.config.public_url, &phone, &password, now).await?;
    crate::notify::wake(&state);
    leptos_axum::redirect("/staff/admin?created=1");
    Ok(())
}

/// «Сохранить роли» of one member.
#[server(endpoint = "staff/roles")]
pub async fn set_staff_roles(
    id: String,
    #[server(default)] role_operator: Option<String>,
    #[server(default)] role_official: Option<String>,
    #[server(default)] role_support: Option<String>,
    #[server(default)] role_admin: Option<String>,
    #[server(default)] department: String,
    #[server(default)] office: String,
) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::staff(&state, Role::Admin).await?;
    let actor = super::service::Actor::admin(&caller)?;
    let roles = ticked(&role_operator, &role_official, &role_support, &role_admin);
    super::service::set_roles(&state.db, &actor, &id, &roles, &department, &office, crate::platform::clock::now())
        .await?;
    leptos_axum::redirect(&format!("/staff/admin?saved={}", crate::format::encode_component(&id)));
    Ok(())
}

/// «Отключить»: sessions end at once, sign-in is refused.
#[server(endpoint = "staff/disable")]
pub async fn disable_staff(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::staff(&state, Role::Admin).await?;
    let actor = super::service::Actor::admin(&caller)?;
    super::service::disable(&state.db, &actor, &id, crate::platform::clock::now()).await?;
    leptos_axum::redirect(&format!("/staff/admin?disabled={}", crate::format::encode_component(&id)));
    Ok(())
}

/// «Включить» a disabled member.
#[server(endpoint = "staff/enable")]
pub async fn enable_staff(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::staff(&state, Role::Admin).await?;
    let actor = super::service::Actor::admin(&caller)?;
    super::service::enable(&state.db, &actor, &id, crate::platform::clock::now()).await?;
    leptos_axum::redirect(&format!("/staff/admin?enabled={}", crate::format::encode_component(&id)));
    Ok(())
}

/// «Выдать новый временный пароль»: the member's app, passkeys and backup
/// codes go, sessions end, and a new temporary password goes to their phone.
#[server(endpoint = "staff/reset")]
pub async fn reset_staff(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let now = crate::platform::clock::now();
    let caller = crate::auth::caller::staff(&state, Role::Admin).await?;
    let actor = super::service::Actor::admin(&caller)?;
    let (password, phone) = super::service::reset(&state.db, &state.config.auth.policy, &actor, &id, now).await?;
    super::service::send_temporary_password(&state.db, &state.config.public_url, &phone, &password, now).await?;
    crate::notify::wake(&state);
    leptos_axum::redirect(&format!("/staff/admin?reset={}", crate::format::encode_component(&id)));
    Ok(())
}

/// Citizens' reports of a look at their data they did not expect, oldest
/// first (administrators).
#[server(endpoint = "staff/alerts")]
pub async fn get_access_alerts() -> Result<Vec<super::dto::AccessAlert>, AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::staff(&state, Role::Admin).await?;
    let actor = super::service::Actor::admin(&caller)?;
    super::service::access_alerts(&state.db, &actor).await
}

/// «Разобрано»: the alert leaves the list.
#[server(endpoint = "staff/alert_handled")]
pub async fn handle_access_alert(id: String) -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    let caller = crate::auth::caller::staff(&state, Role::Admin).await?;
    super::service::Actor::admin(&caller)?;
    crate::auth::access::handle_alert(&state.db, &caller, &id, crate::platform::clock::now()).await?;
    leptos_axum::redirect("/staff/admin?handled=1#alerts");
    Ok(())
}
