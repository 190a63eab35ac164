-- Withholding per line and a default per product (issue 13, CIRS art. 101): a line's own IRS/IRC rate overrides
-- the document's ('0': nothing withheld on that line, e.g. goods); a product's rate is what a line picked from it
-- starts with. Decimals in text like every other rate; NULL takes the document's (lines) or none (products).
-- Mergeable synced columns: ops written from here on carry schema version 16.
ALTER TABLE document_lines ADD COLUMN withholding_rate TEXT;
ALTER TABLE products ADD COLUMN withholding_rate TEXT;
