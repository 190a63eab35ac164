-- The issuing company's profile, printed as the issuer block of its documents (pt-invoicing §6): address,
-- share capital and registry (CSC art. 171), how customers pay it, and its logo file. All optional: a company
-- named on first run prints with what it has. Amounts are decimal text, as everywhere in this cache.

ALTER TABLE companies ADD COLUMN address TEXT CHECK (address IS NULL OR length(address) <= 200);
ALTER TABLE companies ADD COLUMN postal_code TEXT;
ALTER TABLE companies ADD COLUMN city TEXT;
ALTER TABLE companies ADD COLUMN country TEXT NOT NULL DEFAULT 'PT' CHECK (length(country) = 2);
ALTER TABLE companies ADD COLUMN share_capital TEXT;
ALTER TABLE companies ADD COLUMN registry TEXT;
ALTER TABLE companies ADD COLUMN iban TEXT;
ALTER TABLE companies ADD COLUMN payment_method TEXT;
ALTER TABLE companies ADD COLUMN logo_path TEXT;

-- An accountant keeps each client company once: the same NIF twice is a mistake.
CREATE UNIQUE INDEX companies_nif_unique ON companies (nif) WHERE nif IS NOT NULL AND deleted_at IS NULL;
