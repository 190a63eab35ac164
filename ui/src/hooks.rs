//! Hooks shared by the pages. [`use_latest`]: answers in order — a search answer that arrives after a newer
//! request was made is dropped, so a slow answer to an old query never replaces the newer one on screen.

use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// Hands out tickets; only the newest ticket is current.
#[derive(Clone, Default)]
pub struct Latest(Rc<Cell<u64>>);

/// One request's place in line.
pub struct Ticket {
    counter: Rc<Cell<u64>>,
    mine: u64,
}

impl Latest {
    /// A ticket for a request being made now; every earlier ticket stops being current.
    pub fn begin(&self) -> Ticket {
        let mine = self.0.get() + 1;
        self.0.set(mine);
        Ticket { counter: self.0.clone(), mine }
    }

    /// Makes every ticket handed out so far stale (the answers they wait for are no longer wanted).
    pub fn cancel(&self) {
        self.0.set(self.0.get() + 1);
    }
}

impl Ticket {
    /// True while no newer request was made: only then may its answer be shown.
    pub fn is_current(&self) -> bool {
        self.counter.get() == self.mine
    }
}

/// A [`Latest`] that lives as long as the component (the same one on every render).
#[hook]
pub fn use_latest() -> Latest {
    (*use_memo((), |_| Latest::default())).clone()
}

/// A counter that only goes up, for "something changed, fetch again" (dispatch from anywhere, never a stale read).
#[derive(Default, PartialEq)]
pub struct Bump(pub u64);

impl Reducible for Bump {
    type Action = ();

    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Bump(self.0 + 1))
    }
}
