//! «Настройки безопасности»: the links between the security settings pages.

use leptos::prelude::*;

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
