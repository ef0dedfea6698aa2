-- The language of a published input's text (imrf_contract::text_language),
-- decided when it is published, so that the public record filters by it.
ALTER TABLE decisions ADD COLUMN language TEXT;
