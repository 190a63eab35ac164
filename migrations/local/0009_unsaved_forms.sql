-- Unsaved editor forms (issue 10): what is on screen in a document editor, written as the user types, so work
-- that is not a valid draft yet (no customer, a half-typed price) survives a close, a crash or a restart and is
-- offered back. Local only: no rev, no outbox, no audit; it never syncs and never becomes a document by itself.
-- One row per editor (`key`); `document_id` is the stored draft it edits, once there is one. `body` is the
-- desk-model `UnsavedForm` as JSON. The row is deleted once the draft is stored or the user discards it.
CREATE TABLE unsaved_forms (
    company_id   TEXT NOT NULL REFERENCES companies(id),
    key          TEXT NOT NULL,
    document_id  TEXT,
    body         TEXT NOT NULL CHECK (length(body) <= 2000000),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (company_id, key)
) STRICT;
