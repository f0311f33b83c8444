-- What each contract content holds, for the service graph (`GET /coupling`): interaction
-- counts and the fields the consumer relies on (a JSON array of strings). Written at publish
-- time, once per new content; contents that do not parse as a contract get no row. Contents
-- stored before this migration are summarised when the broker starts (see `summarise_contents`).
CREATE TABLE content_summaries (
    content_id INTEGER PRIMARY KEY REFERENCES pact_contents (id) ON DELETE CASCADE,
    http_interactions INTEGER NOT NULL,
    message_interactions INTEGER NOT NULL,
    fields TEXT NOT NULL,
    created_at TEXT NOT NULL
);
