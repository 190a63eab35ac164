//! A labelled text input with its live error message under it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`TextField`].
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// Element id (tests and labels use it); the error gets `<id>-error`.
    pub id: AttrValue,
    /// The label.
    pub label: AttrValue,
    /// Current value.
    pub value: AttrValue,
    /// Called with the new value on every keystroke.
    pub oninput: Callback<String>,
    /// The message to show under the field, if any.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// A softer note (e.g. an unusual NIF prefix).
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Input type (text, email, tel…).
    #[prop_or(AttrValue::from("text"))]
    pub kind: AttrValue,
    /// Focus on mount.
    #[prop_or_default]
    pub autofocus: bool,
    /// Input mode hint for on-screen keyboards.
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    /// Max characters accepted by the element itself (the rules still check).
    #[prop_or_default]
    pub maxlength: Option<AttrValue>,
}

/// A labelled input; its error is tied to it for screen readers.
#[function_component(TextField)]
pub fn text_field(p: &TextFieldProps) -> Html {
    let oninput = {
        let cb = p.oninput.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        })
    };
    let error_id = format!("{}-error", p.id);
    html! {
        <div class={classes!("field", p.error.as_ref().map(|_| "has-error"))}>
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <input id={p.id.clone()} type={p.kind.clone()} value={p.value.clone()} {oninput}
                autofocus={p.autofocus} inputmode={p.inputmode.clone()} maxlength={p.maxlength.clone()}
                aria-invalid={p.error.is_some().to_string()} aria-describedby={error_id.clone()} />
            if let Some(e) = &p.error {
                <div class="field-error" id={error_id} role="alert">{ e.clone() }</div>
            } else if let Some(h) = &p.hint {
                <div class="field-hint" id={error_id}>{ h.clone() }</div>
            }
        </div>
    }
}
