-- Identity and access: staff accounts scoped to a unit subtree, sessions, and the audit log.

CREATE TABLE accounts (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,40}$'),
  display_name         text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role                 text NOT NULL CHECK (role IN ('staff', 'unit_admin', 'supervisor', 'auditor', 'sysadmin')),
  unit_code            text REFERENCES units (code),   -- root of the subtree the account may see
  staff_no             text REFERENCES staff (staff_no),
  password_hash        text,                           -- argon2id; null: password login disabled
  failed_logins        integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  disabled_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (role = 'sysadmin' OR unit_code IS NOT NULL)
);

CREATE TABLE sessions (
  id_hash       text PRIMARY KEY,                     -- the cookie value is never stored
  account_id    bigint NOT NULL REFERENCES accounts (id),
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,                 -- absolute end, whatever the activity
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

-- Who did what, when, from where, to what, before and after. Append-only for the application.
CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_kind   text NOT NULL CHECK (actor_kind IN ('account', 'system', 'cli', 'anonymous')),
  actor_id     text NOT NULL,
  role         text,
  via          text,            -- session, key, cli
  ip           text,
  action       text NOT NULL,   -- e.g. auth.login, auth.login_failed, account.create
  target_type  text,
  target_id    text,
  before       jsonb,
  after        jsonb,
  request_id   text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
