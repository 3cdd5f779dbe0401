-- Public disclosure (DOMAIN.md §7): the published (redacted) text beside each original, the
-- moderation queue for text that hits the sensitive-word list, and the word list itself.

-- publication: 'published' (public; comment_public is the redacted text, or NULL without a comment),
-- 'pending' (waiting for the publisher, seconds), 'held' (in the moderation queue; the rating is
-- public, its text is not).
ALTER TABLE evaluations
  ADD COLUMN publication text NOT NULL DEFAULT 'published'
    CHECK (publication IN ('pending', 'published', 'held')),
  ADD COLUMN comment_public text,
  -- Overlapping two-character grams of comment_public: a GIN index answers Chinese substring search
  -- without a tokenizer or a locale (pg_trgm ignores CJK characters under the C locale).
  ADD COLUMN comment_grams text[];
UPDATE evaluations SET publication = 'pending' WHERE comment IS NOT NULL;
CREATE INDEX evaluations_publication_idx ON evaluations (id) WHERE publication = 'pending';
CREATE INDEX evaluations_grams_idx ON evaluations USING gin (comment_grams) WHERE comment_grams IS NOT NULL;

ALTER TABLE tickets
  ADD COLUMN reply_public text,
  ADD COLUMN reply_publication text CHECK (reply_publication IN ('pending', 'published', 'held')),
  ADD COLUMN rectify_public text,
  ADD COLUMN rectify_publication text CHECK (rectify_publication IN ('pending', 'published', 'held'));

CREATE TABLE moderation_items (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject       text NOT NULL CHECK (subject IN ('evaluation_comment', 'ticket_reply', 'ticket_rectification')),
  subject_id    bigint NOT NULL,
  unit_path     text NOT NULL,
  original      text NOT NULL,           -- as written; for the unit and auditors only
  redacted      text NOT NULL,           -- after automatic redaction
  hits          text[] NOT NULL,         -- the sensitive words found
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'edited')),
  published     text,                    -- what went public: redacted, or the moderator's edit
  decided_by    text,
  decided_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  due_at        timestamptz NOT NULL,    -- one working day
  UNIQUE (subject, subject_id)
);
CREATE INDEX moderation_items_pending_idx ON moderation_items (due_at) WHERE state = 'pending';

CREATE TABLE sensitive_words (
  word        text PRIMARY KEY CHECK (length(word) BETWEEN 1 AND 50),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
