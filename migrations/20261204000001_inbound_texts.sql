-- Where a thread message came from: typed in the room, or texted to the business's number.
ALTER TABLE messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'room' CHECK (channel IN ('room', 'sms'));

-- How each staff member wants their alerts, and the number texts go to.
ALTER TABLE staff
    ADD COLUMN phone TEXT,
    ADD COLUMN alert_channel TEXT NOT NULL DEFAULT 'email' CHECK (alert_channel IN ('email', 'sms', 'none'));

-- Who answers texts and gets alerts when no technician is on the way (none: the owner).
ALTER TABLE business_settings ADD COLUMN point_of_contact UUID REFERENCES staff(id) ON DELETE SET NULL;

-- Numbers that turned texts off (STOP) or back on (START, or from the room). No row: on.
CREATE TABLE sms_consent (
    phone       TEXT PRIMARY KEY,
    opted_out   BOOLEAN NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('sms', 'room')),
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A text for a number that is off is kept, never sent.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'delivered', 'undelivered', 'retried', 'opted_out'));

-- Every text that came in, where it went and why. The provider retries a webhook it
-- thinks failed: its message sid makes the second post a no-op.
CREATE TABLE inbound_texts (
    id              UUID PRIMARY KEY,
    provider_sid    TEXT NOT NULL UNIQUE,
    from_phone      TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- The request it joined; none for a new lead.
    request_id      UUID REFERENCES requests(id) ON DELETE SET NULL,
    keyword         TEXT CHECK (keyword IN ('stop', 'start')),
    routed_to       UUID REFERENCES staff(id) ON DELETE SET NULL,
    routed_because  TEXT NOT NULL CHECK (routed_because IN ('technician', 'point_of_contact', 'owner')),
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    handled_at      TIMESTAMPTZ,
    handled_by      UUID REFERENCES staff(id) ON DELETE SET NULL
);
CREATE INDEX inbound_texts_received_idx ON inbound_texts (received_at DESC);
