-- An issued document prints from what was true when it was issued (issue 15): the issuer block, the customer
-- block and the totals per rate, frozen as JSON at issue. A later change of company profile, customer address or
-- rate table never changes a reprint.
ALTER TABLE documents ADD COLUMN issued_snapshot TEXT;

-- The immutability of issued documents covers the snapshot too.
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
      OR new.supply_date IS NOT old.supply_date OR new.issued_snapshot IS NOT old.issued_snapshot)
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;
