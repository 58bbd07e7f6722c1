package dev.syncbox.bench.dav;

import static dev.syncbox.bench.gateway.Gateway.check;
import static dev.syncbox.bench.gateway.Gateway.count;
import static dev.syncbox.bench.gateway.Gateway.cursor;
import static dev.syncbox.bench.gateway.Gateway.drain;
import static dev.syncbox.bench.gateway.Gateway.field;
import static dev.syncbox.bench.gateway.Gateway.parallel;
import static dev.syncbox.bench.gateway.Gateway.send;
import static dev.syncbox.bench.gateway.Gateway.text;

import dev.syncbox.bench.gateway.Gateway;
import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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

    private final Gateway api;
    private final String basic;
    private final String davRoot;

    private DavBench(Gateway api, String basic, String davRoot) {
        this.api = api;
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
        String bigId = field(bench.api.upload("/big.bin", big), "file_id");
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
        String body = text(send(api.request("/files/list?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8))
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
            body = text(send(api.request("/files/sync?limit=2000" + (cursor == null ? "" : "&cursor=" + cursor))
                    .GET()));
            cursor = cursor(body);
        } while (body.contains("\"has_more\":true"));
        return cursor;
    }

    private long pollOwn(String cursor) {
        long start = System.nanoTime();
        String body =
                text(send(api.request("/files/sync?limit=2000&cursor=" + cursor).GET()));
        long took = System.nanoTime() - start;
        check(count(body, "\"file_id\"") == 0, "the poll found changes: " + body);
        return took;
    }

    // ---- uploads and downloads

    private long smallUploads(int count, int threads, boolean dav) {
        String folder = "/small-" + (dav ? "dav" : "own") + "-" + System.nanoTime();
        if (dav) {
            text(send(dav(folder).method("MKCOL", HttpRequest.BodyPublishers.noBody())));
        }
        return parallel(count, threads, i -> {
            String path = folder + "/s" + i + ".bin";
            byte[] data = new byte[4096];
            ThreadLocalRandom.current().nextBytes(data);
            if (dav) {
                text(send(dav(path).PUT(HttpRequest.BodyPublishers.ofByteArray(data))));
            } else {
                api.upload(path, data);
            }
        });
    }

    private long downloadOwn(String fileId) {
        long start = System.nanoTime();
        long n = drain(send(api.request("/files/download/" + fileId).GET()));
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
            api.upload(path, data);
        }
        return System.nanoTime() - start;
    }

    // ---- seeding: one 1 KiB block named by every file, committed 1,000 a call as a client commits

    private int seed(int files) {
        byte[] block = new byte[1024];
        ThreadLocalRandom.current().nextBytes(block);
        String blockId = BlockId.of(block, 0, block.length);
        String hash = ContentHasher.of(block);
        text(send(api.request("/blocks/" + blockId).PUT(HttpRequest.BodyPublishers.ofByteArray(block))));
        int committed = 0;
        for (int from = 0; from < files; from += 1000) {
            List<String> entries = new ArrayList<>();
            for (int i = from; i < Math.min(files, from + 1000); i++) {
                entries.add("{\"file_path\":\"/seed/d" + (i / PER_FOLDER) + "/f" + i + ".bin\","
                        + "\"parent_version_id\":null,\"blocks\":[\"" + blockId + "\"],\"size\":1024,"
                        + "\"content_hash\":\"" + hash + "\"}");
            }
            String body = api.postJson("/files/commit_batch", "{\"entries\":[" + String.join(",", entries) + "]}");
            committed += count(body, "\"version_id\"");
        }
        return committed;
    }

    // ---- HTTP

    private static DavBench signUp(String base) {
        Gateway api = Gateway.signUp(base, "dav-bench");
        String password = field(api.postJson("/auth/app-passwords", "{\"name\":\"dav bench\"}"), "app_password");
        String basic = "Basic "
                + Base64.getEncoder().encodeToString((api.email() + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new DavBench(api, basic, "/remote.php/dav/files/" + api.email().replace("@", "%40"));
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
        return HttpRequest.newBuilder(URI.create(api.base() + href))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", basic);
    }
}
