-- Staff updates and notes carry a client key too, so a retried post is stored once.
ALTER TABLE request_events ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX request_events_client_key ON request_events (request_id, client_key) WHERE client_key IS NOT NULL;
