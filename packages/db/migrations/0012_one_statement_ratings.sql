-- A batch of ratings is written by one statement (apps/server/src/intake/rating-statements.ts). Two
-- changes make that possible and cheap:
--
-- 1. A rating's idempotent answer is the rating itself: the key points at the stored evaluation
--    instead of keeping a copy of the response body, which the application only knows after the
--    insert. Replays read the evaluation and present it as the first answer did. Rows written
--    before keep their bodies.
ALTER TABLE idempotency_keys
  ADD COLUMN evaluation_id bigint,
  ALTER COLUMN response DROP NOT NULL,
  ADD CONSTRAINT idempotency_keys_answer CHECK (response IS NOT NULL OR evaluation_id IS NOT NULL);

-- 2. A rating no longer writes to its case. `rated_at` was set by every first rating and sat in the
--    predicate of the default-rating sweep's index, so each rating rewrote its case row and all of
--    its index entries: a fifth of a rating's cost in the database. The sweep now settles every
--    completed case once, in bulk, when its rating window closes (recording the default rating if
--    none came), and the time a case was rated is read from its round-1 evaluation.
ALTER TABLE cases ADD COLUMN window_settled_at timestamptz;  -- 评价期结束 handled by the sweep
UPDATE cases SET window_settled_at = rated_at WHERE rated_at IS NOT NULL;
DROP INDEX cases_unrated_idx;
ALTER TABLE cases DROP COLUMN rated_at;
CREATE INDEX cases_window_open_idx ON cases (completed_at)
  WHERE status = 'completed' AND window_settled_at IS NULL;
