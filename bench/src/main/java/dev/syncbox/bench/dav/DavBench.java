package dev.syncbox.bench.dav;

import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What WebDAV costs over syncbox's own API (issue 19, docs/benchmarks.md): the same work through both doors of the
 * same gateway in the same run, so each figure is a ratio to syncbox's own route as the limit.
 *
 * <ol>
 *   <li>A folder of 500 files: {@code PROPFIND Depth: 1} with the properties Nextcloud's client asks for, against
 *       {@code GET /files/list}.
 *   <li>A folder of {@code folders} folders holding {@code files} files: {@code PROPFIND Depth: 1}, whose answer
 *       carries every child folder's ETag (each a digest of everything beneath it), against {@code GET /files/list}.
 *   <li>The poll of an unchanged account: {@code PROPFIND Depth: 0} of the root (its ETag covers all {@code files}
 *       files), against {@code GET /files/sync} with an up-to-date cursor.
 *   <li>Small uploads: {@code small} files of 4 KiB, {@code threads} at a time, {@code PUT} against
 *       {@code POST /files/upload}.
 *   <li>A 64 MiB download: {@code GET} against {@code GET /files/download/{id}}.
 *   <li>A 64 MiB upload: {@code PUT} of the whole body against {@code POST /files/upload}.
 * </ol>
 *
 * <p>Usage: {@code DavBench <gateway> [files] [small] [threads]} (defaults 20000, 1000, 4).
 */
public final class DavBench {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final Pattern CURSOR = Pattern.compile("\"(?:cursor|next_cursor)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern RESPONSE = Pattern.compile("</(?:[A-Za-z0-9_]+:)?response>");
    private static final int BIG = 64 * 1024 * 1024;
    private static final int ROUNDS = 5;
    private static final int PER_FOLDER = 500;

    /** The properties Nextcloud's desktop client asks for in its discovery. */
    private static final String NEXTCLOUD_PROPFIND = "<?xml version=\"1.0\"?>"
            + "<d:propfind xmlns:d=\"DAV:\" xmlns:oc=\"http://owncloud.org/ns\" xmlns:nc=\"http://nextcloud.org/ns\">"
            + "<d:prop><d:resourcetype/><d:getlastmodified/><d:getcontentlength/><d:getetag/><oc:size/><oc:id/>"
            + "<oc:fileid/><oc:downloadURL/><oc:dDC/><oc:permissions/><oc:checksums/><nc:is-encrypted/>"
            + "<oc:share-types/><nc:has-preview/></d:prop></d:propfind>";

    private final String base;
    private final String bearer;
    private final String basic;
    private final String davRoot;

    private DavBench(String base, String bearer, String basic, String davRoot) {
        this.base = base;
        this.bearer = bearer;
        this.basic = basic;
        this.davRoot = davRoot;
    }

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int small = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        DavBench bench = signUp(gateway);
        System.out.printf("==> %d files committed in %d folders%n", bench.seed(files), files / PER_FOLDER);
        List<String[]> rows = new ArrayList<>();

        long[] folder = bench.bestOf(
                ROUNDS,
                () -> bench.listOwn("/seed/d0", PER_FOLDER),
                () -> bench.propfind("/seed/d0", "1", PER_FOLDER + 1));
        rows.add(row("a folder of " + PER_FOLDER + " files, Depth 1 (ms)", folder));
        int folders = files / PER_FOLDER;
        long[] tree = bench.bestOf(
                ROUNDS, () -> bench.listOwn("/seed", folders), () -> bench.propfind("/seed", "1", folders + 1));
        rows.add(row("a folder of " + folders + " folders holding " + files + " files, Depth 1 (ms)", tree));
        String cursor = bench.latestCursor();
        long[] poll = bench.bestOf(ROUNDS * 4, () -> bench.pollOwn(cursor), () -> bench.propfind("/", "0", 1));
        rows.add(row("poll of an unchanged account of " + files + " files (ms)", poll));
        long[] uploads = bench.bestOf(
                1, () -> bench.smallUploads(small, threads, false), () -> bench.smallUploads(small, threads, true));
        rows.add(row(small + " uploads of 4 KiB, " + threads + " at a time (ms)", uploads));
        byte[] big = new byte[BIG];
        ThreadLocalRandom.current().nextBytes(big);
        String bigId = field(bench.upload("/big.bin", big), "file_id");
        long[] download = bench.bestOf(ROUNDS, () -> bench.downloadOwn(bigId), () -> bench.downloadDav("/big.bin"));
        rows.add(row("download 64 MiB (ms)", download));
        long[] upload = bench.bestOf(ROUNDS, () -> bench.bigUpload(big, false), () -> bench.bigUpload(big, true));
        rows.add(row("upload 64 MiB in one request (ms)", upload));

        System.out.println();
        System.out.println("| figure | syncbox's own API | WebDAV | ratio |");
        System.out.println("|---|---|---|---|");
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    }

    private static String[] row(String name, long[] nanos) {
        return new String[] {
            name,
            String.format("%.1f", nanos[0] / 1e6),
            String.format("%.1f", nanos[1] / 1e6),
            String.format("%.2f×", (double) nanos[1] / nanos[0])
        };
    }

    /** The best time of each of two ways over {@code rounds} rounds, run alternately so both see the same machine. */
    private long[] bestOf(int rounds, Supplier<Long> own, Supplier<Long> dav) {
        long bestOwn = Long.MAX_VALUE;
        long bestDav = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            bestOwn = Math.min(bestOwn, own.get());
            bestDav = Math.min(bestDav, dav.get());
        }
        return new long[] {bestOwn, bestDav};
    }

    // ---- listings

    private long listOwn(String path, int expected) {
        long start = System.nanoTime();
        String body = text(send(request("/files/list?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8))
                .GET()));
        long took = System.nanoTime() - start;
        int n = count(body, "\"file_id\"");
        check(n >= expected, "/files/list gave " + n + " entries, expected " + expected);
        return took;
    }

    private long propfind(String path, String depth, int expected) {
        long start = System.nanoTime();
        String body = text(send(dav(path)
                .header("Depth", depth)
                .header("Content-Type", "application/xml; charset=utf-8")
                .method("PROPFIND", HttpRequest.BodyPublishers.ofString(NEXTCLOUD_PROPFIND))));
        long took = System.nanoTime() - start;
        Matcher responses = RESPONSE.matcher(body);
        int n = 0;
        while (responses.find()) {
            n++;
        }
        check(n == expected, "PROPFIND " + path + " gave " + n + " responses, expected " + expected);
        return took;
    }

    private String latestCursor() {
        String cursor = null;
        String body;
        do {
            body = text(send(request("/files/sync?limit=2000" + (cursor == null ? "" : "&cursor=" + cursor))
                    .GET()));
            cursor = cursor(body);
        } while (body.contains("\"has_more\":true"));
        return cursor;
    }

    private long pollOwn(String cursor) {
        long start = System.nanoTime();
        String body =
                text(send(request("/files/sync?limit=2000&cursor=" + cursor).GET()));
        long took = System.nanoTime() - start;
        check(count(body, "\"file_id\"") == 0, "the poll found changes: " + body);
        return took;
    }

    // ---- uploads and downloads

    private long smallUploads(int count, int threads, boolean dav) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        String folder = "/small-" + (dav ? "dav" : "own") + "-" + System.nanoTime();
        if (dav) {
            text(send(dav(folder).method("MKCOL", HttpRequest.BodyPublishers.noBody())));
        }
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String path = folder + "/s" + i + ".bin";
                done.add(pool.submit(() -> {
                    byte[] data = new byte[4096];
                    ThreadLocalRandom.current().nextBytes(data);
                    if (dav) {
                        text(send(dav(path).PUT(HttpRequest.BodyPublishers.ofByteArray(data))));
                    } else {
                        upload(path, data);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return System.nanoTime() - start;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private long downloadOwn(String fileId) {
        long start = System.nanoTime();
        long n = drain(send(request("/files/download/" + fileId).GET()));
        check(n == BIG, "download gave " + n + " bytes");
        return System.nanoTime() - start;
    }

    private long downloadDav(String path) {
        long start = System.nanoTime();
        long n = drain(send(dav(path).GET()));
        check(n == BIG, "GET gave " + n + " bytes");
        return System.nanoTime() - start;
    }

    private long bigUpload(byte[] data, boolean dav) {
        String path = "/big-" + (dav ? "dav" : "own") + "-" + System.nanoTime() + ".bin";
        // A byte changed so that every round stores new content, not a copy of the last one.
        data[ThreadLocalRandom.current().nextInt(data.length)]++;
        long start = System.nanoTime();
        if (dav) {
            text(send(dav(path).PUT(HttpRequest.BodyPublishers.ofByteArray(data))));
        } else {
            upload(path, data);
        }
        return System.nanoTime() - start;
    }

    // ---- seeding: one 1 KiB block named by every file, committed 1,000 a call as a client commits

    private int seed(int files) {
        byte[] block = new byte[1024];
        ThreadLocalRandom.current().nextBytes(block);
        String blockId = BlockId.of(block, 0, block.length);
        String hash = ContentHasher.of(block);
        text(send(request("/blocks/" + blockId).PUT(HttpRequest.BodyPublishers.ofByteArray(block))));
        int committed = 0;
        for (int from = 0; from < files; from += 1000) {
            List<String> entries = new ArrayList<>();
            for (int i = from; i < Math.min(files, from + 1000); i++) {
                entries.add("{\"file_path\":\"/seed/d" + (i / PER_FOLDER) + "/f" + i + ".bin\","
                        + "\"parent_version_id\":null,\"blocks\":[\"" + blockId + "\"],\"size\":1024,"
                        + "\"content_hash\":\"" + hash + "\"}");
            }
            String body = postJson("/files/commit_batch", "{\"entries\":[" + String.join(",", entries) + "]}");
            committed += count(body, "\"version_id\"");
        }
        return committed;
    }

    // ---- HTTP

    private static DavBench signUp(String base) {
        String email = "dav-bench-" + System.nanoTime() + "@example.test";
        DavBench anonymous = new DavBench(base, null, null, null);
        String credentials = "\"email\":\"" + email + "\",\"password\":\"dav-bench-password\"";
        anonymous.postJson("/auth/register", "{" + credentials + ",\"name\":\"bench\"}");
        String login = anonymous.postJson("/auth/login", "{" + credentials + ",\"device_name\":\"bench\"}");
        String bearer = "Bearer " + field(login, "access_token");
        DavBench signedIn = new DavBench(base, bearer, null, null);
        String password = field(signedIn.postJson("/auth/app-passwords", "{\"name\":\"dav bench\"}"), "app_password");
        String basic = "Basic "
                + Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new DavBench(base, bearer, basic, "/remote.php/dav/files/" + email.replace("@", "%40"));
    }

    private String upload(String path, byte[] data) {
        String boundary = "dav-bench-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream(data.length + 512);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file_path\"\r\n\r\n" + path
                        + "\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"f\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(data);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return text(send(request("/files/upload")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))));
    }

    private String postJson(String path, String json) {
        return text(send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5));
        return bearer == null ? request : request.header("Authorization", bearer);
    }

    /** A request on the WebDAV root, signed in with the app password as a DAV client is. */
    private HttpRequest.Builder dav(String path) {
        StringBuilder href = new StringBuilder(davRoot);
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                href.append('/')
                        .append(URLEncoder.encode(segment, StandardCharsets.UTF_8)
                                .replace("+", "%20"));
            }
        }
        if (path.equals("/")) {
            href.append('/');
        }
        return HttpRequest.newBuilder(URI.create(base + href))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", basic);
    }

    private static HttpResponse<InputStream> send(HttpRequest.Builder request) {
        try {
            HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 300) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException(request.build().method() + " "
                        + request.build().uri().getPath() + " answered " + response.statusCode() + ": " + body);
            }
            return response;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
            return total;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String cursor(String body) {
        Matcher m = CURSOR.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no cursor in " + body.substring(0, Math.min(300, body.length())));
        }
        return m.group(1);
    }

    private static String field(String body, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + body);
        }
        return m.group(1);
    }

    private static int count(String body, String marker) {
        return body.split(Pattern.quote(marker), -1).length - 1;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
