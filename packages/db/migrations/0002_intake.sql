-- Rating intake (DOMAIN.md §4–5): cases pushed by business systems, evaluations from every channel,
-- idempotency records, single-use rating tokens.

CREATE TABLE cases (
  case_no             text PRIMARY KEY CHECK (case_no ~ '^[A-Za-z0-9_-]{1,64}$'), -- 办件编号
  item_code           varchar(36) NOT NULL REFERENCES items (code),
  unit_code           text NOT NULL REFERENCES units (code),
  unit_path           text NOT NULL,  -- copied from the unit: subtree filters without a join
  window_no           text REFERENCES windows (no),
  staff_no            text REFERENCES staff (staff_no),
  applicant_kind      text NOT NULL CHECK (applicant_kind IN ('person', 'organization')),
  applicant_cert_type text NOT NULL,
  applicant_cert_hash text NOT NULL,  -- HMAC-SHA256 of the certificate number; never the number
  applicant_name      text NOT NULL,  -- masked for display (张*)
  applicant_name_enc  text NOT NULL,  -- AES-256-GCM: to mask the applicant's own name in their text
  applicant_name_hash text NOT NULL,  -- HMAC-SHA256: tells a changed name without decrypting
  applicant_phone_enc text,           -- AES-256-GCM: for call-back and SMS
  applicant_phone_hash text,          -- HMAC-SHA256: look-up without clear text
  promise_type        text NOT NULL CHECK (promise_type IN ('immediate', 'promised')),
  status              text NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed')),
  accepted_at         timestamptz NOT NULL,
  completed_at        timestamptz,
  rated_at            timestamptz,    -- first (round 1) rating, active or default
  source              text NOT NULL,  -- the system that pushed the case
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
  CHECK (completed_at IS NULL OR completed_at >= accepted_at)
);
CREATE INDEX cases_applicant_idx ON cases (applicant_cert_hash);
CREATE INDEX cases_unit_path_idx ON cases (unit_path text_pattern_ops);
-- The default-rating sweep reads only completed, unrated cases, oldest first.
CREATE INDEX cases_unrated_idx ON cases (completed_at) WHERE status = 'completed' AND rated_at IS NULL;

CREATE TABLE evaluations (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_no          text NOT NULL REFERENCES cases (case_no),
  round            smallint NOT NULL CHECK (round IN (1, 2)),  -- assessNumber
  level            smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  is_default       boolean NOT NULL DEFAULT false,             -- 系统默认评价, counted apart
  channel          text NOT NULL CHECK (channel IN ('pc', 'app', 'wechat', 'alipay', 'qrcode',
                     'window_pad', 'kiosk', 'hotline', 'sms', 'default')),
  catalog_version  text NOT NULL REFERENCES rating_catalog_versions (version),
  indicators       jsonb NOT NULL DEFAULT '{}',                -- { indicatorCode: level }
  reasons          text[] NOT NULL DEFAULT '{}',
  comment          text CHECK (length(comment) <= 2000),
  -- The three correspondences and the unit, copied from the case so reads never join back.
  applicant_hash   text NOT NULL,
  item_code        varchar(36) NOT NULL,
  unit_code        text NOT NULL,
  unit_path        text NOT NULL,
  window_no        text,
  staff_no         text,
  -- Provenance, for anti-abuse and audit.
  actor_kind       text NOT NULL CHECK (actor_kind IN ('system', 'token', 'operator', 'sweep')),
  actor_id         text NOT NULL,
  account          text,
  device_id        text,
  ip               text,
  flags            text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_no, round)  -- 一事一评: one rating per case and round, enforced here
);
CREATE INDEX evaluations_unit_path_idx ON evaluations (unit_path text_pattern_ops, id);
CREATE INDEX evaluations_device_idx ON evaluations (device_id, created_at) WHERE device_id IS NOT NULL;
CREATE INDEX evaluations_account_idx ON evaluations (account, created_at) WHERE account IS NOT NULL;
CREATE INDEX evaluations_ip_idx ON evaluations (ip, created_at) WHERE ip IS NOT NULL;

-- A retried request with the same key gets the first answer; the key is scoped to the caller.
CREATE TABLE idempotency_keys (
  scope         text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer NOT NULL,
  response      jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Single-use rating tokens (SMS link, QR code at the window); stored as hashes only.
CREATE TABLE rating_tokens (
  token_hash  text PRIMARY KEY,
  case_no     text NOT NULL REFERENCES cases (case_no),
  round       smallint NOT NULL CHECK (round IN (1, 2)),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rating_tokens_case_idx ON rating_tokens (case_no);
