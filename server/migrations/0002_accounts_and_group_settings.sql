-- Facilitator accounts, their login sessions, who facilitates which group, the settings a live
-- room needs, and the records a session leaves behind (audit events, bans, summaries).
-- Never message text, never pseudonyms, never IP addresses.

-- Usernames are stored lower-case (the server folds them before every query); NOCASE is a second
-- guard so "Sam" and "sam" can never be two accounts. The password is a PHC string
-- ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), never the password itself.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
);

-- A login session is found by the SHA-256 of its cookie token; the token itself exists only in
-- the facilitator's browser. Expiry (idle and absolute) is decided by `auth` from these times.
CREATE TABLE login_sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB    NOT NULL UNIQUE,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX login_sessions_by_account ON login_sessions (account_id);

-- One or two facilitators per group, with equal rights (the limit is enforced by the insert).
CREATE TABLE group_facilitators (
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX group_facilitators_by_account ON group_facilitators (account_id);

-- What a group is about, where it meets in time, and how its live room behaves.
ALTER TABLE groups ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- The schedule as JSON (the shape of `schedule::Schedule`), NULL until one is set.
ALTER TABLE groups ADD COLUMN schedule TEXT;
ALTER TABLE groups ADD COLUMN filter_policy TEXT NOT NULL DEFAULT 'block'
    CHECK (filter_policy IN ('block', 'mask'));
ALTER TABLE groups ADD COLUMN exempt_facilitators INTEGER NOT NULL DEFAULT 1
    CHECK (exempt_facilitators IN (0, 1));
ALTER TABLE groups ADD COLUMN crisis_locale TEXT NOT NULL DEFAULT 'us';
ALTER TABLE groups ADD COLUMN auto_open INTEGER NOT NULL DEFAULT 0 CHECK (auto_open IN (0, 1));
ALTER TABLE groups ADD COLUMN auto_admit INTEGER NOT NULL DEFAULT 0 CHECK (auto_admit IN (0, 1));
ALTER TABLE groups ADD COLUMN allow_without_facilitator INTEGER NOT NULL DEFAULT 0
    CHECK (allow_without_facilitator IN (0, 1));
ALTER TABLE groups ADD COLUMN waiting_room_minutes INTEGER NOT NULL DEFAULT 10
    CHECK (waiting_room_minutes BETWEEN 0 AND 60);
ALTER TABLE groups ADD COLUMN archived_at INTEGER;

-- The demo group has nobody to open or admit: it runs by itself.
UPDATE groups SET auto_open = 1, auto_admit = 1, allow_without_facilitator = 1 WHERE is_demo = 1;

-- Who made an invite (NULL for the demo link and invites made before accounts existed).
ALTER TABLE invites ADD COLUMN created_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL;

-- Who did what to which seat or account, and why: an action code and a reason code from fixed
-- sets, and a session-scoped participant number that means nothing once the session ends. Never
-- what was said. Account events (created, disabled) have no group.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    group_id    INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    actor_id    INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    subject_id  INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    action      TEXT    NOT NULL,
    participant INTEGER,
    reason      TEXT
);
CREATE INDEX audit_events_by_group ON audit_events (group_id, id);

-- A ban holds the keyed hash (HMAC-SHA-256 under the server secret) of a device key, so a copy of
-- the database does not tell anyone which browser was banned.
CREATE TABLE bans (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    device_hash BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    reason      TEXT    NOT NULL,
    lifted_at   INTEGER,
    lifted_by   INTEGER REFERENCES accounts (id) ON DELETE SET NULL
);
CREATE INDEX bans_active ON bans (group_id, device_hash) WHERE lifted_at IS NULL;

-- One row per finished session: counts only. `started_at` is NULL for a session that never opened.
CREATE TABLE session_summaries (
    id             INTEGER PRIMARY KEY,
    group_id       INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    started_at     INTEGER,
    ended_at       INTEGER NOT NULL,
    members_joined INTEGER NOT NULL CHECK (members_joined >= 0),
    peak_present   INTEGER NOT NULL CHECK (peak_present >= 0),
    messages_sent  INTEGER NOT NULL CHECK (messages_sent >= 0)
);
CREATE INDEX session_summaries_by_group ON session_summaries (group_id, ended_at);
