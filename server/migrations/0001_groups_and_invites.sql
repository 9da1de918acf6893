-- Groups and their invites. Never message text, never pseudonyms.
CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    rules       TEXT    NOT NULL,
    capacity    INTEGER NOT NULL DEFAULT 12 CHECK (capacity BETWEEN 2 AND 15),
    is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at  INTEGER NOT NULL
);

-- Invite codes are stored only as a keyed hash (HMAC-SHA-256 with the server secret), so a copy
-- of the database does not let anyone join a group.
CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    code_hash   BLOB    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    max_uses    INTEGER CHECK (max_uses IS NULL OR max_uses > 0),
    uses        INTEGER NOT NULL DEFAULT 0,
    revoked_at  INTEGER
);
CREATE INDEX invites_by_group ON invites (group_id);
