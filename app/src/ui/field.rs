use leptos::prelude::*;
use leptos::tachys::html::property::IntoProperty;
use leptos::tachys::renderer::types::Element;
use leptos::wasm_bindgen::{JsCast, JsValue};

/// A labelled input with its hint and error. The label is visible and bound
/// to the input; the hint and the error are tied to it with
/// `aria-describedby`, and the input is `aria-invalid` while the error shows.
/// The value lives in the page's signal, so nothing typed is lost when the
/// server answers with an error, nor when the app wakes up (see
/// [`typed_value`]).
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
                prop:value=typed_value(value)
                value=value.get_untracked()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p class="field-error" id=error_id.clone() hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
        </div>
    }
}

/// The `value` property of an input bound to `signal`, for `prop:value`.
///
/// The server-rendered page works before the wasm arrives, and a person on a
/// slow phone types into it. A plain `prop:value=move || signal.get()` writes
/// the signal's value (empty, or what the server echoed) into the input when
/// the app hydrates, erasing what was typed. With this one the input wins at
/// hydration: the signal takes the text the input holds once the page has
/// hydrated; afterwards
/// the signal drives the input as usual.
pub fn typed_value(signal: RwSignal<String>) -> impl Fn() -> TypedValue + Send + Sync + Clone + 'static {
    move || TypedValue { text: signal.get(), signal }
}

/// What [`typed_value`] gives the renderer each time the signal changes.
#[derive(Clone)]
pub struct TypedValue {
    text: String,
    signal: RwSignal<String>,
}

impl IntoProperty for TypedValue {
    type State = <String as IntoProperty>::State;
    type Cloneable = Self;
    type CloneableOwned = Self;

    fn hydrate<const FROM_SERVER: bool>(self, el: &Element, key: &str) -> Self::State {
        if !FROM_SERVER {
            return IntoProperty::hydrate::<FROM_SERVER>(self.text, el, key);
        }
        // Leave the input alone, and let the signal take what it holds once
        // the whole page has hydrated: changing the signal now would make
        // the parts hydrated after this one (a hint, a checklist) differ
        // from the server's HTML. Read the input then, not now, in case the
        // person kept typing meanwhile.
        let input = el.clone();
        let signal = self.signal;
        let context = Owner::current_shared_context();
        let hydrating = move || context.as_ref().is_some_and(|c| c.during_hydration());
        after_hydration(hydrating, move || {
            if let Some(typed) = input.dyn_ref::<leptos::web_sys::HtmlInputElement>().map(|i| i.value())
                && signal.try_with_untracked(|v| *v != typed) == Some(true)
            {
                signal.try_set(typed);
            }
        });
        (el.clone(), JsValue::from_str(&self.text))
    }

    fn build(self, el: &Element, key: &str) -> Self::State {
        IntoProperty::build(self.text, el, key)
    }

    fn rebuild(self, state: &mut Self::State, key: &str) {
        IntoProperty::rebuild(self.text, state, key)
    }

    fn into_cloneable(self) -> Self::Cloneable {
        self
    }

    fn into_cloneable_owned(self) -> Self::CloneableOwned {
        self
    }
}

/// Runs `f` once the page has hydrated (a lazy page hydrates only after its
/// piece of the wasm arrived), checking every 20 ms until then.
fn after_hydration(hydrating: impl Fn() -> bool + 'static, f: impl FnOnce() + 'static) {
    set_timeout(
        move || if hydrating() { after_hydration(hydrating, f) } else { f() },
        std::time::Duration::from_millis(20),
    );
}
