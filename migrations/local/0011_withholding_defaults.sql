-- Withholding defaults per customer (issue 13): the IRS/IRC rate a customer withholds on our services
-- (CIRS art. 101), as a decimal in text like every other rate; NULL: the customer does not withhold. A mergeable
-- synced column (`customers.rs`, `Entity::COLUMNS`); ops written from here on carry schema version 11.
ALTER TABLE customers ADD COLUMN withholding_rate TEXT;
