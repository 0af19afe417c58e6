//! «Сотрудники» (administrators): staff with their roles and whether they
//! can open the console, «Добавить сотрудника», roles changed in place,
//! «Отключить» / «Включить», and the journal of these changes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::StaffNav;
use crate::auth::Role;
use crate::auth::pages::RequireStaff;
use crate::staff::api::{
    CreateStaff, DisableStaff, EnableStaff, HandleAccessAlert, ResetStaff, SetStaffRoles, get_access_alerts, get_staff,
};
use crate::staff::dto::{AuditEntry, StaffMember};
use crate::ui::form::{FormError, echoed, field_error, last_error};
use crate::ui::{Alert, AlertKind, Button, ButtonVariant, TextField};

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Title text="Сотрудники" />
        <RequireStaff role=Role::Admin>
            <AdminBody />
        </RequireStaff>
    }
}

#[component]
fn AdminBody() -> impl IntoView {
    let query = use_query_map();
    let set_roles = ServerAction::<SetStaffRoles>::new();
    let disable = ServerAction::<DisableStaff>::new();
    let enable = ServerAction::<EnableStaff>::new();
    let create = ServerAction::<CreateStaff>::new();
    let reset = ServerAction::<ResetStaff>::new();
    // Read again after every change, even when it lands on the same address.
    let list = Resource::new(
        move || {
            (
                query.get(),
                set_roles.version().get(),
                disable.version().get(),
                enable.version().get(),
                create.version().get(),
                reset.version().get(),
            )
        },
        |_| get_staff(),
    );
    let error = Signal::derive({
        let (a, b, c) = (last_error(set_roles.value()), last_error(disable.value()), last_error(enable.value()));
        let d = last_error(reset.value());
        move || a.get().or_else(|| b.get()).or_else(|| c.get()).or_else(|| d.get())
    });
    let notice = move || {
        query.with(|q| {
            if q.get("created").is_some() {
                Some("Сотрудник добавлен. Временный пароль отправлен ему в SMS; при первом входе его нужно сменить.".to_string())
            } else if q.get("saved").is_some() {
                Some("Роли сохранены.".to_string())
            } else if q.get("disabled").is_some() {
                Some("Сотрудник отключён: все его сеансы завершены, войти он больше не сможет.".to_string())
            } else if q.get("reset").is_some() {
                Some("Новый временный пароль отправлен сотруднику в SMS. Его приложение, ключи доступа и резервные коды удалены, сеансы завершены: при входе он подключит приложение заново.".to_string())
            } else if q.get("handled").is_some() {
                Some("Сообщение отмечено как разобранное.".to_string())
            } else if q.get("enabled").is_some() {
                Some("Сотрудник снова может входить.".to_string())
            } else {
                None
            }
        })
    };
    view! {
        <div class="container section staff">
            <p class="breadcrumbs"><a href="/staff">"Кабинет сотрудника"</a></p>
            <h1>"Сотрудники"</h1>
            {move || notice().map(|text| view! { <Alert kind=AlertKind::Success id="staff-notice"><p>{text}</p></Alert> })}
            <FormError error />
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(l) => view! {
                            <ul class="staff-list" id="staff-list">
                                {l.members.into_iter().map(|m| view! { <Member m set_roles disable enable reset /> }).collect_view()}
                            </ul>
                            <Audit rows=l.audit />
                        }.into_any(),
                        Err(error) => view! { <crate::errors::ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
            <AccessAlerts />
            <AddStaff create />
            <StaffNav />
        </div>
    }
}

/// Checkboxes for the roles, named `role_<role>`; `prefix` keeps the ids
/// of every form on the page apart.
#[component]
fn RoleChecks(
    prefix: String,
    held: Vec<Role>,
    /// The id of the error under the checkboxes, when the form shows one there.
    #[prop(optional)]
    described: Option<&'static str>,
) -> impl IntoView {
    let legend_id = format!("{prefix}-roles");
    view! {
        <fieldset class="field role-checks" aria-describedby=described>
            <legend class="field-label" id=legend_id>"Роли"</legend>
            {Role::ALL.into_iter().map(|r| {
                let id = format!("{prefix}-role-{}", r.as_str());
                view! {
                    <div class="field-check">
                        <input type="checkbox" id=id.clone() name=format!("role_{}", r.as_str()) value="on" checked=held.contains(&r) />
                        <label for=id>{r.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn Member(
    m: StaffMember,
    set_roles: ServerAction<SetStaffRoles>,
    disable: ServerAction<DisableStaff>,
    enable: ServerAction<EnableStaff>,
    reset: ServerAction<ResetStaff>,
) -> impl IntoView {
    let prefix = format!("m-{}", m.id);
    let roles_text = m.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
    let dept_id = format!("{prefix}-department");
    let office_id = format!("{prefix}-office");
    let id = m.id.clone();
    let id2 = m.id.clone();
    let id3 = m.id.clone();
    view! {
        <li class="card staff-member" class:staff-disabled=m.disabled data-name=m.name.clone()>
            <h2 class="session-title">
                {m.name.clone()}
                {m.me.then(|| view! { <span class="badge">"Это вы"</span> })}
                {m.disabled.then(|| view! { <span class="badge badge-warn">"Отключён"</span> })}
            </h2>
            <dl class="data-list">
                <dt>"Телефон"</dt><dd>{m.phone.clone()}</dd>
                {m.email.clone().map(|e| view! { <dt>"Почта"</dt><dd>{e}</dd> })}
                <dt>"Роли"</dt><dd class="staff-roles">{roles_text}</dd>
                {m.department.clone().map(|d| view! { <dt>"Ведомство"</dt><dd>{d}</dd> })}
                {m.office.clone().map(|o| view! { <dt>"Офис МФЦ"</dt><dd>{o}</dd> })}
                <dt>"Второй шаг входа"</dt>
                <dd>{if m.second_step { "подключён" } else { "не подключён: при входе попросим подключить" }}</dd>
            </dl>
            <details class="staff-edit">
                <summary>"Изменить роли"</summary>
                <ActionForm action=set_roles attr:class="form">
                    <input type="hidden" name="id" value=id />
                    <RoleChecks prefix=prefix.clone() held=m.roles.clone() />
                    <div class="field">
                        <label for=dept_id.clone() class="field-label">"Ведомство (для сотрудника ведомства)"</label>
                        <input id=dept_id class="field-input" name="department" maxlength="120" value=m.department.clone().unwrap_or_default() />
                    </div>
                    <div class="field">
                        <label for=office_id.clone() class="field-label">"Офис МФЦ (для оператора)"</label>
                        <input id=office_id class="field-input" name="office" maxlength="120" value=m.office.clone().unwrap_or_default() />
                    </div>
                    <Button busy=set_roles.pending()>"Сохранить роли"</Button>
                </ActionForm>
            </details>
            {(!m.me && !m.disabled).then(|| view! {
                <ActionForm action=reset attr:class="staff-reset">
                    <input type="hidden" name="id" value=id3.clone() />
                    <Button variant=ButtonVariant::Secondary busy=reset.pending()>"Выдать новый временный пароль"</Button>
                </ActionForm>
            })}
            {(!m.me).then(|| if m.disabled {
                view! {
                    <ActionForm action=enable>
                        <input type="hidden" name="id" value=id2.clone() />
                        <Button variant=ButtonVariant::Secondary busy=enable.pending()>"Включить"</Button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <ActionForm action=disable>
                        <input type="hidden" name="id" value=id2.clone() />
                        <Button variant=ButtonVariant::Danger busy=disable.pending()>"Отключить"</Button>
                    </ActionForm>
                }.into_any()
            })}
        </li>
    }
}

#[component]
fn AddStaff(create: ServerAction<CreateStaff>) -> impl IntoView {
    let error = last_error(create.value());
    let typed = |f: &str| RwSignal::new(echoed(error, f));
    let (surname, name, patronymic) = (typed("surname"), typed("name"), typed("patronymic"));
    let (phone, email, department, office) = (typed("phone"), typed("email"), typed("department"), typed("office"));
    let roles_error = field_error(error, "roles");
    view! {
        <section class="card profile-section" aria-labelledby="add-staff-title">
            <h2 id="add-staff-title">"Добавить сотрудника"</h2>
            <p class="field-hint">"Временный пароль придёт сотруднику в SMS на этот номер и действует 72 часа. При первом входе сотрудник введёт код из SMS, сменит пароль и подключит приложение-аутентификатор или ключ доступа. Почту он подтвердит сам в «Личных данных»."</p>
            <ActionForm action=create attr:novalidate=true attr:class="form">
                <TextField id="surname" name="surname" label="Фамилия" value=surname required=true maxlength=60u32 autocomplete="off" error=field_error(error, "surname") />
                <TextField id="name" name="name" label="Имя" value=name required=true maxlength=60u32 autocomplete="off" error=field_error(error, "name") />
                <TextField id="patronymic" name="patronymic" label="Отчество" value=patronymic maxlength=60u32 autocomplete="off" error=field_error(error, "patronymic") />
                <TextField id="phone" name="phone" label="Мобильный телефон" input_type="tel" inputmode="tel" value=phone required=true maxlength=20u32 autocomplete="off" hint="Сюда придёт временный пароль; он же будет логином" error=field_error(error, "phone") />
                <TextField id="email" name="email" label="Электронная почта" input_type="email" value=email maxlength=254u32 autocomplete="off" error=field_error(error, "email") />
                <RoleChecks prefix="new".to_string() held=Vec::new() described="new-roles-error" />
                <p class="field-error" id="new-roles-error" hidden=move || roles_error.with(Option::is_none)>{move || roles_error.get()}</p>
                <TextField id="department" name="department" label="Ведомство (для сотрудника ведомства)" value=department maxlength=120u32 error=field_error(error, "department") />
                <TextField id="office" name="office" label="Офис МФЦ (для оператора)" value=office maxlength=120u32 error=field_error(error, "office") />
                <FormError error />
                <Button busy=create.pending()>"Добавить сотрудника"</Button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Audit(rows: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <section class="profile-section" aria-labelledby="audit-title">
            <h2 id="audit-title">"Журнал изменений"</h2>
            {if rows.is_empty() {
                view! { <p class="muted">"Изменений пока не было."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="journal" id="staff-audit">
                            <thead><tr><th scope="col">"Время (МСК)"</th><th scope="col">"Кто"</th><th scope="col">"Что"</th><th scope="col">"Сотрудник"</th><th scope="col">"Подробности"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td data-label="Время">{r.at}</td>
                                        <td data-label="Кто">{r.actor}</td>
                                        <td data-label="Что">{r.action}</td>
                                        <td data-label="Сотрудник">{r.target}</td>
                                        <td data-label="Подробности">{r.details}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// «Сообщения граждан о доступе к данным»: a citizen did not expect a look
/// at their data; the administrator checks the task behind it.
#[component]
fn AccessAlerts() -> impl IntoView {
    let handle = ServerAction::<HandleAccessAlert>::new();
    let alerts = Resource::new(move || handle.version().get(), |_| get_access_alerts());
    view! {
        <section class="card profile-section" id="alerts" aria-labelledby="alerts-title">
            <h2 id="alerts-title">"Сообщения граждан о доступе к данным"</h2>
            <Suspense fallback=|| view! { <p>"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match alerts.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted" id="alerts-empty">"Новых сообщений нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="access-list" id="alerts-list">
                                {list.into_iter().map(|a| view! {
                                    <li class="access-item">
                                        <p class="access-when">{format!("Сообщение от {}", a.at)}</p>
                                        <p class="access-who">{format!("Гражданин: {}. Сотрудник: {}", a.citizen, a.staff)}</p>
                                        <p>{a.access}</p>
                                        {(!a.note.is_empty()).then(|| view! { <p>{format!("«{}»", a.note)}</p> })}
                                        <ActionForm action=handle>
                                            <input type="hidden" name="id" value=a.key />
                                            <button type="submit" class="btn btn-secondary" aria-label=format!("Разобрано: сообщение от {}", a.at)>"Разобрано"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <Alert kind=AlertKind::Error><p>{error.to_string()}</p></Alert> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
