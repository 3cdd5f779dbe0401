-- Optional second factor for accounts: a TOTP secret (AES-GCM sealed), whether it is on, and the
-- last time step accepted (a code is never accepted twice).
ALTER TABLE accounts
  ADD COLUMN totp_secret_enc text,
  ADD COLUMN totp_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN totp_last_step bigint;
