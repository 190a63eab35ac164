-- Issue 13: IRS/IRC withholding at source (CIRS art. 101), the date of supply (CIVA art. 36 n.º 5 f)), and the
-- company's VAT regime and rounding method.
-- A document's withholding rate (NULL: none) and amount, shown after its total; what the customer pays, and so
-- the open balance, is total − withholding. Decimal text, as everywhere in this cache.

ALTER TABLE documents ADD COLUMN withholding_rate TEXT;
ALTER TABLE documents ADD COLUMN withholding TEXT NOT NULL DEFAULT '0';
ALTER TABLE documents ADD COLUMN supply_date TEXT
    CHECK (supply_date IS NULL OR supply_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

-- The company's VAT regime (normal, cash VAT, art. 53 exemption) and Moloni's rounding method for it.
ALTER TABLE companies ADD COLUMN vat_regime TEXT NOT NULL DEFAULT 'normal'
    CHECK (vat_regime IN ('normal', 'cash_vat', 'small_business_exempt'));
ALTER TABLE companies ADD COLUMN rounding TEXT NOT NULL DEFAULT 'document' CHECK (rounding IN ('document', 'line'));

-- The immutability of issued documents covers the new columns too.
DROP TRIGGER documents_issued_frozen;
CREATE TRIGGER documents_issued_frozen BEFORE UPDATE ON documents
WHEN old.state IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
 AND (old.state = 'cancelled'
      OR new.state NOT IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
      OR new.id IS NOT old.id OR new.company_id IS NOT old.company_id OR new.series_id IS NOT old.series_id
      OR new.draft_number IS NOT old.draft_number OR new.doc_type IS NOT old.doc_type
      OR new.customer_id IS NOT old.customer_id OR new.customer_name IS NOT old.customer_name
      OR new.customer_key IS NOT old.customer_key OR new.customer_nif IS NOT old.customer_nif
      OR new.issue_date IS NOT old.issue_date OR new.due_date IS NOT old.due_date
      OR new.payment_terms IS NOT old.payment_terms OR new.notes IS NOT old.notes
      OR new.global_discount IS NOT old.global_discount OR new.retail_b2c IS NOT old.retail_b2c
      OR new.source_id IS NOT old.source_id OR new.source_reason IS NOT old.source_reason
      OR new.gross IS NOT old.gross OR new.discounts IS NOT old.discounts OR new.net IS NOT old.net
      OR new.vat IS NOT old.vat OR new.total IS NOT old.total OR new.net_cents IS NOT old.net_cents
      OR new.total_cents IS NOT old.total_cents OR new.number_key IS NOT old.number_key
      OR new.issue_requested_at IS NOT old.issue_requested_at OR new.moloni_id IS NOT old.moloni_id
      OR new.moloni_document_set_id IS NOT old.moloni_document_set_id
      OR new.fiscal_number IS NOT old.fiscal_number OR new.fiscal_series IS NOT old.fiscal_series
      OR new.atcud IS NOT old.atcud OR new.hash4 IS NOT old.hash4 OR new.issued_at IS NOT old.issued_at
      OR new.created_at IS NOT old.created_at OR new.deleted_at IS NOT old.deleted_at
      OR new.withholding_rate IS NOT old.withholding_rate OR new.withholding IS NOT old.withholding
      OR new.supply_date IS NOT old.supply_date)
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;
