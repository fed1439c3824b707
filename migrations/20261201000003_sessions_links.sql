-- Links and signed-in devices a customer can see and end (issue 11, points 3 and 6).
-- `public_id` names a link or a session in pages and forms; the token hash never leaves the server.
ALTER TABLE sessions
    ADD COLUMN public_id UUID NOT NULL DEFAULT gen_random_uuid(),
    -- A coarse summary of the browser ("Chrome on Android"), never the raw user agent.
    ADD COLUMN device    TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX sessions_public_id_key ON sessions (public_id);
CREATE INDEX sessions_request_idx ON sessions (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX sessions_contact_idx ON sessions (contact) WHERE contact IS NOT NULL;
CREATE INDEX sessions_staff_idx ON sessions (staff_id) WHERE staff_id IS NOT NULL;

ALTER TABLE access_tokens ADD COLUMN public_id UUID NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX access_tokens_public_id_key ON access_tokens (public_id);
CREATE INDEX access_tokens_request_idx ON access_tokens (request_id) WHERE purpose = 'room';
CREATE INDEX access_tokens_contact_idx ON access_tokens (contact) WHERE purpose = 'room';

-- The outbox drops a message's links once it has been handed off (or given up on).
ALTER TABLE outbox ADD COLUMN redacted_at TIMESTAMPTZ;
