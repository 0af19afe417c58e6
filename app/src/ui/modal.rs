use leptos::prelude::*;

/// A modal dialog. It takes focus when it opens, closes with Escape, the
/// close button or a click on the backdrop, and gives focus back to the
/// page. Content is rendered only while open.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    /// Unique on the page; the title's id is derived from it.
    id: &'static str,
    title: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let dialog_ref = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(el) = dialog_ref.get()
        {
            let _ = el.focus();
        }
    });
    let children = StoredValue::new(children);
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop" on:click=move |_| open.set(false)></div>
            <div
                class="modal"
                id=id
                role="dialog"
                aria-modal="true"
                aria-labelledby=title_id.clone()
                tabindex="-1"
                node_ref=dialog_ref
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <div class="modal-header">
                    <h2 id=title_id.clone() class="modal-title">{title}</h2>
                    <button type="button" class="modal-close" aria-label="Закрыть" on:click=move |_| open.set(false)>
                        "×"
                    </button>
                </div>
                <div class="modal-body">{children.with_value(|c| c())}</div>
            </div>
        </Show>
    }
}
