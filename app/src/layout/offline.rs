//! Spec 000 §2.2: when the network drops, say so plainly and keep what the
//! person typed: forms hold their values in signals and nothing reloads the
//! page, so they can carry on once the connection is back.

use leptos::prelude::*;

#[component]
pub fn OfflineNotice() -> impl IntoView {
    let offline = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    {
        use leptos::ev;
        if let Some(nav) = web_sys::window().map(|w| w.navigator()) {
            offline.set(!nav.on_line());
        }
        let on_off = window_event_listener(ev::offline, move |_| offline.set(true));
        let on_on = window_event_listener(ev::online, move |_| offline.set(false));
        on_cleanup(move || {
            on_off.remove();
            on_on.remove();
        });
    }

    view! {
        <div class="offline" role="status" aria-live="polite">
            <Show when=move || offline.get()>
                <div class="container offline-inner">
                    <strong>"Нет подключения к интернету."</strong>
                    " Введённые данные сохранятся на странице — продолжите, когда связь восстановится. "
                    "Если связь не появляется, проверьте Wi‑Fi или мобильную сеть, отключите VPN и перезапустите роутер."
                </div>
            </Show>
        </div>
    }
}
