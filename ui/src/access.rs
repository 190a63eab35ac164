//! What the person at this desktop may do: in office mode a viewer's screens show no editing control (the
//! server refuses their writes anyway; the screens do not offer them).

use yew::prelude::*;

/// True when the screens must not offer any change (an office viewer).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOnly(pub bool);

/// Whether the screens must not offer any change.
#[hook]
pub fn use_read_only() -> bool {
    use_context::<ReadOnly>().unwrap_or_default().0
}
