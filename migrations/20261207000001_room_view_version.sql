-- A number that moves whenever anything a customer's room shows changes, so an app instance
-- can tell with one indexed read whether the room page it rendered a moment ago is still
-- the page it would render now (server::room::pages). The database keeps it, not the app:
-- every write path, present and future, moves it in the same transaction as its change, and
-- a page rendered after a version was read can only be newer than that version.
--
-- What the room reads (db::room_view::read) and what moves it:
--   requests                               any update of the row
--   attachments, messages, quotes, jobs,
--   proofs, feedback                       any row of the request
--   request_events                         a customer-visible row of the request
--   sessions (customer), access_tokens     a session or room link of the request or of one
--     (room)                               of its contacts ("Your devices"); a session's
--                                          last-seen time alone does not (pages live 20 s)
--   sms_consent                            the request's phone number
--   staff                                  the display name of a technician on its job
ALTER TABLE requests ADD COLUMN view_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION room_version_self() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.view_version := OLD.view_version + 1;
    RETURN NEW;
END $$;

CREATE TRIGGER requests_room_version BEFORE UPDATE ON requests
    FOR EACH ROW EXECUTE FUNCTION room_version_self();

-- Rows locked in id order, so two writers moving the same rooms never deadlock.
CREATE FUNCTION room_version_bump(ids UUID[]) RETURNS void LANGUAGE sql AS $$
    UPDATE requests SET view_version = view_version + 1
    WHERE id IN (SELECT id FROM requests WHERE id = ANY(ids) ORDER BY id FOR UPDATE)
$$;

CREATE FUNCTION room_version_contact_ids(req UUID, contact TEXT) RETURNS UUID[] LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(id), '{}') FROM requests
    WHERE id = req OR (contact IS NOT NULL AND (contact_email = contact OR contact_phone = contact))
$$;

CREATE FUNCTION room_version_by_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM room_version_bump(ARRAY[NEW.request_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM room_version_bump(ARRAY[OLD.request_id]);
    ELSE
        PERFORM room_version_bump(ARRAY[OLD.request_id, NEW.request_id]);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER attachments_room_version AFTER INSERT OR UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION room_version_by_request();
CREATE TRIGGER messages_room_version AFTER INSERT OR UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION room_version_by_request();
CREATE TRIGGER quotes_room_version AFTER INSERT OR UPDATE OR DELETE ON quotes
    FOR EACH ROW EXECUTE FUNCTION room_version_by_request();
CREATE TRIGGER jobs_room_version AFTER INSERT OR UPDATE OR DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION room_version_by_request();
CREATE TRIGGER proofs_room_version AFTER INSERT OR UPDATE OR DELETE ON proofs
    FOR EACH ROW EXECUTE FUNCTION room_version_by_request();
CREATE TRIGGER feedback_room_version AFTER INSERT OR UPDATE OR DELETE ON feedback
    FOR EACH ROW EXECUTE FUNCTION room_version_by_request();

-- Staff-only events (alerts sent, notes) leave customers' rooms alone.
CREATE TRIGGER request_events_room_version_new AFTER INSERT OR UPDATE ON request_events
    FOR EACH ROW WHEN (NEW.visible_to_customer) EXECUTE FUNCTION room_version_by_request();
CREATE TRIGGER request_events_room_version_old AFTER UPDATE OR DELETE ON request_events
    FOR EACH ROW WHEN (OLD.visible_to_customer) EXECUTE FUNCTION room_version_by_request();

CREATE FUNCTION room_version_by_contact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM room_version_bump(room_version_contact_ids(OLD.request_id, OLD.contact));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM room_version_bump(room_version_contact_ids(NEW.request_id, NEW.contact));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER sessions_room_version_new AFTER INSERT ON sessions
    FOR EACH ROW WHEN (NEW.kind = 'customer') EXECUTE FUNCTION room_version_by_contact();
CREATE TRIGGER sessions_room_version_old AFTER DELETE ON sessions
    FOR EACH ROW WHEN (OLD.kind = 'customer') EXECUTE FUNCTION room_version_by_contact();
CREATE TRIGGER sessions_room_version_changed AFTER UPDATE ON sessions
    FOR EACH ROW WHEN (NEW.kind = 'customer' AND (NEW.request_id, NEW.contact, NEW.device, NEW.public_id)
        IS DISTINCT FROM (OLD.request_id, OLD.contact, OLD.device, OLD.public_id))
    EXECUTE FUNCTION room_version_by_contact();

CREATE TRIGGER access_tokens_room_version_new AFTER INSERT OR UPDATE ON access_tokens
    FOR EACH ROW WHEN (NEW.purpose = 'room') EXECUTE FUNCTION room_version_by_contact();
CREATE TRIGGER access_tokens_room_version_old AFTER UPDATE OR DELETE ON access_tokens
    FOR EACH ROW WHEN (OLD.purpose = 'room') EXECUTE FUNCTION room_version_by_contact();

CREATE FUNCTION room_version_by_phone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM room_version_bump(ARRAY(SELECT id FROM requests WHERE contact_phone = OLD.phone));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM room_version_bump(ARRAY(SELECT id FROM requests WHERE contact_phone = NEW.phone));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER sms_consent_room_version AFTER INSERT OR UPDATE OR DELETE ON sms_consent
    FOR EACH ROW EXECUTE FUNCTION room_version_by_phone();

CREATE FUNCTION room_version_by_technician() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM room_version_bump(ARRAY(SELECT request_id FROM jobs WHERE technician_id = NEW.id));
    RETURN NULL;
END $$;

CREATE TRIGGER staff_room_version AFTER UPDATE OF display_name ON staff
    FOR EACH ROW WHEN (NEW.display_name IS DISTINCT FROM OLD.display_name)
    EXECUTE FUNCTION room_version_by_technician();
