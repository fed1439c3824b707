-- Customers are found or created by normalised email (or phone when no email is given).
CREATE TABLE customers (
    id          UUID PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    email       TEXT,
    phone       TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_key ON customers (email) WHERE email IS NOT NULL;
CREATE INDEX customers_phone_idx ON customers (phone) WHERE phone IS NOT NULL;

CREATE TABLE requests (
    id               UUID PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    customer_id      UUID NOT NULL REFERENCES customers(id),
    -- contact as given on this request: access by link is granted per verified contact
    contact_email    TEXT,
    contact_phone    TEXT,
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    address_line     TEXT NOT NULL,
    suburb           TEXT NOT NULL,
    state            TEXT NOT NULL,
    postcode         TEXT NOT NULL,
    service_type     TEXT NOT NULL,
    preferred_date   DATE,
    preferred_window TEXT NOT NULL,
    notes            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'new',
    idempotency_key  UUID NOT NULL UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX requests_created_idx ON requests (created_at DESC);
CREATE INDEX requests_customer_idx ON requests (customer_id);
CREATE INDEX requests_contact_email_idx ON requests (contact_email);
CREATE INDEX requests_contact_phone_idx ON requests (contact_phone);

CREATE TABLE attachments (
    id            UUID PRIMARY KEY,
    request_id    UUID REFERENCES requests(id) ON DELETE CASCADE,
    -- files accepted while a form still has errors wait here, keyed by the form's idempotency key
    draft_key     UUID,
    file_name     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    byte_size     BIGINT NOT NULL,
    width         INT,
    height        INT,
    caption       TEXT NOT NULL DEFAULT '',
    uploaded_by   TEXT NOT NULL DEFAULT 'customer',
    client_key    TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX attachments_request_idx ON attachments (request_id);
CREATE INDEX attachments_draft_idx ON attachments (draft_key);
CREATE UNIQUE INDEX attachments_client_key ON attachments (request_id, client_key) WHERE client_key IS NOT NULL;

-- A form that failed validation without JavaScript is kept so nothing typed is lost.
CREATE TABLE intake_drafts (
    key         UUID PRIMARY KEY,
    fields      JSONB NOT NULL,
    errors      JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE staff (
    id             UUID PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'office', 'technician')),
    password_hash  TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Room links and password-reset links. Only the SHA-256 of the token is stored.
CREATE TABLE access_tokens (
    token_hash   BYTEA PRIMARY KEY,
    purpose      TEXT NOT NULL CHECK (purpose IN ('room', 'staff_reset')),
    request_id   UUID REFERENCES requests(id) ON DELETE CASCADE,
    contact      TEXT,
    staff_id     UUID REFERENCES staff(id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);

-- Server-side sessions for customers and staff. The cookie holds a random id; we store its hash.
CREATE TABLE sessions (
    id_hash        BYTEA PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('customer', 'staff')),
    contact        TEXT,
    request_id     UUID REFERENCES requests(id) ON DELETE CASCADE,
    staff_id       UUID REFERENCES staff(id) ON DELETE CASCADE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE outbox (
    id           UUID PRIMARY KEY,
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    request_id   UUID REFERENCES requests(id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts     INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at      TIMESTAMPTZ,
    last_error   TEXT
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_recipient_idx ON outbox (recipient, created_at DESC);

-- Customer-visible history of a request (the room timeline and thread hang off this later).
CREATE TABLE request_events (
    id          UUID PRIMARY KEY,
    request_id  UUID NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    visible_to_customer BOOLEAN NOT NULL DEFAULT TRUE,
    actor       TEXT NOT NULL DEFAULT 'system',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX request_events_request_idx ON request_events (request_id, created_at);
