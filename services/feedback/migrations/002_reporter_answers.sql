-- The reporter's own steps join the timeline: 'answered' when they answer a partner's question.
-- Only the fact and the day are kept; the answer itself travels encrypted through intake.
ALTER TABLE timeline DROP CONSTRAINT IF EXISTS timeline_source_check;
ALTER TABLE timeline ADD CONSTRAINT timeline_source_check
    CHECK (source IN ('routing', 'outcome', 'reporter'));
