//! The clock issue leases are measured on: this machine's boot and the time since it, which a change of the wall
//! clock (by hand, by NTP, by a time zone) never moves. Every process sharing a data folder runs on this machine,
//! so they all read the same clock; in office mode the server's clock takes its place (PRODUCT.md §5).

use std::time::Duration;

/// A reading of the lease clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseTime {
    /// Which boot of the machine the reading belongs to: a lease taken before a restart has expired.
    pub boot: String,
    /// Milliseconds since that boot (suspend included).
    pub millis: i64,
}

impl LeaseTime {
    /// The deadline of a lease of `lease` taken now.
    pub fn deadline(&self, lease: Duration) -> i64 {
        self.millis.saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX))
    }
}

/// Reads the lease clock.
pub fn now() -> LeaseTime {
    platform().unwrap_or_else(wall)
}

/// Linux: the kernel's boot id and `/proc/uptime` (CLOCK_BOOTTIME, 10 ms steps).
#[cfg(target_os = "linux")]
fn platform() -> Option<LeaseTime> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?.trim().to_string();
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    let seconds: rust_decimal::Decimal = uptime.split_whitespace().next()?.parse().ok()?;
    let millis = i64::try_from((seconds * rust_decimal::Decimal::from(1000)).trunc().mantissa()).ok()?;
    (!boot.is_empty()).then_some(LeaseTime { boot, millis })
}

#[cfg(not(target_os = "linux"))]
fn platform() -> Option<LeaseTime> {
    None
}

/// Elsewhere, the wall clock: a lease is then only as good as the clock (the fencing token still guards every
/// write).
fn wall() -> LeaseTime {
    LeaseTime { boot: "wall-clock".into(), millis: chrono::Utc::now().timestamp_millis() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_forward_within_one_boot() {
        let a = now();
        std::thread::sleep(Duration::from_millis(30));
        let b = now();
        assert_eq!(a.boot, b.boot);
        assert!(b.millis > a.millis, "{} then {}", a.millis, b.millis);
        assert_eq!(a.deadline(Duration::from_secs(120)), a.millis + 120_000);
    }
}
