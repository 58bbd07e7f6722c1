package dev.syncbox.server.share;

/**
 * How one user sees an entry of a namespace: as its owner (paths as stored) or through a share (paths
 * under the mount point, relative to the shared item).
 *
 * @param grant the share giving access, {@code null} for the owner
 * @param rootPath the shared item's current path in the owner's namespace ({@code null} for the owner)
 */
public record View(Grant grant, String rootPath) {

    /** The owner's view: paths as stored, every change allowed. */
    public static final View OWNER = new View(null, null);

    public boolean owner() {
        return grant == null;
    }

    public boolean writable() {
        return grant == null || grant.permission().canWrite();
    }

    /** A path of the owner's namespace (under the shared item) as this user sees it. */
    public String path(String ownerPath) {
        if (grant == null || ownerPath == null) {
            return ownerPath;
        }
        return SharedPaths.rebase(ownerPath, rootPath, grant.mountPath());
    }
}
