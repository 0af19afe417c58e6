//! The password field of seed 000 §2.1 and seed 003 «Парольная политика»:
//! a hint when Caps Lock is on or Russian letters are typed, «Показать»,
//! and the policy as a live checklist (met / not met) while typing.

use leptos::prelude::*;

use crate::account::api::get_password_rules;
use crate::account::model::{PasswordContext, PasswordPolicy, check_password, keyboard_layout_hint};

/// A password input with its label, hints and error. `new_password` turns
/// on `autocomplete="new-password"`.
#[component]
pub fn PasswordField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] new_password: bool,
    /// Ids of more elements that describe the field (a checklist).
    #[prop(optional)]
    described: Option<&'static str>,
) -> impl IntoView {
    let caps = RwSignal::new(false);
    let shown = RwSignal::new(false);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let layout = Memo::new(move |_| value.with(|v| keyboard_layout_hint(v)));
    let hint = move || {
        let mut parts = Vec::new();
        if caps.get() {
            parts.push("Включён Caps Lock — пароль вводится заглавными буквами");
        }
        if let Some(h) = layout.get() {
            parts.push(h);
        }
        (!parts.is_empty()).then(|| parts.join(". "))
    };
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = vec![hint_id.clone()];
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            if let Some(d) = described {
                ids.push(d.to_string());
            }
            ids.join(" ")
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| caps.set(ev.get_modifier_state("CapsLock"));
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id class="field-label">{label}<span class="field-required" aria-hidden="true">" *"</span></label>
            <div class="password-row">
                <input
                    id=id
                    name=name
                    class="field-input"
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=if new_password { "new-password" } else { "current-password" }
                    required=true
                    maxlength="256"
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=described_by
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:keydown=on_key
                    on:keyup=on_key
                />
                <button
                    type="button"
                    class="btn btn-secondary password-toggle"
                    aria-controls=id
                    aria-pressed=move || if shown.get() { "true" } else { "false" }
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    {move || if shown.get() { "Скрыть" } else { "Показать" }}
                </button>
            </div>
            <p class="field-hint field-warning" id=hint_id aria-live="polite">{hint}</p>
            <p class="field-error" id=error_id hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        </div>
    }
}

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
