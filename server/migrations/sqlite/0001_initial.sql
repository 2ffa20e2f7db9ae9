-- Staffgate's first schema. Times are Unix milliseconds (UTC).

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'reseller')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_sign_in_at INTEGER,
    -- Wrong codes in a row, across sign-in attempts; reset by a correct code.
    failed_codes INTEGER NOT NULL DEFAULT 0,
    -- No code is checked for this user before this time (growing delay after failures).
    codes_blocked_until INTEGER,
    CONSTRAINT users_username_key UNIQUE (username)
);

-- An active second factor. Deleted, never flagged, when two-factor is turned off.
CREATE TABLE credentials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('app', 'token')),
    label TEXT NOT NULL,
    -- The TOTP secret, sealed with the installation's secret key (XChaCha20-Poly1305).
    secret BLOB NOT NULL,
    algorithm TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits INTEGER NOT NULL CHECK (digits IN (6, 8)),
    period INTEGER NOT NULL CHECK (period > 0),
    -- The highest time step accepted so far; a step is never accepted twice.
    last_step INTEGER,
    -- The learned clock drift of a hardware token (its time minus the server's, in seconds):
    -- every drift its accepted codes still allow lies in [drift_lo_secs, drift_hi_secs), and
    -- the window is centred on the middle. Both NULL while nothing is learned (always for apps).
    drift_lo_secs INTEGER,
    drift_hi_secs INTEGER,
    -- The offset of the last code seen from this device (accepted or not), in time steps.
    last_offset_steps INTEGER,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    CONSTRAINT credentials_drift_interval CHECK (
        (drift_lo_secs IS NULL AND drift_hi_secs IS NULL)
        OR (drift_lo_secs IS NOT NULL AND drift_hi_secs IS NOT NULL
            AND drift_lo_secs < drift_hi_secs)
    )
);

CREATE INDEX credentials_user_id ON credentials (user_id);

-- A secret shown for setup and not yet confirmed with a code. One per user.
CREATE TABLE pending_enrollments (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret BLOB NOT NULL,
    algorithm TEXT NOT NULL,
    digits INTEGER NOT NULL,
    period INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- The System Notifications log. Append-only: the triggers below refuse changes.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at INTEGER NOT NULL,
    event TEXT NOT NULL,
    actor_user_id INTEGER,
    actor TEXT NOT NULL,
    subject_user_id INTEGER,
    subject TEXT,
    client_addr TEXT,
    reason TEXT,
    detail TEXT
);

CREATE TRIGGER notifications_refuse_update BEFORE UPDATE ON notifications
BEGIN
    SELECT RAISE(ABORT, 'notifications are append-only');
END;

CREATE TRIGGER notifications_refuse_delete BEFORE DELETE ON notifications
BEGIN
    SELECT RAISE(ABORT, 'notifications are append-only');
END;

-- Mail waiting to be sent, written in the same transaction as the change it reports.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- Set while one sender works on the message, so that several servers never send it twice.
    claimed_until INTEGER,
    sent_at INTEGER,
    last_error TEXT
);

CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

-- Browser sessions (tower-sessions records). user_id lets one transaction end them all.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX sessions_user_id ON sessions (user_id);

-- Installation settings for new enrollments; exactly one row.
CREATE TABLE settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    issuer TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    digits INTEGER NOT NULL,
    period INTEGER NOT NULL
);

INSERT INTO settings (id, issuer, algorithm, digits, period) VALUES (1, 'Staffgate', 'SHA1', 6, 30);
