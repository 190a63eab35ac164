-- Office sync (issue 19), this desktop's side: groups the server refused (what was typed is kept with the
-- reason, for the sync centre and a retry), and the open conflicts as last read from the server, with a
-- person's decision waiting to be sent. Local tables: never synced.
CREATE TABLE office_rejections (
    id          INTEGER PRIMARY KEY,
    group_id    TEXT NOT NULL,
    op_id       TEXT NOT NULL UNIQUE,
    company_id  TEXT NOT NULL,
    entity      TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    command     TEXT,
    old_values  TEXT NOT NULL,
    new_values  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL,
    dismissed_at TEXT
) STRICT;
CREATE INDEX office_rejections_open ON office_rejections (company_id) WHERE dismissed_at IS NULL;

CREATE TABLE office_conflicts (
    id          TEXT PRIMARY KEY NOT NULL,
    company_id  TEXT NOT NULL,
    entity      TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    field       TEXT NOT NULL,
    base        TEXT NOT NULL,
    theirs      TEXT NOT NULL,
    mine        TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    at          TEXT NOT NULL,
    -- a person's decision not yet sent: mine, theirs or edited
    choice      TEXT,
    decided_at  TEXT
) STRICT;
CREATE INDEX office_conflicts_company ON office_conflicts (company_id);
