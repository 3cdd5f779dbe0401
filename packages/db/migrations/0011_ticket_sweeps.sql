-- The ticket sweeps (overdue escalation 督办, due-soon reminders) read only the tickets they still
-- have to act on: once a step has been escalated or reminded, its ticket leaves the index until it
-- moves to another step. Revisiting tickets wait on the applicant, not the unit, and are excluded.
CREATE INDEX tickets_overdue_idx ON tickets (due_at)
  WHERE state NOT IN ('closed', 'revisiting') AND escalated_step IS DISTINCT FROM state;
CREATE INDEX tickets_remind_idx ON tickets (due_at)
  WHERE state NOT IN ('closed', 'revisiting') AND reminded_step IS DISTINCT FROM state;
-- Revisit expiry reads only the tickets waiting on the applicant.
CREATE INDEX tickets_revisit_idx ON tickets (due_at) WHERE state = 'revisiting';
-- Superseded by the three indexes above; every index on tickets costs the sweeps an entry per row.
DROP INDEX tickets_due_idx;
