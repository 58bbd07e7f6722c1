package dev.syncbox.server.share;

/**
 * One item shared with a user, as their requests need it.
 *
 * @param namespaceId the shared item's own namespace (its journal)
 * @param ownerNamespaceId the namespace holding the shared item's rows
 * @param mountPath where the sharee sees the item: a top-level entry of their tree
 */
public record Grant(
        long shareId,
        long namespaceId,
        String rootFileId,
        long ownerId,
        long ownerNamespaceId,
        Permission permission,
        String mountPath,
        boolean dir) {}
