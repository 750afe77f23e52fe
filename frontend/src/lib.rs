//! The browser half: hydrates the server-rendered page so forms submit in place.
// The staff case page is one deep view type; hydrating it needs more than the default.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Marks the page as interactive: end-to-end tests wait for it before clicking, since
    // a click before hydration would be a plain form post instead.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
