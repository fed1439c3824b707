-- The browser that was served the form holds a random secret in an HttpOnly cookie; a request
-- keeps only its SHA-256, so a repeated submit gets a session only from that same browser.
ALTER TABLE requests ADD COLUMN form_secret_hash BYTEA;

-- The sweeper looks for abandoned drafts and their files by age.
CREATE INDEX intake_drafts_created_idx ON intake_drafts (created_at);
CREATE INDEX attachments_unadopted_idx ON attachments (created_at) WHERE request_id IS NULL;
