//! The security pages: the second step at sign-in, «Двухэтапная проверка»
//! with backup codes, «Активные сеансы», «Журнал входов», «Это был не я».

mod not_me;
mod second;
mod sessions;
mod two_step;

pub use not_me::NotMePage;
pub use second::SecondStepPage;
pub use sessions::{JournalPage, SessionsPage};
pub use two_step::{BackupCodesPage, Reauth, TwoStepPage};

use leptos::prelude::*;

/// The links under «Настройки безопасности».
#[component]
pub fn SecurityNav() -> impl IntoView {
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
