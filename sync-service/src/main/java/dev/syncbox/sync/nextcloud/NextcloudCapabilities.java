package dev.syncbox.sync.nextcloud;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the capabilities tell a Nextcloud client, which turns on only what is listed: what syncbox implements and
 * nothing more. WebDAV under {@code remote.php}, Nextcloud's chunked upload ({@code dav.chunking}), trash and
 * versions; checksums in the algorithms the upload path verifies while the body streams, SHA-256 preferred as the
 * strongest (Nextcloud's client computes it; left unsaid it would send SHA-1). Downloads carry none: syncbox's content
 * hash is Dropbox's hash of block hashes, not a checksum type these clients know. Left out, so the clients neither
 * show nor call them: bulk upload (the 3.7 client does not fall back to PUT when it fails), end-to-end encryption,
 * sharing, notifications, user status, file locking, previews.
 */
final class NextcloudCapabilities {

    /** Seconds between a client's polls of the root's ETag, Nextcloud's default. */
    static final int POLL_INTERVAL = 60;

    /** Checksum types an {@code OC-Checksum} of an upload may use, the preferred first. */
    static final List<String> CHECKSUM_TYPES = List.of("SHA256", "SHA1", "MD5", "Adler32");

    private NextcloudCapabilities() {}

    /** The OCS data of {@code cloud/capabilities}: {@code version} and {@code capabilities}. */
    static Map<String, Object> describe() {
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("major", NextcloudServer.MAJOR);
        version.put("minor", NextcloudServer.MINOR);
        version.put("micro", NextcloudServer.MICRO);
        version.put("string", NextcloudServer.VERSION_STRING);
        version.put("edition", "");
        version.put("extendedSupport", false);

        Map<String, Object> core = new LinkedHashMap<>();
        core.put("pollinterval", POLL_INTERVAL);
        core.put("webdav-root", "remote.php/webdav");

        Map<String, Object> dav = new LinkedHashMap<>();
        dav.put("chunking", "1.0");

        Map<String, Object> files = new LinkedHashMap<>();
        files.put("bigfilechunking", true);
        files.put("undelete", true);
        files.put("versioning", true);

        Map<String, Object> checksums = new LinkedHashMap<>();
        checksums.put("supportedTypes", CHECKSUM_TYPES);
        checksums.put("preferredUploadType", CHECKSUM_TYPES.get(0));

        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("core", core);
        capabilities.put("dav", dav);
        capabilities.put("files", files);
        capabilities.put("checksums", checksums);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", version);
        data.put("capabilities", capabilities);
        return data;
    }
}
