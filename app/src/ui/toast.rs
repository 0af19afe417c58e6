use leptos::prelude::*;

/// Short confirmations ("Сохранено") shown in a corner and read out by
/// screen readers. Provided once by the shell; pages call `use_toasts()`.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<(u64, String)>>,
    next: StoredValue<u64>,
}

impl Toasts {
    pub fn show(&self, text: impl Into<String>) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.items.update(|v| v.push((id, text.into())));
        #[cfg(feature = "hydrate")]
        {
            let items = self.items;
            set_timeout(move || items.update(|v| v.retain(|(i, _)| *i != id)), std::time::Duration::from_secs(6));
        }
    }

    fn dismiss(&self, id: u64) {
        self.items.update(|v| v.retain(|(i, _)| *i != id));
    }
}

/// Called once by the app root, above every page.
pub fn provide_toasts() {
    provide_context(Toasts { items: RwSignal::new(Vec::new()), next: StoredValue::new(0) });
}

pub fn use_toasts() -> Toasts {
    use_context::<Toasts>().unwrap_or_else(|| Toasts { items: RwSignal::new(Vec::new()), next: StoredValue::new(0) })
}

/// The live region that shows the toasts; placed once in the layout.
#[component]
pub fn ToastHost() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.items.get() key=|(id, _)| *id let:item>
                <div class="toast">
                    <span>{item.1.clone()}</span>
                    <button type="button" class="toast-close" aria-label="Скрыть уведомление" on:click=move |_| toasts.dismiss(item.0)>
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
