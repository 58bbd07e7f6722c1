-- Conflicts: a commit based on a version that is no longer current.

-- A merged version names both versions it merges (the current one first, then the upload).
ALTER TABLE file_versions ADD COLUMN merge_parent_ids TEXT[];

CREATE TABLE conflicts (
    conflict_id          VARCHAR(26) PRIMARY KEY,
    -- No foreign key: a rejected commit records its conflict from its own transaction while the
    -- committing one holds the file row locked.
    file_id              VARCHAR(26) NOT NULL,
    -- The upload that arrived late (device A; none when the commit was rejected) and the version
    -- it found current (device B).
    device_a_version     VARCHAR(26),
    device_b_version     VARCHAR(26) NOT NULL,
    base_version         VARCHAR(26),
    device_a_id          VARCHAR(26),
    diverged_at          TIMESTAMPTZ NOT NULL,
    status               VARCHAR(10) NOT NULL CHECK (status IN ('OPEN', 'RESOLVED')),
    resolution           VARCHAR(20) CHECK (resolution IN
                             ('MERGED', 'MERGED_WITH_MARKERS', 'CONFLICTED_COPY', 'REJECTED', 'MANUAL')),
    result_version       VARCHAR(26),
    copy_file_id         VARCHAR(26),
    resolved_by_version  VARCHAR(26),
    resolved_at          TIMESTAMPTZ
);
CREATE INDEX idx_conflicts_file ON conflicts (file_id, diverged_at DESC);
CREATE INDEX idx_conflicts_open ON conflicts (file_id) WHERE status = 'OPEN';
