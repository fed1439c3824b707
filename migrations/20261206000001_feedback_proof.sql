-- Private feedback (staff review list only) and permissioned proof.
CREATE TABLE feedback (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id  UUID NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    -- A step of the customer's path (model::guide::GuideStep::key).
    step        TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- The form's key: a double tap or a retry sends it once.
    client_key  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    reviewed_at TIMESTAMPTZ,
    reviewed_by UUID REFERENCES staff (id),
    UNIQUE (request_id, client_key)
);
CREATE INDEX feedback_newest_idx ON feedback (created_at DESC);

-- One piece of proof per request. It is public only while published, not withdrawn, and
-- the wording is exactly what the customer approved: the check makes any other publish fail.
CREATE TABLE proofs (
    request_id           UUID PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    customer_words       TEXT NOT NULL,
    wording              TEXT NOT NULL,
    -- Bumped by every change of wording: an approval names the revision the customer read.
    revision             INT NOT NULL DEFAULT 1,
    customer_approved    TEXT,
    customer_approved_at TIMESTAMPTZ,
    attribution          TEXT NOT NULL,
    edited_by            UUID REFERENCES staff (id),
    published_at         TIMESTAMPTZ,
    published_by         UUID REFERENCES staff (id),
    withdrawn_at         TIMESTAMPTZ,
    withdrawn_by         TEXT CHECK (withdrawn_by IN ('customer', 'staff')),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT proofs_publish_needs_both CHECK (
        published_at IS NULL OR (withdrawn_at IS NULL AND customer_approved = wording))
);
CREATE INDEX proofs_published_idx ON proofs (published_at DESC) WHERE published_at IS NOT NULL;
