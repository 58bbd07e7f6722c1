package dev.syncbox.sync.dropbox;

import jakarta.servlet.http.HttpServletRequest;

/** The address clients reach syncbox at: the gateway's, as its X-Forwarded headers tell, else this request's own. */
final class DropboxGateway {

    private DropboxGateway() {}

    /** {@code scheme://host[:port]}, without a trailing slash. */
    static String base(HttpServletRequest request) {
        String scheme = first(request.getHeader("X-Forwarded-Proto"));
        String host = first(request.getHeader("X-Forwarded-Host"));
        String port = first(request.getHeader("X-Forwarded-Port"));
        if (scheme == null) {
            scheme = request.getScheme();
        }
        if (host == null) {
            host = request.getServerName();
            if (port == null) {
                port = Integer.toString(request.getServerPort());
            }
        }
        boolean hostHasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
        boolean defaultPort = port == null
                || ("https".equalsIgnoreCase(scheme) && port.equals("443"))
                || ("http".equalsIgnoreCase(scheme) && port.equals("80"));
        return scheme + "://" + host + (hostHasPort || defaultPort ? "" : ":" + port);
    }

    /** A proxy chain's first value (the client-facing one). */
    private static String first(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).strip();
    }
}
