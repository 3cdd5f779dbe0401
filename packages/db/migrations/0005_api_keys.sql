-- API keys for channel and business systems: scoped to channels, operations and a unit subtree.
-- The key is `hcp_<id>_<secret>`; only an HMAC of the secret is stored. Rotation issues a new key
-- and lets the old one live on until `expires_at` (the overlap), so systems can switch without a gap.
CREATE TABLE api_keys (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{12}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  secret_hash   text NOT NULL,
  channels      text[] NOT NULL DEFAULT '{}',
  operations    text[] NOT NULL DEFAULT '{}',
  unit_code     text REFERENCES units (code),   -- null: every unit
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  replaced_by   text REFERENCES api_keys (id)
);
