-- Catalogue (DOMAIN.md §4): units, windows, staff, service items, and the versioned catalogue of
-- rating indicators and bad-rating reasons. Codes are chosen by the deployment and never contain '/',
-- which separates the codes in a unit's materialized path.

CREATE TABLE units (
  code          text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9_-]{1,50}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  level         text NOT NULL CHECK (level IN ('city', 'district', 'street', 'community')),
  kind          text NOT NULL CHECK (kind IN ('government', 'department', 'service_center', 'window_group', 'committee')),
  parent_code   text REFERENCES units (code),
  -- '310000/310101/310101002/': every ancestor's code and the unit's own, each followed by '/'.
  -- A subtree is `path LIKE prefix || '%'`, one range of the text_pattern_ops index.
  path          text NOT NULL UNIQUE,
  credit_code   char(18) UNIQUE, -- 统一社会信用代码
  division_code varchar(12) NOT NULL CHECK (division_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_code IS NOT NULL OR level = 'city') -- only the root has no parent, and it is the city
);
CREATE INDEX units_parent_idx ON units (parent_code, code);
CREATE INDEX units_level_idx ON units (level, code);
CREATE INDEX units_path_idx ON units (path text_pattern_ops);

CREATE TABLE windows (
  no          text PRIMARY KEY CHECK (no ~ '^[A-Za-z0-9_-]{1,50}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  hall        text NOT NULL CHECK (length(hall) BETWEEN 1 AND 200),
  unit_code   text NOT NULL REFERENCES units (code),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX windows_unit_idx ON windows (unit_code, no);

CREATE TABLE staff (
  staff_no    text PRIMARY KEY CHECK (staff_no ~ '^[A-Za-z0-9_-]{1,50}$'), -- 工号
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  unit_code   text NOT NULL REFERENCES units (code),
  window_no   text REFERENCES windows (no),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_unit_idx ON staff (unit_code, staff_no);
CREATE INDEX staff_window_idx ON staff (window_no, staff_no);

CREATE TABLE items (
  code          varchar(36) PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z]{1,36}$'), -- 实施编码
  base_code     varchar(36) NOT NULL,                                        -- 基本编码
  business_code varchar(50),                                                 -- 业务办理项编码
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind          text NOT NULL CHECK (kind IN ('administrative_license', 'administrative_payment',
                  'administrative_confirmation', 'administrative_adjudication', 'administrative_reward',
                  'other_administrative_power', 'public_service')),
  subject       text NOT NULL CHECK (subject IN ('natural_person', 'legal_person', 'both')),
  promise_type  text NOT NULL CHECK (promise_type IN ('immediate', 'promised')),
  promise_days  integer CHECK (promise_days BETWEEN 1 AND 365),
  unit_code     text NOT NULL REFERENCES units (code),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((promise_type = 'promised') = (promise_days IS NOT NULL))
);
CREATE INDEX items_unit_idx ON items (unit_code, code);
CREATE INDEX items_kind_idx ON items (kind, code);

-- The indicator and reason catalogue is national content that changes by version; a rating records
-- the version it was given under, so old versions are kept.
CREATE TABLE rating_catalog_versions (
  version        text PRIMARY KEY,
  effective_from date NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rating_indicators (
  version      text NOT NULL REFERENCES rating_catalog_versions (version),
  channel_type text NOT NULL CHECK (channel_type IN ('online', 'offline')),
  code         text NOT NULL,
  name_zh      text NOT NULL,
  name_en      text NOT NULL,
  sort         integer NOT NULL,
  PRIMARY KEY (version, channel_type, code)
);

CREATE TABLE rating_reasons (
  version   text NOT NULL REFERENCES rating_catalog_versions (version),
  code      text NOT NULL,
  category  text NOT NULL CHECK (category IN ('staff', 'item')),
  name_zh   text NOT NULL,
  name_en   text NOT NULL,
  sort      integer NOT NULL,
  PRIMARY KEY (version, code)
);
