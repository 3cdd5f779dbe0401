-- Public disclosure reads (DOMAIN.md §7): every filter of GET /api/v1/public/evaluations must be
-- answerable by walking an index in id order and stopping after `limit` rows (ORDER BY id DESC
-- LIMIT n), so a page costs about the same at 10 million ratings as at ten thousand. Each index
-- below is `(filter, id)`: equality on the filter, then the rows come out newest first and the
-- keyset cursor (`id < last`) is a range on the same index. Filters that match a large share of the
-- ratings (a 5-star level, a channel, the whole city) need no index of their own: walking the
-- primary key backwards finds the next page within a few hundred rows. A time range (from/to)
-- becomes id bounds, found by binary search over the primary key (ids follow time).

-- Service item, window, staff number: each a small share of the ratings.
CREATE INDEX evaluations_item_idx ON evaluations (item_code, id);
CREATE INDEX evaluations_window_idx ON evaluations (window_no, id) WHERE window_no IS NOT NULL;
CREATE INDEX evaluations_staff_idx ON evaluations (staff_no, id) WHERE staff_no IS NOT NULL;
-- No index on channel or created_at: ten channels and time ranges match large shares, which the
-- primary-key walk (and the id bounds of a time range) serve, while an index would tempt the
-- planner to AND its large bitmap with a subtree's instead of walking the subtree's own index.

-- Unit subtree. `unit_path LIKE '310000/310101/%'` on evaluations_unit_path_idx is one range, but
-- ordered by path first, so a district's page would sort the whole district. A unit at depth d is
-- the d-th code of every path in its subtree (codes are unique), so `split_part(unit_path, '/', d)
-- = code` is an equality whose index is ordered by id. Depth 2 holds the districts and city
-- departments, depth 3 the streets and district service centres; deeper subtrees are small enough
-- for the path range (and a leaf unit is `unit_path = path`, already ordered by id).
CREATE INDEX evaluations_path2_idx ON evaluations (split_part(unit_path, '/', 2), id);
CREATE INDEX evaluations_path3_idx ON evaluations (split_part(unit_path, '/', 3), id);

-- Bad ratings (差评, 1–2 stars) are a fraction of a percent: `level <= 2` (class=bad, level=1 or 2,
-- and every ticket filter, since only bad ratings have tickets) walks these small partial indexes,
-- alone or within a subtree, instead of skipping thousands of good ratings per bad one.
CREATE INDEX evaluations_bad_idx ON evaluations (id) WHERE level <= 2;
CREATE INDEX evaluations_bad_path2_idx ON evaluations (split_part(unit_path, '/', 2), id) WHERE level <= 2;
CREATE INDEX evaluations_bad_path3_idx ON evaluations (split_part(unit_path, '/', 3), id) WHERE level <= 2;
CREATE INDEX evaluations_bad_unit_idx ON evaluations (unit_path text_pattern_ops, id) WHERE level <= 2;

-- Ticket filters (ticketState, replied) walk the tickets in their rating's id order.
CREATE INDEX tickets_state_evaluation_idx ON tickets (state, evaluation_id);
CREATE INDEX tickets_open_evaluation_idx ON tickets (evaluation_id) WHERE state <> 'closed';
CREATE INDEX tickets_replied_evaluation_idx ON tickets (evaluation_id) WHERE replied_at IS NOT NULL;
CREATE INDEX tickets_unreplied_evaluation_idx ON tickets (evaluation_id) WHERE replied_at IS NULL;

-- The publisher's queue of ticket texts waiting for redaction (evaluations have
-- evaluations_publication_idx from 0008).
CREATE INDEX tickets_reply_pending_idx ON tickets (id) WHERE reply_publication = 'pending';
CREATE INDEX tickets_rectify_pending_idx ON tickets (id) WHERE rectify_publication = 'pending';
