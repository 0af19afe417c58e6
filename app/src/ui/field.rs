use leptos::prelude::*;

/// A labelled input with its hint and error. The label is visible and bound
/// to the input; the hint and the error are tied to it with
/// `aria-describedby`, and the input is `aria-invalid` while the error shows.
/// The value lives in the page's signal, so nothing typed is lost when the
/// server answers with an error.
#[component]
pub fn TextField(
    /// Unique on the page; also the base of the hint and error ids.
    id: &'static str,
    /// The form field name sent to the server (works with JavaScript off).
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] value: Option<RwSignal<String>>,
    #[prop(optional, into)] input_type: Option<&'static str>,
    #[prop(optional, into)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] inputmode: Option<&'static str>,
    #[prop(optional, into)] placeholder: Option<&'static str>,
    #[prop(optional, into)] hint: Option<&'static str>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] maxlength: Option<u32>,
) -> impl IntoView {
    let value = value.unwrap_or_else(|| RwSignal::new(String::new()));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id class="field-label">
                {label}
                {required.then(|| view! { <span class="field-required" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                class="field-input"
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                inputmode=inputmode
                placeholder=placeholder
                maxlength=maxlength
                required=required
                aria-required=required.then_some("true")
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                value=value.get_untracked()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p class="field-error" id=error_id.clone() hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
        </div>
    }
}
