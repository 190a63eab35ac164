-- Issue leases on a monotonic clock (issue 15): the boot of the machine and the milliseconds since it, which a
-- change of the wall clock never moves (desk-core's lease_clock.rs). A lease is live while the boot is this one
-- and the deadline is ahead; lease_until stays as the wall-clock time shown to people.
ALTER TABLE issue_requests ADD COLUMN lease_boot TEXT;
ALTER TABLE issue_requests ADD COLUMN lease_deadline INTEGER;
-- The last error of a request in both languages (last_error keeps the English one, as `desk queue --json` shows it).
ALTER TABLE issue_requests ADD COLUMN last_error_pt TEXT;
