//! The browser entry: hydrates the server-rendered page with the app.
//! Pages are lazy routes (see `app::App`): hydration waits for the piece of
//! the wasm that holds the page's code, then marks the page as live.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::tachys::dom::body();
        let app = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        app.forget();
        // The browser tests wait for this before they interact.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
