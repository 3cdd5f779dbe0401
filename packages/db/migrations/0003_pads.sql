-- Window rating pads (评价器): registered for a window by an administrator, paired once with a
-- short-lived code, then authenticated by a pad token (stored as a hash only).
CREATE TABLE pads (
  id                 text PRIMARY KEY,
  name               text,
  window_no          text NOT NULL REFERENCES windows (no),
  pairing_code_hash  text,
  pairing_expires_at timestamptz,
  token_hash         text UNIQUE,
  paired_at          timestamptz,
  revoked_at         timestamptz,
  last_seen_at       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now()
);
-- Codes are short: two live pads must never hold the same one.
CREATE UNIQUE INDEX pads_pairing_idx ON pads (pairing_code_hash) WHERE pairing_code_hash IS NOT NULL;
CREATE INDEX pads_window_idx ON pads (window_no);
