-- Real staff accounts: invited people have no password until they set one, deactivated
-- people keep their history but can't sign in, and demo accounts are marked as such.
ALTER TABLE staff ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE staff ADD COLUMN active BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE staff ADD COLUMN is_demo BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE staff ADD COLUMN invited_at TIMESTAMPTZ;
ALTER TABLE staff ADD COLUMN deactivated_at TIMESTAMPTZ;

-- Databases seeded by the old demo code: their accounts are the demo ones.
UPDATE staff SET is_demo = true WHERE email LIKE '%@demo.customerroom.test';

-- Failed attempts (sign-in, password reset) per key, for exponential backoff. Keys are
-- "signin:<email>|<address>", "signin-ip:<address>", "reset-ip:<address>", "reset:<token hash>".
CREATE TABLE auth_throttle (
    key              TEXT PRIMARY KEY,
    failures         INT NOT NULL DEFAULT 0,
    next_allowed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
