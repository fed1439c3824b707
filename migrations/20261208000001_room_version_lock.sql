-- room_version_bump took its rows FOR UPDATE, which waits for the KEY SHARE lock every insert
-- of a child row takes on its request (the foreign key check). Two messages sent into one room
-- at once each held that share lock and waited for the other's: a deadlock, and one of the two
-- sends failed. The bump changes no key, so the lock it needs is FOR NO KEY UPDATE (what the
-- UPDATE takes anyway), which foreign key checks do not block; id order still keeps two
-- writers moving the same rooms from deadlocking each other.
CREATE OR REPLACE FUNCTION room_version_bump(ids UUID[]) RETURNS void LANGUAGE sql AS $$
    UPDATE requests SET view_version = view_version + 1
    WHERE id IN (SELECT id FROM requests WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE)
$$;
