-- Alert wording the business has written over the defaults in `model::template`, one row
-- per alert and channel; no row means the default text, on or off by its default.
CREATE TABLE message_templates (
    kind        TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    enabled     BOOLEAN NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    updated_by  UUID REFERENCES staff(id) ON DELETE SET NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, channel)
);

-- The business's own settings: one row.
CREATE TABLE business_settings (
    id INT PRIMARY KEY CHECK (id = 1),
    -- Alerts say "Sam is on the way" (true) or "Harbour Plumbing is on the way" (false).
    alerts_name_technician BOOLEAN NOT NULL DEFAULT true
);
INSERT INTO business_settings (id) VALUES (1);
