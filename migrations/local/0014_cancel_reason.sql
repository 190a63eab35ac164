-- Cancelling an issued document needs a reason (issue 13, SAF-T): kept beside the cancelled state. Not covered by
-- the freeze trigger's column list, so the one UPDATE that cancels can write it; a cancelled document is frozen whole.
ALTER TABLE documents ADD COLUMN cancel_reason TEXT;
