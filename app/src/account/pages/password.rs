//! Spec 003 «Парольная политика» (docs/product-rules.md §5) as a live checklist (met / not met) while
//! a new password is typed, and the repeat check. The field itself is
//! `ui::PasswordField`.

use leptos::prelude::*;

use crate::account::api::get_password_rules;
use crate::account::model::{PasswordContext, PasswordPolicy, check_password};
pub use crate::ui::PasswordField;

/// What the person's own data is, for the «no personal data» rule.
#[derive(Clone, Default)]
pub struct Personal {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub login: String,
}

/// The policy as a checklist that follows `value`. The strength estimate
/// and the «not one of the last 5» rule are the server's and are listed
/// as notes (they are checked when the form is sent).
#[component]
pub fn PasswordChecklist(
    id: &'static str,
    value: RwSignal<String>,
    #[prop(into)] personal: Signal<Personal>,
) -> impl IntoView {
    let rules = OnceResource::new(get_password_rules());
    let checks = move |policy: PasswordPolicy| {
        let p = personal.get();
        let birth = crate::account::model::parse_date(p.birth_date.trim()).ok();
        let ctx = PasswordContext {
            surname: &p.surname,
            name: &p.name,
            patronymic: &p.patronymic,
            birth_date: birth,
            login: &p.login,
        };
        value
            .with(|v| check_password(&policy, &ctx, v))
            .into_iter()
            .map(|(r, met)| (r.text(&policy), met))
            .collect::<Vec<_>>()
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let rules = rules.await.unwrap_or(crate::account::dto::PasswordRules { policy: PasswordPolicy::default(), history: 5 });
                let typed = move || value.with(|v| !v.is_empty());
                view! {
                    <div class="checklist" id=id>
                        <p class="checklist-title">"Требования к паролю:"</p>
                        <ul>
                            {move || checks(rules.policy).into_iter().map(|(text, met)| {
                                let state = if !typed() { "" } else if met { "met" } else { "unmet" };
                                let sr = if !typed() { "" } else if met { " — выполнено" } else { " — не выполнено" };
                                view! {
                                    <li class=format!("check {state}")>
                                        <span class="check-mark" aria-hidden="true">{if met && typed() { "✓" } else { "•" }}</span>
                                        {text}
                                        <span class="visually-hidden">{sr}</span>
                                    </li>
                                }
                            }).collect_view()}
                            <li class="check note">
                                <span class="check-mark" aria-hidden="true">"•"</span>
                                "Не распространённый и не легко угадываемый пароль"
                            </li>
                            {(rules.history > 0).then(|| view! {
                                <li class="check note">
                                    <span class="check-mark" aria-hidden="true">"•"</span>
                                    {format!("Не совпадает с последними {} паролями", rules.history)}
                                </li>
                            })}
                        </ul>
                    </div>
                }
            })}
        </Suspense>
    }
}

/// «Повторите пароль»: «Пароли не совпадают» as soon as the repeat differs,
/// else what the server said about it.
pub fn repeat_error(
    password: RwSignal<String>,
    password2: RwSignal<String>,
    server: Signal<Option<String>>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        if !password2.with(String::is_empty) && password.get() != password2.get() {
            Some("Пароли не совпадают".to_string())
        } else {
            server.get()
        }
    })
}
