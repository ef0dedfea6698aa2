-- The console's search (store/review.rs): each input's name, organisation,
-- title and input folded (search_text.rs: case, Arabic diacritics and alef
-- forms), written by the console before it searches; gone with the input.
CREATE TABLE search_index (
    reference TEXT PRIMARY KEY REFERENCES submissions (reference) ON DELETE CASCADE,
    text      TEXT NOT NULL
);
