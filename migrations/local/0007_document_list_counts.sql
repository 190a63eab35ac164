-- The documents list at 500k rows, second pass (PRODUCT.md §6: a filtered, sorted page of 100 in ≤ 20 ms).
-- * Number order with a type filter: a type's documents sit in one block of the number index (the key starts
--   with the series), so walking `documents_by_number` for "FT, FR, FS by number" crossed every OR/NC/ND entry
--   first. This index gives each type its own range; the engine merges the ranges of the types asked for.
CREATE INDEX documents_by_type_number ON documents (company_id, doc_type, number_key, id, state, issue_date) WHERE deleted_at IS NULL;
-- * Overdue combined with a type, state or date filter: the open documents' index now carries those columns,
--   so counting such a filter (or reading a small one) tests them in the index instead of reading each row.
DROP INDEX documents_open_by_due;
CREATE INDEX documents_open_by_due ON documents (company_id, due_date, id, doc_type, state, issue_date) WHERE deleted_at IS NULL AND open_cents > 0;
