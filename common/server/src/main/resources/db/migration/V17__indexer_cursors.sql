-- Where the search indexer got to in each namespace's journal (docs/search.md): entries up to seq are
-- in Elasticsearch. A namespace without a row has nothing indexed yet.
CREATE TABLE indexer_cursors (
    namespace_id  BIGINT       PRIMARY KEY REFERENCES namespaces (namespace_id),
    seq           BIGINT       NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
