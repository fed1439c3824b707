-- Jobs: an accepted request converted into scheduled work (a work order or an inspection)
-- with a technician. A request has at most one job that is not finished or cancelled.
CREATE SEQUENCE job_numbers START 1001;
CREATE TABLE jobs (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    number        BIGINT NOT NULL UNIQUE DEFAULT nextval('job_numbers'),
    request_id    UUID NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('work_order', 'inspection')),
    location      TEXT NOT NULL,
    starts_at     TIMESTAMPTZ NOT NULL,
    ends_at       TIMESTAMPTZ NOT NULL,
    technician_id UUID NOT NULL REFERENCES staff (id),
    -- For the technician; never shown to the customer.
    notes         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'scheduled'
                  CHECK (status IN ('scheduled', 'on_my_way', 'in_progress', 'finished', 'cancelled')),
    -- Customer-facing: the finish summary or the cancel reason.
    outcome       TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX jobs_request_idx ON jobs (request_id);
CREATE INDEX jobs_technician_idx ON jobs (technician_id, starts_at);
CREATE UNIQUE INDEX jobs_one_open ON jobs (request_id) WHERE status NOT IN ('finished', 'cancelled');

-- The activity log names who acted: a staff member (by id, and name as it was), the
-- customer, or the system.
ALTER TABLE request_events
    ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'system' CHECK (actor_kind IN ('system', 'staff', 'customer')),
    ADD COLUMN actor_id   UUID REFERENCES staff (id);
UPDATE request_events SET actor_kind = 'staff' WHERE actor NOT IN ('system', 'customer');
UPDATE request_events SET actor_kind = 'customer' WHERE actor = 'customer';

-- The board sorts and filters on these.
CREATE INDEX requests_status_idx ON requests (status, created_at);
CREATE INDEX attachments_request_created_idx ON attachments (request_id, created_at);
