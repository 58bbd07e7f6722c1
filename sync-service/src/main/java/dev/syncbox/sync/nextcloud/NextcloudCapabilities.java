package dev.syncbox.sync.nextcloud;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the capabilities tell a Nextcloud client, which turns on only what is listed: what syncbox implements and
 * nothing more. WebDAV under {@code remote.php}, Nextcloud's chunked upload ({@code dav.chunking}), trash and
 * versions; checksums in the algorithms the upload path verifies, SHA-256 preferred because it is the one syncbox
 * stores and so can send back with a download. Left out, so the clients hide them: bulk upload, end-to-end
 * encryption, sharing, notifications, user status, previews.
 */
final class NextcloudCapabilities {

    /** Seconds between a client's polls of the root's ETag, Nextcloud's default. */
    static final int POLL_INTERVAL = 60;

    /** Checksum types an {@code OC-Checksum} of an upload may use; the first is the one downloads carry. */
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
