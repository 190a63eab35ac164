//! Faults on demand: fail the next N calls of an endpoint before or after doing the work, and lag lists
//! behind inserts. Set from Rust ([`crate::StandIn::add_fault`]) or with `POST /_standin/faults`:
//! `{"endpoint": "invoices/insert", "when": "after", "kind": "timeout", "times": 1}`.

use serde::{Deserialize, Serialize};

/// Before or after the work is done (after: the change is kept, the answer is what fails).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// Nothing is done.
    #[default]
    Before,
    /// The work is done, then the answer fails.
    After,
}

/// What goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// No answer for `delay_ms` (default 60 s): the client's timeout passes.
    Timeout,
    /// HTTP 500.
    ServerError,
    /// HTTP 503.
    Unavailable,
    /// HTTP 429 with `Retry-After: retry_after` (default 1).
    RateLimit,
    /// HTTP 200 with a body cut in the middle of its JSON.
    MalformedJson,
    /// The access token is refused ("Invalid access token.") and expired.
    ExpiredToken,
    /// The connection breaks after the headers: the answer never arrives whole.
    LostResponse,
    /// A validation error (`errors`, e.g. `["2 net_value"]`).
    Validation,
}

fn one() -> u32 {
    1
}

/// A fault for the next `times` calls of `endpoint` (`invoices/insert`, `invoices/*`, `grant`, or `*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// Which calls.
    pub endpoint: String,
    /// Before or after the work.
    #[serde(default)]
    pub when: When,
    /// What goes wrong.
    pub kind: FaultKind,
    /// How many calls.
    #[serde(default = "one")]
    pub times: u32,
    /// For `rate_limit`: the `Retry-After` seconds.
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// For `timeout`: how long to hold the answer (ms).
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// For `validation`: the error strings.
    #[serde(default)]
    pub errors: Vec<String>,
    /// Calls of `endpoint` to let through first: a fault in the middle of a run.
    #[serde(default)]
    pub skip: u32,
}

impl Fault {
    /// A fault for one call.
    pub fn new(endpoint: &str, when: When, kind: FaultKind) -> Fault {
        Fault {
            endpoint: endpoint.into(),
            when,
            kind,
            times: 1,
            retry_after: None,
            delay_ms: None,
            errors: Vec::new(),
            skip: 0,
        }
    }

    /// For the next `n` calls.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = n;
        self
    }

    /// Only after `n` calls of the endpoint have gone through.
    pub fn after_calls(mut self, n: u32) -> Fault {
        self.skip = n;
        self
    }

    fn matches(&self, endpoint: &str) -> bool {
        self.endpoint == "*"
            || self.endpoint == endpoint
            || self.endpoint.strip_suffix("/*").is_some_and(|r| endpoint.split('/').next() == Some(r))
    }
}

/// What `POST /_standin/faults` takes: one fault, or several with a lag and/or a reset.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FaultsRequest {
    /// Faults to add.
    #[serde(default)]
    pub faults: Vec<Fault>,
    /// Changes younger than this many seconds are left out of getAll/getModifiedSince.
    #[serde(default)]
    pub lag_seconds: Option<i64>,
    /// Forget the faults set before.
    #[serde(default)]
    pub clear: bool,
}

/// The faults waiting to happen.
#[derive(Debug, Default)]
pub struct Faults {
    pending: Vec<Fault>,
}

impl Faults {
    /// Adds one.
    pub fn add(&mut self, f: Fault) {
        if f.times > 0 {
            self.pending.push(f);
        }
    }

    /// Forgets all.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// The faults still waiting.
    pub fn pending(&self) -> Vec<Fault> {
        self.pending.clone()
    }

    /// The fault for this call at this moment, if any (counted down).
    pub fn take(&mut self, endpoint: &str, when: When) -> Option<Fault> {
        let i = self.pending.iter().position(|f| f.when == when && f.matches(endpoint))?;
        if self.pending[i].skip > 0 {
            self.pending[i].skip -= 1;
            return None;
        }
        let f = self.pending[i].clone();
        self.pending[i].times -= 1;
        if self.pending[i].times == 0 {
            self.pending.remove(i);
        }
        Some(f)
    }
}
