-- Bad-rating closed loop (DOMAIN.md §6): tickets (工单) with their working-day deadlines, the
-- ticket's event history, rectification attachments, per-region deadline rules, and the outbox that
-- carries notifications (webhooks, SMS, e-mail) written in the same transaction as the change.

-- Deadline rules per region: the rule of the nearest unit on a ticket's path wins; the row with
-- unit_code NULL is the default (Shanghai's 1/5/15 working days).
CREATE TABLE deadline_rules (
  unit_code              text UNIQUE REFERENCES units (code),
  contact_days           smallint NOT NULL CHECK (contact_days BETWEEN 1 AND 60),   -- working days
  reply_days             smallint NOT NULL CHECK (reply_days BETWEEN 1 AND 60),
  rectify_days           smallint NOT NULL CHECK (rectify_days BETWEEN 1 AND 120),
  appeal_days            smallint NOT NULL CHECK (appeal_days BETWEEN 1 AND 60),
  appeal_decision_days   smallint NOT NULL CHECK (appeal_decision_days BETWEEN 1 AND 60),
  signoff_days           smallint NOT NULL CHECK (signoff_days BETWEEN 1 AND 60),
  revisit_natural_days   smallint NOT NULL CHECK (revisit_natural_days BETWEEN 1 AND 60),
  remind_hours           smallint NOT NULL CHECK (remind_hours BETWEEN 1 AND 240),  -- due-soon notice
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX deadline_rules_default_idx ON deadline_rules ((unit_code IS NULL)) WHERE unit_code IS NULL;
INSERT INTO deadline_rules (unit_code, contact_days, reply_days, rectify_days, appeal_days,
  appeal_decision_days, signoff_days, revisit_natural_days, remind_hours)
VALUES (NULL, 1, 5, 15, 3, 5, 5, 7, 24);

CREATE TABLE tickets (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  evaluation_id        bigint NOT NULL UNIQUE REFERENCES evaluations (id),  -- the round-1 bad rating
  case_no              text NOT NULL REFERENCES cases (case_no),
  unit_code            text NOT NULL,
  unit_path            text NOT NULL,
  item_code            varchar(36) NOT NULL,
  window_no            text,
  staff_no             text,
  state                text NOT NULL CHECK (state IN ('pending_contact', 'pending_reply',
                         'pending_signoff', 'rectifying', 'revisiting', 'reopened', 'appealing',
                         'closed')),
  handling_path        text CHECK (handling_path IN ('fix_now', 'fix_plan', 'explain')),
  state_before_appeal  text,
  outcome              text CHECK (outcome IN ('satisfied', 'revisit_expired', 'rectified_again',
                         'appeal_upheld')),
  version              integer NOT NULL DEFAULT 1,    -- bumped by every transition
  opened_at            timestamptz NOT NULL,
  contact_due          timestamptz NOT NULL,
  reply_due            timestamptz NOT NULL,
  rectify_due          timestamptz NOT NULL,
  appeal_due           timestamptz NOT NULL,
  due_at               timestamptz,                   -- deadline of the current step; NULL when closed
  contacted_at         timestamptz,
  replied_at           timestamptz,
  rectified_at         timestamptz,
  closed_at            timestamptz,
  plan_text            text,
  plan_due             timestamptz,
  reply_text           text,                          -- the unit's public reply, as written
  rectify_text         text,                          -- what changed, as written
  appeal_reason        text CHECK (appeal_reason IN ('malicious', 'mistaken')),
  appeal_text          text,
  appeal_outcome       text CHECK (appeal_outcome IN ('upheld', 'rejected')),
  revisit_level        smallint,
  escalation_level     smallint NOT NULL DEFAULT 0,  -- 督办: 0 none, 1 supervisor, 2 above
  escalated_at         timestamptz,
  escalated_step       text,                          -- the state last escalated as overdue
  reminded_step        text,                          -- the state last reminded as due soon
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX tickets_unit_idx ON tickets (unit_path text_pattern_ops, state, due_at);
CREATE INDEX tickets_case_idx ON tickets (case_no);
-- The sweeps read open tickets by deadline.
CREATE INDEX tickets_due_idx ON tickets (due_at) WHERE state <> 'closed';

-- Every change of a ticket, in the transaction of the change (who, when, from, to, what).
CREATE TABLE ticket_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id   bigint NOT NULL REFERENCES tickets (id),
  at          timestamptz NOT NULL DEFAULT now(),
  action      text NOT NULL,
  from_state  text,
  to_state    text NOT NULL,
  actor_kind  text NOT NULL CHECK (actor_kind IN ('account', 'system', 'sweep', 'applicant')),
  actor_id    text NOT NULL,
  role        text,
  payload     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Files attached to a rectification record (photos, scanned notices); small, kept in the database
-- so that one backup holds everything.
CREATE TABLE ticket_attachments (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id     bigint NOT NULL REFERENCES tickets (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  content_type  text NOT NULL,
  size          integer NOT NULL CHECK (size BETWEEN 1 AND 5242880),
  sha256        text NOT NULL,
  data          bytea NOT NULL,
  uploaded_by   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_attachments_ticket_idx ON ticket_attachments (ticket_id);

-- Transactional outbox: a change and the news of it commit together; a dispatcher delivers later.
CREATE TABLE outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic       text NOT NULL,               -- e.g. ticket.opened, ticket.replied, sms.revisit
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz                -- fanned out to deliveries
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL;

-- Webhook subscriptions of business systems, with the secret that signs their deliveries.
CREATE TABLE webhook_subscriptions (
  id          text PRIMARY KEY,
  url         text NOT NULL CHECK (url ~ '^https?://'),
  topics      text[] NOT NULL,             -- topic names or prefixes ending in '*'
  secret_enc  text NOT NULL,               -- AES-GCM sealed signing secret
  unit_code   text REFERENCES units (code), -- only events of this subtree; NULL: all
  active      boolean NOT NULL DEFAULT true,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One delivery per outbox message and channel (a webhook, or an SMS/e-mail adapter).
CREATE TABLE deliveries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id       bigint NOT NULL REFERENCES outbox (id),
  target          text NOT NULL,            -- webhook:<subscription id> | sms | email
  state           text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        smallint NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  last_status     integer,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (outbox_id, target)
);
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_dead_idx ON deliveries (id) WHERE state = 'dead';
