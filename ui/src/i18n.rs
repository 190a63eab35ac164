//! UI language: the context every component reads, and the pick of a string pair.

use desk_model::msg::Lang;
use yew::prelude::*;

/// The language in force, shared through a Yew context.
#[derive(Clone, Copy, PartialEq)]
pub struct UiLang(pub Lang);

/// Chooses the Portuguese or English text. Texts stay beside their use, both languages side by side.
pub fn tr(lang: Lang, pt: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Pt => pt,
        Lang::En => en,
    }
}

/// The language of the surrounding context (pt-PT if none).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<UiLang>().map(|l| l.0).unwrap_or_default()
}

/// The system's language as the web view reports it, for the first start.
pub fn system_lang() -> Lang {
    web_sys::window().and_then(|w| w.navigator().language()).map(|tag| Lang::from_locale(&tag)).unwrap_or_default()
}
