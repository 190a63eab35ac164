//! A banner for an error or a confirmation, in the user's language.

use crate::i18n::use_lang;
use desk_model::ipc::AppError;
use yew::prelude::*;

/// Props of [`ErrorBanner`].
#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    /// The error to show.
    pub error: AppError,
}

/// Shows an `AppError`'s message.
#[function_component(ErrorBanner)]
pub fn error_banner(p: &ErrorBannerProps) -> Html {
    let lang = use_lang();
    html! { <div class="banner banner-error" role="alert" id="error-banner">{ p.error.message.get(lang).to_string() }</div> }
}
