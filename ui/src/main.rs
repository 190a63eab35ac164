//! The desk-moloni user interface: a Yew app, compiled to wasm, that talks to the Rust engine only through
//! typed Tauri commands (`ipc`) and validates and totals with `desk-model` right in the page.

mod access;
mod app;
mod components;
mod hooks;
mod i18n;
mod ipc;
mod leave;
mod pages;
mod screen;

fn main() {
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    yew::Renderer::<app::App>::new().render();
}
