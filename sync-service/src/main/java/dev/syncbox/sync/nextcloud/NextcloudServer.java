package dev.syncbox.sync.nextcloud;

/**
 * Which Nextcloud release syncbox presents itself as. Nextcloud's clients read the version from {@code status.php}
 * and gate behaviour on it: the desktop client (3.7 and later) warns about and may refuse releases below the oldest
 * it supports, and turns features on by release. 28.0.0 is newer than every such threshold of the clients in the
 * distributions, and syncbox implements what those clients use of it (docs/nextcloud.md). Nextcloud's four-part
 * {@code version} and three-part {@code versionstring} are both kept, as clients parse one or the other.
 */
final class NextcloudServer {

    static final int MAJOR = 28;
    static final int MINOR = 0;
    static final int MICRO = 0;

    /** {@code status.php}'s {@code version}: major.minor.micro.build. */
    static final String VERSION = MAJOR + "." + MINOR + "." + MICRO + ".0";

    /** {@code status.php}'s {@code versionstring} and the capabilities' {@code version.string}. */
    static final String VERSION_STRING = MAJOR + "." + MINOR + "." + MICRO;

    /** What clients show as the server's name. */
    static final String PRODUCT_NAME = "syncbox";

    private NextcloudServer() {}
}
