-- Every live change, numbered. The number is the SSE event id, so a browser that lost its
-- stream reconnects with `Last-Event-ID` and is sent what it missed from here. Rows older
-- than a day are swept (`files::sweep`); a page offline longer than that reloads anyway.
CREATE TABLE live_events (
    id         BIGSERIAL PRIMARY KEY,
    request_id UUID NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX live_events_created_at ON live_events (created_at);
