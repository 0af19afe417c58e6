//! `/staff` and the home of each role. For now a role's home says what it
//! will hold; the areas that bring that work add their pages here.

use leptos::prelude::*;
use leptos_meta::Title;

use super::StaffNav;
use crate::auth::Role;
use crate::auth::pages::{RequireStaff, use_me};

/// What a role's work will be, as its home says it.
fn duties(role: Role) -> &'static [&'static str] {
    match role {
        Role::Operator => &[
            "Регистрация граждан в МФЦ и подтверждение личности по паспорту",
            "Повышение уровня учётной записи до «Подтверждённой»",
            "Восстановление доступа для тех, кто потерял телефон и резервные коды",
        ],
        Role::Official => &[
            "Заявления граждан по услугам вашего ведомства",
            "Проверка приложенных документов и решение по заявлению",
            "Запрос недостающих сведений у заявителя",
        ],
        Role::Support => &[
            "Обращения граждан с номером обращения",
            "Чат с гражданами",
            "Ответы на частые вопросы в разделе «Помощь»",
        ],
        Role::Admin => &["Учётные записи сотрудников и их роли", "Журнал изменений"],
    }
}

#[component]
pub fn StaffHome() -> impl IntoView {
    view! {
        <Title text="Кабинет сотрудника" />
        <RequireStaff>
            <StaffHomeBody />
        </RequireStaff>
    }
}

#[component]
fn StaffHomeBody() -> impl IntoView {
    let me = use_me();
    view! {
        <div class="container section staff">
            <h1>"Кабинет сотрудника"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Some(m) = me.await.ok().flatten() else { return ().into_any() };
                    let roles = Role::ALL.into_iter().filter(|r| m.roles.contains(r)).collect::<Vec<_>>();
                    view! {
                        <p class="lead">{format!("Вы вошли как {}", m.short_name)}</p>
                        <h2>"Ваши роли"</h2>
                        <ul class="card-grid" id="staff-roles">
                            {roles.into_iter().map(|r| view! {
                                <li class="card">
                                    <h2 class="card-title"><a href=r.home()>{r.label()}</a></h2>
                                    <ul>{duties(r).iter().map(|d| view! { <li>{*d}</li> }).collect_view()}</ul>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}

/// The home of a role that does not hold its work yet.
#[component]
fn RoleHome(role: Role) -> impl IntoView {
    view! {
        <Title text=role.label() />
        <RequireStaff role>
            <div class="container section staff">
                <p class="breadcrumbs"><a href="/staff">"Кабинет сотрудника"</a></p>
                <h1>{role.label()}</h1>
                {(role == Role::Official).then(|| view! {
                    <p class="actions">
                        <a class="btn btn-primary" href="/staff/applications">"Заявления граждан"</a>
                        <a class="btn btn-secondary" href="/staff/official/documents">"Проверка документов"</a>
                    </p>
                })}
                <p class="lead">"Здесь появятся:"</p>
                <ul class="card" id="role-duties">{duties(role).iter().map(|d| view! { <li>{*d}</li> }).collect_view()}</ul>
                <StaffNav />
            </div>
        </RequireStaff>
    }
}

#[component]
pub fn OfficialHome() -> impl IntoView {
    view! { <RoleHome role=Role::Official /> }
}

#[component]
pub fn SupportHome() -> impl IntoView {
    view! { <RoleHome role=Role::Support /> }
}
