-- The review list (issue 17): a value from elsewhere that differs from the stored one is kept here for a person
-- to decide, never written over the stored value. Generic over its source: an import (`import:<file name>`)
-- today, the Moloni sync (`moloni`) next. Local to this desktop (no rev, no outbox); taking the incoming value
-- writes the record through the one write path, which syncs it.
CREATE TABLE review_items (
    id           INTEGER PRIMARY KEY,
    company_id   TEXT NOT NULL REFERENCES companies(id),
    entity       TEXT NOT NULL CHECK (entity IN ('customers', 'products')),
    row_id       TEXT NOT NULL,
    field        TEXT NOT NULL,
    current      TEXT NOT NULL,
    incoming     TEXT NOT NULL,
    source       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    resolved_at  TEXT,
    resolution   TEXT CHECK (resolution IS NULL OR resolution IN ('keep_current', 'take_incoming')),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
) STRICT;
CREATE INDEX review_items_open ON review_items (company_id, id) WHERE resolved_at IS NULL;
