-- What a user sees through shares changes without a journal entry in their root: a share made,
-- changed or ended. shares_seq on the user's root namespace counts those changes, bumped in the
-- transaction that makes them, so a waiter that missed the Redis announcement finds the change in
-- the same 2 s poll of the heads that finds journal entries (docs/sync.md, "Long-poll").
ALTER TABLE namespaces ADD COLUMN shares_seq BIGINT NOT NULL DEFAULT 0;
