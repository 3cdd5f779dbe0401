-- Statistics (DOMAIN.md §8): monthly rollups that a scorecard reads as a handful of rows, kept up to
-- date by the rollup pass (apps/server/src/stats/rollup.ts), never recomputed from all ratings.

-- One row per scope and Shanghai calendar month. A rating counts in the row of its unit AND of every
-- ancestor on its path (a district's scorecard is its own rows, not a scan of its streets), in the
-- row of its item, and in the one 'all' row of the month (code ''). Ticket figures count in the
-- month of the bad rating they belong to (a cohort: of March's bad ratings, how many were replied).
CREATE TABLE stats_months (
  scope              text NOT NULL CHECK (scope IN ('all', 'unit', 'item')),
  code               text NOT NULL,            -- unit code, item code, or '' for all
  month              date NOT NULL,            -- first day of the month, Asia/Shanghai
  ratings            bigint NOT NULL DEFAULT 0, -- round-1 ratings, default ones included
  defaults           bigint NOT NULL DEFAULT 0, -- 系统默认好评
  active             bigint NOT NULL DEFAULT 0, -- not default, not under an upheld appeal
  good               bigint NOT NULL DEFAULT 0, -- of active, 3..5 stars
  bad                bigint NOT NULL DEFAULT 0, -- of active, 1..2 stars
  level_sum          bigint NOT NULL DEFAULT 0, -- stars of active, for the satisfaction score
  bad_tickets        bigint NOT NULL DEFAULT 0, -- tickets opened
  replied            bigint NOT NULL DEFAULT 0,
  replied_on_time    bigint NOT NULL DEFAULT 0, -- replied_at <= reply_due
  rectified          bigint NOT NULL DEFAULT 0,
  revisited          bigint NOT NULL DEFAULT 0, -- a round-2 level is known
  revisit_satisfied  bigint NOT NULL DEFAULT 0, -- round-2 level 3..5
  appeals            bigint NOT NULL DEFAULT 0,
  appeals_upheld     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, code, month)
);

-- The pass's own state, one row. Its row lock (FOR UPDATE SKIP LOCKED) lets one instance at a time
-- fold; the others skip their turn.
CREATE TABLE stats_rollup_state (
  id                    boolean PRIMARY KEY DEFAULT true CHECK (id),
  evaluation_watermark  bigint NOT NULL DEFAULT 0,          -- every rating with id <= this is folded in
  as_of                 timestamptz NOT NULL DEFAULT 'epoch' -- when the figures were last brought up to date
);
INSERT INTO stats_rollup_state DEFAULT VALUES;

-- Tickets whose counted facts may have changed. Written by the triggers below in the transaction of
-- the change, consumed (deleted) by the pass: a change still in flight is invisible to the pass and
-- stays queued until it commits, so no change is lost and none needs a watermark.
CREATE TABLE stats_ticket_changes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id  bigint NOT NULL
);
INSERT INTO stats_ticket_changes (ticket_id) SELECT id FROM tickets ORDER BY id;

-- What the pass last counted for each ticket. A change is folded in as (new facts) − (these), so
-- re-reading an unchanged ticket adds nothing, and a fact that reverts is taken back out.
CREATE TABLE stats_ticket_facts (
  ticket_id          bigint PRIMARY KEY,
  unit_path          text NOT NULL,
  item_code          varchar(36) NOT NULL,
  month              date NOT NULL,
  level              smallint NOT NULL,  -- the bad rating's stars (taken out of level_sum when upheld)
  upheld             smallint NOT NULL,
  replied            smallint NOT NULL,
  replied_on_time    smallint NOT NULL,
  rectified          smallint NOT NULL,
  revisited          smallint NOT NULL,
  revisit_satisfied  smallint NOT NULL,
  appealed           smallint NOT NULL
);

CREATE FUNCTION stats_ticket_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_ticket_changes (ticket_id) SELECT id FROM new_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION stats_ticket_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_ticket_changes (ticket_id) VALUES (NEW.id);
  RETURN NULL;
END $$;
-- Inserts: statement-level with a transition table, one insert however many tickets opened.
CREATE TRIGGER tickets_stats_insert AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_ticket_inserted();
-- Updates: row-level with a WHEN guard, so an update that changes no counted fact (the sweeps'
-- escalations and reminders, a million at a time) costs nothing; a statement-level trigger would
-- have to join its OLD and NEW transition tables, which have no index (seconds per 5,000 rows).
CREATE TRIGGER tickets_stats_update AFTER UPDATE ON tickets FOR EACH ROW
  WHEN ((NEW.replied_at, NEW.reply_due, NEW.rectified_at, NEW.revisit_level, NEW.appeal_reason, NEW.appeal_outcome)
        IS DISTINCT FROM
        (OLD.replied_at, OLD.reply_due, OLD.rectified_at, OLD.revisit_level, OLD.appeal_reason, OLD.appeal_outcome))
  EXECUTE FUNCTION stats_ticket_changed();
