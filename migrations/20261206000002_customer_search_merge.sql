-- Customer search by part of a name, business name, email or phone number (trigram indexes,
-- so a fragment anywhere is found without reading every customer), and merging duplicates.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The number's digits ("+61 412…" → "61412…"), so digits typed in any format are found.
ALTER TABLE customers
    ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS (regexp_replace(COALESCE(phone, ''), '\D', '', 'g')) STORED;

CREATE INDEX customers_name_trgm ON customers USING gin (lower(first_name || ' ' || last_name) gin_trgm_ops);
CREATE INDEX customers_business_trgm ON customers USING gin (lower(business_name) gin_trgm_ops);
CREATE INDEX customers_email_trgm ON customers USING gin (lower(email) gin_trgm_ops);
CREATE INDEX customers_phone_trgm ON customers USING gin (phone_digits gin_trgm_ops);
CREATE INDEX customers_email_lower ON customers (lower(email)) WHERE email IS NOT NULL;

-- A merged card is gone; its id keeps pointing at the card it went into, and why.
CREATE TABLE customer_merges (
    from_id    UUID PRIMARY KEY,
    into_id    UUID NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    staff_id   UUID REFERENCES staff (id),
    summary    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customer_merges_into_idx ON customer_merges (into_id);

ALTER TABLE customer_events DROP CONSTRAINT customer_events_kind_check;
ALTER TABLE customer_events ADD CONSTRAINT customer_events_kind_check
    CHECK (kind IN ('edited', 'tagged', 'untagged', 'call', 'merged'));
