-- The room: what staff asked for, urgency, the schedule, and the customer-facing reason.
ALTER TABLE requests
    ADD COLUMN urgent          BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN urgent_at       TIMESTAMPTZ,
    ADD COLUMN callback_window TEXT,
    ADD COLUMN ask_kind        TEXT CHECK (ask_kind IN ('photos', 'details')),
    ADD COLUMN ask_text        TEXT,
    ADD COLUMN ask_at          TIMESTAMPTZ,
    ADD COLUMN customer_reason TEXT,
    ADD COLUMN scheduled_date  DATE,
    ADD COLUMN scheduled_window TEXT,
    ADD COLUMN technician_name TEXT;

-- One thread per request. `client_key` makes a retried send a no-op.
CREATE TABLE messages (
    id          UUID PRIMARY KEY,
    request_id  UUID NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    sender      TEXT NOT NULL CHECK (sender IN ('customer', 'staff')),
    author      TEXT NOT NULL,
    body        TEXT NOT NULL,
    topic       TEXT NOT NULL DEFAULT 'general' CHECK (topic IN ('general', 'quote', 'help')),
    client_key  TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX messages_request_idx ON messages (request_id, created_at);
CREATE UNIQUE INDEX messages_client_key ON messages (request_id, client_key) WHERE client_key IS NOT NULL;

-- Every version of a quote is kept; the customer decides on exactly one version.
CREATE TABLE quotes (
    id              UUID PRIMARY KEY,
    request_id      UUID NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    version         INT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'approved', 'declined', 'superseded')),
    lines           JSONB NOT NULL,
    tax_rate_bp     INT NOT NULL,
    valid_until     DATE NOT NULL,
    notes           TEXT NOT NULL DEFAULT '',
    created_by      UUID REFERENCES staff(id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ,
    decided_at      TIMESTAMPTZ,
    decision_name   TEXT,
    decision_reason TEXT,
    decision_session BYTEA,
    UNIQUE (request_id, version)
);
