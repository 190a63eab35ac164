-- The Moloni master sync (issue 16). Local to this desktop (office mode moves the run under a server lease).
-- A link remembers what both sides looked like when they last agreed (a fingerprint of the synced fields): a side
-- whose fingerprint moved has changed since; both moved and differing goes to review, never overwritten.
ALTER TABLE moloni_links ADD COLUMN moloni_hash TEXT;
ALTER TABLE moloni_links ADD COLUMN local_hash TEXT;
CREATE INDEX moloni_links_by_moloni ON moloni_links (company_id, entity, moloni_id);

-- Moloni's reference data of each company (taxes, series, payment methods, maturity dates, units, countries,
-- exemption reasons) as last pulled; `mapped` says what a tax is in the dated VAT table (`PT/NOR`), NULL if nothing.
CREATE TABLE moloni_reference (
    company_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    moloni_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    data        TEXT NOT NULL,
    mapped      TEXT,
    pulled_at   TEXT NOT NULL,
    PRIMARY KEY (company_id, kind, moloni_id)
) STRICT, WITHOUT ROWID;

-- Every run, kept a year: when, what, the counts and each problem (JSON) — the sync log.
CREATE TABLE moloni_sync_runs (
    id           INTEGER PRIMARY KEY,
    company_id   TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL,
    report       TEXT NOT NULL
) STRICT;
CREATE INDEX moloni_sync_runs_by_company ON moloni_sync_runs (company_id, started_at);
