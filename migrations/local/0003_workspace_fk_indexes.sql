-- Foreign-key lookups need plain indexes on the child columns. SQLite looks up the children of a document
-- (its lines, its payments) whenever a document row is inserted while deferred constraints are pending, or
-- deleted; a partial index (`WHERE deleted_at IS NULL`) cannot serve that lookup, so each such statement
-- scanned every line. These plain indexes replace the partial ones of 0002 and serve the lists as well.
DROP INDEX document_lines_by_document;
CREATE INDEX document_lines_by_document ON document_lines (document_id, position);
DROP INDEX payments_by_document;
CREATE INDEX payments_by_document ON payments (document_id, paid_on);
CREATE INDEX payments_by_receipt ON payments (receipt_id) WHERE receipt_id IS NOT NULL;
