use leptos::prelude::*;

/// Steps of a multi-step flow; the current one is marked for screen readers.
#[component]
pub fn Stepper(
    steps: Vec<&'static str>,
    /// Zero-based index of the current step.
    #[prop(into)]
    current: Signal<usize>,
) -> impl IntoView {
    let total = steps.len();
    view! {
        <ol class="stepper" aria-label="Шаги">
            {steps
                .into_iter()
                .enumerate()
                .map(|(i, step)| {
                    let state = move || match current.get() {
                        c if i < c => "stepper-item done",
                        c if i == c => "stepper-item current",
                        _ => "stepper-item",
                    };
                    view! {
                        <li class=state aria-current=move || (current.get() == i).then_some("step")>
                            <span class="stepper-number" aria-hidden="true">{i + 1}</span>
                            <span class="stepper-label">
                                <span class="visually-hidden">{format!("Шаг {} из {total}: ", i + 1)}</span>
                                {step}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
