//! The password field of spec 000 §2.1: a hint when Caps Lock is on or
//! Russian letters are typed (the keyboard may be in the wrong layout),
//! «Показать» / «Скрыть», its error tied to it.

use leptos::prelude::*;

/// A hint when the password has Russian letters: the keyboard may be in the
/// wrong layout (000 §2.1).
pub fn keyboard_layout_hint(password: &str) -> Option<&'static str> {
    password
        .chars()
        .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
        .then_some("В пароле есть русские буквы — проверьте раскладку клавиатуры")
}

/// A password input with its label, hints and error. `new_password` turns
/// on `autocomplete="new-password"`. What was typed before the app woke up
/// is kept (`typed_value`).
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
                    prop:value=super::field::typed_value(value)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_letters_in_password_suggest_checking_the_layout() {
        assert_eq!(
            keyboard_layout_hint("Ьщкщя!Муеук7"),
            Some("В пароле есть русские буквы — проверьте раскладку клавиатуры")
        );
        assert_eq!(keyboard_layout_hint("Moroz!Veter7Luna"), None);
    }
}
