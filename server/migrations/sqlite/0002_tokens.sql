-- Hardware tokens: an inventory of imported pre-shared keys, and the link from an active
-- token to its credential. Times are Unix milliseconds (UTC).

-- One row per physical token, from import until it is retired. The secret is sealed like an
-- app secret. in_stock: nobody has it; assigned: handed to user_id, not yet proven with a code;
-- active: user_id signs in with it (it has a credential); revoked: taken away (user_id is kept
-- for the record) and not to be handed out again until an admin returns it to stock.
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    serial TEXT NOT NULL,
    -- The serial as it is compared (staffgate_core::import::serial_key: trimmed, ASCII
    -- letters lower-cased), so TOK-1 and tok-1 can never both be stored.
    serial_key TEXT NOT NULL,
    manufacturer TEXT,
    model TEXT,
    secret BLOB NOT NULL,
    algorithm TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits INTEGER NOT NULL CHECK (digits IN (6, 8)),
    period INTEGER NOT NULL CHECK (period IN (30, 60)),
    state TEXT NOT NULL DEFAULT 'in_stock'
        CHECK (state IN ('in_stock', 'assigned', 'active', 'revoked')),
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    imported_at INTEGER NOT NULL,
    -- What the import warned about (a short secret, say), one warning per line.
    warnings TEXT,
    CONSTRAINT tokens_serial_key UNIQUE (serial_key)
);

CREATE INDEX tokens_user_id ON tokens (user_id);

-- An active token is an ordinary credential (kind 'token') that points back to its token.
ALTER TABLE credentials ADD COLUMN token_id INTEGER REFERENCES tokens (id);

-- The window centre an admin last set, in seconds (0 at activation and after a reset, the
-- centre of the found drift after a resync). Automatic learning stays within 10 minutes of it.
ALTER TABLE credentials ADD COLUMN drift_base_secs INTEGER NOT NULL DEFAULT 0;

CREATE UNIQUE INDEX credentials_token_id ON credentials (token_id);
