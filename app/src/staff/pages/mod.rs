//! The staff console: `/staff` (the shell with navigation by role), each
//! role's home (what it will hold), and «Сотрудники» for administrators.

mod admin;
mod home;

pub use admin::AdminPage;
pub use home::{OfficialHome, OperatorHome, StaffHome, SupportHome};

use leptos::prelude::*;

use crate::auth::Role;
use crate::auth::pages::use_me;

/// The console's navigation: the home of every role the person holds.
#[component]
pub fn StaffNav() -> impl IntoView {
    let me = use_me();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let roles = me.await.ok().flatten().map(|m| m.roles).unwrap_or_default();
                view! {
                    <nav class="card security-nav staff-nav" aria-labelledby="staff-nav-title">
                        <h2 id="staff-nav-title">"Кабинет сотрудника"</h2>
                        <ul class="link-list">
                            <li><a href="/staff">"Главная"</a></li>
                            {Role::ALL
                                .into_iter()
                                .filter(|r| roles.contains(r))
                                .map(|r| view! { <li><a href=r.home()>{if r == Role::Admin { "Сотрудники" } else { r.label() }}</a></li> })
                                .collect_view()}
                        </ul>
                    </nav>
                }
            })}
        </Suspense>
    }
}
