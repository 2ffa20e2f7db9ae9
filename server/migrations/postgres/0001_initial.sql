-- Staffgate's first schema for PostgreSQL; the same tables as migrations/sqlite.
-- Times are Unix milliseconds (UTC).

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'reseller')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT,
    failed_codes BIGINT NOT NULL DEFAULT 0,
    codes_blocked_until BIGINT,
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE TABLE credentials (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('app', 'token')),
    label TEXT NOT NULL,
    secret BYTEA NOT NULL,
    algorithm TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits BIGINT NOT NULL CHECK (digits IN (6, 8)),
    period BIGINT NOT NULL CHECK (period > 0),
    last_step BIGINT,
    drift_lo_secs BIGINT,
    drift_hi_secs BIGINT,
    last_offset_steps BIGINT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    CONSTRAINT credentials_drift_interval CHECK (
        (drift_lo_secs IS NULL AND drift_hi_secs IS NULL)
        OR (drift_lo_secs IS NOT NULL AND drift_hi_secs IS NOT NULL
            AND drift_lo_secs < drift_hi_secs)
    )
);

CREATE INDEX credentials_user_id ON credentials (user_id);

CREATE TABLE pending_enrollments (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret BYTEA NOT NULL,
    algorithm TEXT NOT NULL,
    digits BIGINT NOT NULL,
    period BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    event TEXT NOT NULL,
    actor_user_id BIGINT,
    actor TEXT NOT NULL,
    subject_user_id BIGINT,
    subject TEXT,
    client_addr TEXT,
    reason TEXT,
    detail TEXT
);

CREATE FUNCTION notifications_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'notifications are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notifications_refuse_update BEFORE UPDATE OR DELETE ON notifications
    FOR EACH ROW EXECUTE FUNCTION notifications_refuse_change();

CREATE TRIGGER notifications_refuse_truncate BEFORE TRUNCATE ON notifications
    FOR EACH STATEMENT EXECUTE FUNCTION notifications_refuse_change();

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    last_error TEXT
);

CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    issuer TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    digits BIGINT NOT NULL,
    period BIGINT NOT NULL
);

INSERT INTO settings (id, issuer, algorithm, digits, period) VALUES (1, 'Staffgate', 'SHA1', 6, 30);
