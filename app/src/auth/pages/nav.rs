//! «Настройки безопасности»: the links between the security settings pages.

use leptos::prelude::*;

use crate::auth::Role;

/// The links under «Настройки безопасности» on every settings page.
#[component]
pub fn SettingsNav() -> impl IntoView {
    view! {
        <nav class="card security-nav" aria-labelledby="security-nav-title">
            <h2 id="security-nav-title">"Настройки безопасности"</h2>
            <ul class="link-list">
                <li><a href="/security/2fa">"Двухэтапная проверка"</a></li>
                <li><a href="/security/passkeys">"Биометрия"</a></li>
                <li><a href="/security/sessions">"Активные сеансы"</a></li>
                <li><a href="/security/journal">"Журнал входов"</a></li>
            </ul>
        </nav>
    }
}

/// The console's navigation: the home of every role the person holds.
#[component]
pub fn StaffNav() -> impl IntoView {
    let me = super::use_me();
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
