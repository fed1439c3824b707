-- The customer card: details staff keep up to date, tags, and what staff did about the
-- customer (edits, tags, calls), beside each request's own activity log.
ALTER TABLE customers
    ADD COLUMN business_name TEXT,
    ADD COLUMN address       TEXT,
    ADD COLUMN tags          TEXT[] NOT NULL DEFAULT '{}';

CREATE TABLE customer_events (
    id           UUID PRIMARY KEY,
    customer_id  UUID NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('edited', 'tagged', 'untagged', 'call')),
    body         TEXT NOT NULL,
    call_outcome TEXT CHECK (call_outcome IN ('called', 'no_answer', 'voicemail', 'spoke')),
    staff_id     UUID REFERENCES staff (id),
    -- A logged call carries the form's key: a double tap or a retry logs it once.
    client_key   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customer_events_client_key ON customer_events (customer_id, client_key)
    WHERE client_key IS NOT NULL;
CREATE INDEX customer_events_customer_idx ON customer_events (customer_id, created_at DESC);
CREATE INDEX outbox_request_idx ON outbox (request_id, created_at DESC) WHERE request_id IS NOT NULL;
