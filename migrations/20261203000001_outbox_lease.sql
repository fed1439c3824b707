-- The outbox worker claims a message with a lease and sends outside any transaction: a
-- slow mail server no longer holds a row lock, and a worker that dies mid-send leaves a
-- lease that runs out, after which the message is tried again under the same id (the
-- email's Message-ID, the SMS provider's idempotency key), so the retry is not a second
-- message. `status` says where each message is for /staff/outbox ('retried': the office
-- sent it again by hand, as a new message).
ALTER TABLE outbox
    ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'delivered', 'undelivered', 'retried')),
    ADD COLUMN lease_until TIMESTAMPTZ,
    -- Which alert this is (request_received, room_alert, new_link, staff_reset, …).
    ADD COLUMN template TEXT NOT NULL DEFAULT '',
    -- The provider's id for the message (an SMS provider's sid), for its status callbacks.
    ADD COLUMN provider_id TEXT;

UPDATE outbox SET status = CASE
    WHEN sent_at IS NOT NULL THEN 'sent'
    WHEN attempts >= 10 THEN 'failed'
    ELSE 'pending' END;

DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_recent_idx ON outbox (created_at DESC);
CREATE UNIQUE INDEX outbox_provider_idx ON outbox (provider_id) WHERE provider_id IS NOT NULL;
