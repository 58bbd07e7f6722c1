-- The shared items (files and folders) of each namespace, kept in the namespace that holds them. A shared item's own
-- namespace row names its root file and parent, but once the metadata is distributed by namespace
-- (docs/scale-out.md) that row lives on another shard than the item: a commit asking "is anything
-- here shared?" and a share asking "has this item a namespace already?" would have to ask every
-- shard. This table answers both from the parent's shard. A row is written with the shared
-- namespace, under the parent's journal lock, and removed when the item is purged.
CREATE TABLE shared_roots (
    namespace_id         BIGINT      NOT NULL REFERENCES namespaces (namespace_id),
    file_id              VARCHAR(26) NOT NULL,
    shared_namespace_id  BIGINT      NOT NULL,
    PRIMARY KEY (namespace_id, file_id)
);
INSERT INTO shared_roots (namespace_id, file_id, shared_namespace_id)
    SELECT parent_namespace_id, root_file_id, namespace_id FROM namespaces
    WHERE parent_namespace_id IS NOT NULL AND root_file_id IS NOT NULL;
