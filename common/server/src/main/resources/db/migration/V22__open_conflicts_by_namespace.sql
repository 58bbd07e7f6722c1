-- GET /conflicts lists the open conflicts of every namespace the caller can see, newest first: one range of
-- this index per namespace instead of every open conflict of the system.
CREATE INDEX idx_conflicts_open_namespace ON conflicts (namespace_id, diverged_at DESC) WHERE status = 'OPEN';
