-- Consistent listings (docs/sync.md). A device's first complete listing, a shared item's snapshot and
-- a folder included again are each read once, in one REPEATABLE READ transaction that also reads the
-- journal head, into listing_entries; the device pages from there and then follows the journal from
-- exactly that head. Pages are numbered by ordinal, so a cursor carries two integers, never a path.
--
-- UNLOGGED: no WAL for rows that live minutes. A crash (or a promoted replica) empties both tables
-- together, and a cursor whose listing is gone is answered 409 reset, never a partial listing. Ids
-- come from a logged sequence, so an id is never handed out twice, even after such a truncation.
CREATE SEQUENCE listing_ids;

CREATE UNLOGGED TABLE listings (
    listing_id    BIGINT        PRIMARY KEY,
    -- The journal the listing stands at (a root or a shared item) and its position there.
    namespace_id  BIGINT        NOT NULL,
    seq           BIGINT        NOT NULL,
    -- The owner path that the listing's stream shows at its own root ('/' for a user's root, the
    -- shared item's path at the time for a shared item).
    base_path     VARCHAR(1024) NOT NULL,
    entries       INT           NOT NULL,
    created_at    TIMESTAMPTZ   NOT NULL,
    used_at       TIMESTAMPTZ   NOT NULL,
    completed_at  TIMESTAMPTZ
);
CREATE INDEX idx_listings_used ON listings (used_at);
CREATE INDEX idx_listings_completed ON listings (completed_at) WHERE completed_at IS NOT NULL;

-- ord 1..entries in path_key order (a folder before its contents).
CREATE UNLOGGED TABLE listing_entries (
    listing_id    BIGINT        NOT NULL,
    ord           INT           NOT NULL,
    file_id       VARCHAR(26)   NOT NULL,
    file_path     VARCHAR(1024) NOT NULL,
    is_dir        BOOLEAN       NOT NULL,
    version_id    VARCHAR(26),
    size_bytes    BIGINT        NOT NULL,
    content_hash  CHAR(64),
    modified_at   TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (listing_id, ord)
);

-- A folder moved into a device's view (out of an excluded folder) is owed to the device as a listing,
-- like a folder it included again; after_seq is the journal entry of namespace_id that moved it in
-- (NULL for a folder included again).
ALTER TABLE selective_sync_includes ADD COLUMN after_seq BIGINT;
-- The highest include deleted for the device once a cursor had delivered it: an older cursor that had
-- not must reset rather than skip it.
ALTER TABLE selective_sync ADD COLUMN includes_forgotten BIGINT NOT NULL DEFAULT 0;
