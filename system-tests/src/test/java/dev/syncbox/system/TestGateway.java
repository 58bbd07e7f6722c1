package dev.syncbox.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * One address in front of the services started by {@link RunningSystem}, routing by path as the nginx gateway does,
 * for clients that know a single server URL. Plain HTTP only: a WebSocket upgrade is answered 404 here, so a client
 * under test falls back to long-poll.
 */
final class TestGateway implements AutoCloseable {

    private static final Pattern BLOCK = Pattern.compile("^/blocks/[^/]+(/delta|/signature)?$");
    private static final Pattern UPLOAD = Pattern.compile(
            "^/(files/(upload|commit|commit_batch|tus)|blocks|upload-sessions)(/|$)|^/files/[^/]+/update$");
    private static final Pattern DOWNLOAD = Pattern.compile("^/files/download(/|_batch$)");
    private static final Pattern DROPBOX_UPLOAD =
            Pattern.compile("^/2/files/(upload|upload_session/[a-z_0-9]+(/check)?)$");
    private static final Pattern DROPBOX_DOWNLOAD = Pattern.compile("^/(2/files/download$|apitl/)");
    private static final Pattern DROPBOX = Pattern.compile("^/2/");
    private static final Pattern CONFLICT = Pattern.compile("^/files/[^/]+/conflicts(/|$)");
    private static final Pattern SYNC = Pattern.compile("^/(files|auth|devices|trash|shared|search)(/|$)");
    private static final Pattern DAV_UPLOADS = Pattern.compile("^/remote\\.php/dav/uploads/");
    private static final Pattern DAV_TRASHBIN = Pattern.compile("^/remote\\.php/dav/trashbin/");
    private static final Pattern DAV_VERSIONS = Pattern.compile("^/remote\\.php/dav/versions/");
    private static final Pattern DAV = Pattern.compile("^/(remote\\.php/(dav/files/|webdav(/|$))|dav(/|$))");
    private static final Pattern NEXTCLOUD = Pattern.compile("^/(status\\.php$|ocs/)");
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "content-length",
            "host",
            "x-forwarded-proto",
            "x-forwarded-host",
            "x-forwarded-port",
            "transfer-encoding",
            "upgrade",
            "keep-alive",
            "expect");

    private final HttpServer server;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int sync;
    private final int upload;
    private final int download;
    private final int conflict;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Duration blockDelay = Duration.ZERO;

    TestGateway(int sync, int upload, int download, int conflict) throws IOException {
        this.sync = sync;
        this.upload = upload;
        this.download = download;
        this.conflict = conflict;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.server.setExecutor(Executors.newCachedThreadPool());
        this.server.createContext("/", this::forward);
        this.server.start();
    }

    /** A gateway in front of the services of {@code system}. */
    static TestGateway in(RunningSystem system) throws IOException {
        return new TestGateway(port(system.sync), port(system.upload), port(system.download), port(system.conflict));
    }

    private static int port(org.springframework.context.ConfigurableApplicationContext service) {
        return Integer.parseInt(service.getEnvironment().getRequiredProperty("local.server.port"));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Holds every block transfer ({@code GET} or {@code PUT /blocks/{id}}) this long before passing it on. */
    void delayBlocks(Duration delay) {
        this.blockDelay = delay;
    }

    /** How many requests have passed so far: a mark for {@link #since}. */
    int mark() {
        return requests.size();
    }

    /** The requests ({@code METHOD /path}) that passed since {@code mark}, in order. */
    List<String> since(int mark) {
        synchronized (requests) {
            return List.copyOf(requests.subList(mark, requests.size()));
        }
    }

    private Integer target(String method, String path) {
        if (path.equals("/files/sync/ws")) {
            return null;
        }
        if (DAV_UPLOADS.matcher(path).find()) {
            return upload;
        }
        if (DAV_TRASHBIN.matcher(path).find()) {
            return sync;
        }
        if (DAV_VERSIONS.matcher(path).find()) {
            // As nginx routes Nextcloud's versions: a version's content from download-service, the rest sync-service.
            return method.equals("GET") || method.equals("HEAD") ? download : sync;
        }
        if (DAV.matcher(path).find()) {
            // As nginx routes WebDAV: by method, reads to download-service, writes of content to upload-service.
            return switch (method) {
                case "GET", "HEAD" -> download;
                case "PUT" -> upload;
                default -> sync;
            };
        }
        if (NEXTCLOUD.matcher(path).find()) {
            return sync;
        }
        if (BLOCK.matcher(path).find()) {
            return method.equals("GET") ? download : upload;
        }
        if (UPLOAD.matcher(path).find() || DROPBOX_UPLOAD.matcher(path).find()) {
            return upload;
        }
        if (DROPBOX_DOWNLOAD.matcher(path).find()) {
            return download;
        }
        if (DROPBOX.matcher(path).find()) {
            return sync;
        }
        if (DOWNLOAD.matcher(path).find()) {
            return download;
        }
        if (CONFLICT.matcher(path).find()) {
            return conflict;
        }
        return SYNC.matcher(path).find() ? sync : null;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(exchange.getRequestMethod() + " " + uri.getPath());
            Integer port = target(exchange.getRequestMethod(), uri.getPath());
            if (port == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!blockDelay.isZero() && BLOCK.matcher(uri.getPath()).find()) {
                try {
                    Thread.sleep(blockDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .timeout(Duration.ofMinutes(10))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            // As nginx does: the service learns the address the client used (a temporary link names it).
            request.header("X-Forwarded-Proto", "http");
            request.header("X-Forwarded-Host", "127.0.0.1");
            request.header(
                    "X-Forwarded-Port", Integer.toString(server.getAddress().getPort()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            long length = response.headers().firstValueAsLong("content-length").orElse(0);
            boolean empty = response.statusCode() == 204
                    || response.statusCode() == 304
                    || (length == 0
                            && response.headers().firstValue("content-length").isPresent());
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : 0);
            try (InputStream in = response.body();
                    OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
