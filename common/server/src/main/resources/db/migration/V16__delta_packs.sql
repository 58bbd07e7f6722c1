-- The version store's archive tier (docs/version-store.md): deltas that are old (superseded long
-- ago, so read only for old versions) are packed into larger objects in an archive storage class,
-- instead of one small object each (archive classes bill a minimum object size, and every object
-- is a request to store and to list). A pack is written whole and never changed; it goes when its
-- last member does.
CREATE TABLE delta_packs (
    pack_id        VARCHAR(26)  PRIMARY KEY,
    storage_class  VARCHAR(32)  NOT NULL,
    pack_bytes     BIGINT       NOT NULL CHECK (pack_bytes >= 0),
    live_members   INT          NOT NULL CHECK (live_members >= 0),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- Where a packed delta lives: bytes [pack_offset, pack_offset + delta_bytes) of its pack. Its own
-- object is deleted some time after it was packed (readers that chose it may still be reading it).
ALTER TABLE block_deltas ADD COLUMN pack_id VARCHAR(26) REFERENCES delta_packs (pack_id);
ALTER TABLE block_deltas ADD COLUMN pack_offset BIGINT;
ALTER TABLE block_deltas ADD COLUMN loose_removed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE block_deltas ADD CONSTRAINT block_deltas_packed
    CHECK ((pack_id IS NULL) = (pack_offset IS NULL) AND (NOT loose_removed OR pack_id IS NOT NULL));
CREATE INDEX idx_block_deltas_pack ON block_deltas (pack_id) WHERE pack_id IS NOT NULL;
CREATE INDEX idx_block_deltas_unpacked ON block_deltas (created_at) WHERE pack_id IS NULL AND whole_removed;
CREATE INDEX idx_block_deltas_loose ON block_deltas (pack_id) WHERE pack_id IS NOT NULL AND NOT loose_removed;
