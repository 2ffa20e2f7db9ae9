-- Hardware tokens for PostgreSQL; the same tables as migrations/sqlite.
-- Times are Unix milliseconds (UTC).

CREATE TABLE tokens (
    id BIGSERIAL PRIMARY KEY,
    serial TEXT NOT NULL,
    serial_key TEXT NOT NULL,
    manufacturer TEXT,
    model TEXT,
    secret BYTEA NOT NULL,
    algorithm TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits BIGINT NOT NULL CHECK (digits IN (6, 8)),
    period BIGINT NOT NULL CHECK (period IN (30, 60)),
    state TEXT NOT NULL DEFAULT 'in_stock'
        CHECK (state IN ('in_stock', 'assigned', 'active', 'revoked')),
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    imported_at BIGINT NOT NULL,
    warnings TEXT,
    CONSTRAINT tokens_serial_key UNIQUE (serial_key)
);

CREATE INDEX tokens_user_id ON tokens (user_id);

ALTER TABLE credentials ADD COLUMN token_id BIGINT REFERENCES tokens (id);
ALTER TABLE credentials ADD COLUMN drift_base_secs BIGINT NOT NULL DEFAULT 0;

CREATE UNIQUE INDEX credentials_token_id ON credentials (token_id);
