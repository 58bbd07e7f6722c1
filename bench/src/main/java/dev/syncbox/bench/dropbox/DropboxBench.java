package dev.syncbox.bench.dropbox;

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
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * What the Dropbox API adapter costs over syncbox's own API (issue 18, docs/benchmarks.md): the same work through
 * both doors of the same gateway in the same run, so each figure is a ratio to syncbox's own route as the limit.
 *
 * <ol>
 *   <li>Listing an account of {@code files} files: {@code /2/files/list_folder} (recursive, 2,000 a page) and its
 *       continues, against syncbox's feed from no cursor ({@code GET /files/sync}, 2,000 a page).
 *   <li>Following changes: ten new files, then {@code /2/files/list_folder/continue} against {@code GET /files/sync}
 *       with a cursor; both must return exactly the ten, in an account of {@code files} files.
 *   <li>Small uploads: {@code small} files of 4 KiB, {@code threads} at a time, {@code /2/files/upload} against
 *       {@code POST /files/upload}.
 *   <li>A 64 MiB download: {@code /2/files/download} against {@code GET /files/download/{id}}.
 *   <li>A 64 MiB upload session in 8 MiB appends: Dropbox's start/append_v2/finish against {@code /upload-sessions}.
 * </ol>
 *
 * <p>Usage: {@code DropboxBench <gateway> [files] [small] [threads]} (defaults 20000, 1000, 4).
 */
public final class DropboxBench {

    private static final int BIG = 64 * 1024 * 1024;
    private static final int PART = 8 * 1024 * 1024;
    private static final int ROUNDS = 5;

    private final Gateway api;

    private DropboxBench(Gateway api) {
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int small = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        DropboxBench bench = new DropboxBench(Gateway.signUp(gateway, "dropbox-bench"));
        System.out.printf("==> %d files committed for the listing%n", bench.seed(files));
        List<String[]> rows = new ArrayList<>();

        long[] listing = bench.bestOf(ROUNDS, bench::listNative, bench::listDropbox);
        rows.add(row("list " + files + " files, 2,000 a page (ms)", listing));
        bench.api.upload("/changes-n/seed.txt", new byte[] {1});
        bench.api.upload("/changes-d/seed.txt", new byte[] {1});
        long[] changes = bench.bestOf(ROUNDS * 4, bench::followNative, bench::followDropbox);
        rows.add(row("ten changes after a cursor, in " + files + " files (ms)", changes));
        long[] uploads = bench.bestOf(
                1, () -> bench.smallUploads(small, threads, false), () -> bench.smallUploads(small, threads, true));
        rows.add(row(small + " uploads of 4 KiB, " + threads + " at a time (ms)", uploads));
        String big = bench.bigFile();
        long[] download = bench.bestOf(ROUNDS, () -> bench.downloadNative(big), () -> bench.downloadDropbox());
        rows.add(row("download 64 MiB (ms)", download));
        long[] session = bench.bestOf(ROUNDS, bench::sessionNative, bench::sessionDropbox);
        rows.add(row("upload session of 64 MiB in 8 MiB appends (ms)", session));

        System.out.println();
        System.out.println("| figure | syncbox's own API | Dropbox API | ratio |");
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

    /**
     * The best (shortest) time of each of two ways over {@code rounds} rounds, run alternately so that both see the
     * same machine: the best is the figure least disturbed by whatever else the machine does.
     */
    private long[] bestOf(int rounds, Supplier<Long> own, Supplier<Long> dropbox) {
        long bestOwn = Long.MAX_VALUE;
        long bestDropbox = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            bestOwn = Math.min(bestOwn, own.get());
            bestDropbox = Math.min(bestDropbox, dropbox.get());
        }
        return new long[] {bestOwn, bestDropbox};
    }

    // ---- listing

    private long listNative() {
        long start = System.nanoTime();
        String cursor = null;
        int entries = 0;
        boolean more = true;
        while (more) {
            String body = api.get("/files/sync?limit=2000" + (cursor == null ? "" : "&cursor=" + cursor));
            entries += count(body, "\"file_id\"");
            cursor = cursor(body);
            more = body.contains("\"has_more\":true");
        }
        long took = System.nanoTime() - start;
        lastCount = entries;
        return took;
    }

    private long listDropbox() {
        long start = System.nanoTime();
        String body = rpc("files/list_folder", "{\"path\":\"\",\"recursive\":true,\"limit\":2000}");
        int entries = count(body, "\".tag\"");
        while (body.contains("\"has_more\":true")) {
            body = rpc("files/list_folder/continue", "{\"cursor\":\"" + cursor(body) + "\"}");
            entries += count(body, "\".tag\"");
        }
        long took = System.nanoTime() - start;
        if (entries != lastCount) {
            throw new IllegalStateException("list_folder gave " + entries + " entries, the feed " + lastCount);
        }
        return took;
    }

    private int lastCount;
    private String nativeCursor;
    private String dropboxCursor;

    // ---- following changes: each follower catches up (untimed), ten files are added, the read of them is timed

    private long followNative() {
        nativeCursor = catchUpNative(nativeCursor);
        changeTen("n");
        long start = System.nanoTime();
        String body = api.get("/files/sync?limit=2000&cursor=" + nativeCursor);
        long took = System.nanoTime() - start;
        expectTen(body, "\"file_id\"", "the feed");
        nativeCursor = cursor(body);
        return took;
    }

    private long followDropbox() {
        dropboxCursor = catchUpDropbox(dropboxCursor);
        changeTen("d");
        long start = System.nanoTime();
        String body = rpc("files/list_folder/continue", "{\"cursor\":\"" + dropboxCursor + "\"}");
        long took = System.nanoTime() - start;
        expectTen(body, "\".tag\"", "list_folder/continue");
        dropboxCursor = cursor(body);
        return took;
    }

    private String catchUpNative(String cursor) {
        String body;
        do {
            body = api.get("/files/sync?limit=2000" + (cursor == null ? "" : "&cursor=" + cursor));
            cursor = cursor(body);
        } while (body.contains("\"has_more\":true"));
        return cursor;
    }

    private String catchUpDropbox(String cursor) {
        String body = cursor == null
                ? rpc("files/list_folder/get_latest_cursor", "{\"path\":\"\",\"recursive\":true,\"limit\":2000}")
                : rpc("files/list_folder/continue", "{\"cursor\":\"" + cursor + "\"}");
        while (body.contains("\"has_more\":true")) {
            body = rpc("files/list_folder/continue", "{\"cursor\":\"" + cursor(body) + "\"}");
        }
        return cursor(body);
    }

    private int changed;

    /** Ten new small files in a folder that exists already: ten entries, no folder among them. */
    private void changeTen(String tag) {
        String folder = "/changes-" + tag;
        for (int i = 0; i < 10; i++) {
            api.upload(folder + "/c" + changed + ".txt", ("change " + changed).getBytes(StandardCharsets.UTF_8));
            changed++;
        }
    }

    private static void expectTen(String body, String marker, String what) {
        int n = count(body, marker);
        if (n != 10) {
            throw new IllegalStateException(what + " gave " + n + " entries after ten changes: " + body);
        }
    }

    // ---- small uploads

    private long smallUploads(int count, int threads, boolean dropbox) {
        String folder = "/small-" + (dropbox ? "dropbox" : "own") + "-" + System.nanoTime();
        return parallel(count, threads, i -> {
            String path = folder + "/s" + i + ".bin";
            byte[] data = new byte[4096];
            ThreadLocalRandom.current().nextBytes(data);
            if (dropbox) {
                content("/2/files/upload", "{\"path\":\"" + path + "\",\"mode\":\"add\"}", data);
            } else {
                api.upload(path, data);
            }
        });
    }

    // ---- big transfers

    private String bigFile() {
        byte[] data = new byte[BIG];
        ThreadLocalRandom.current().nextBytes(data);
        String body = api.upload("/big.bin", data);
        return field(body, "file_id");
    }

    private long downloadNative(String fileId) {
        long start = System.nanoTime();
        long n = drain(send(api.request("/files/download/" + fileId).GET()));
        check(n == BIG, "download gave " + n + " bytes");
        return System.nanoTime() - start;
    }

    private long downloadDropbox() {
        long start = System.nanoTime();
        long n = drain(send(api.request("/2/files/download")
                .header("Dropbox-API-Arg", "{\"path\":\"/big.bin\"}")
                .POST(HttpRequest.BodyPublishers.noBody())));
        check(n == BIG, "/2/files/download gave " + n + " bytes");
        return System.nanoTime() - start;
    }

    private long sessionNative() {
        byte[] data = part();
        long start = System.nanoTime();
        String session = field(api.postJson("/upload-sessions", "{}"), "session_id");
        for (int offset = 0; offset < BIG; offset += PART) {
            text(send(api.request("/upload-sessions/" + session + "?offset=" + offset)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(data))));
        }
        api.postJson(
                "/upload-sessions/" + session + "/finish",
                "{\"file_path\":\"/sessions/own-" + System.nanoTime() + ".bin\"}");
        return System.nanoTime() - start;
    }

    private long sessionDropbox() {
        byte[] data = part();
        long start = System.nanoTime();
        String session = field(content("/2/files/upload_session/start", "{}", data), "session_id");
        for (int offset = PART; offset < BIG - PART; offset += PART) {
            content(
                    "/2/files/upload_session/append_v2",
                    "{\"cursor\":{\"session_id\":\"" + session + "\",\"offset\":" + offset + "}}",
                    data);
        }
        content(
                "/2/files/upload_session/finish",
                "{\"cursor\":{\"session_id\":\"" + session + "\",\"offset\":" + (BIG - PART)
                        + "},\"commit\":{\"path\":\"/sessions/dropbox-" + System.nanoTime() + ".bin\"}}",
                data);
        return System.nanoTime() - start;
    }

    private static byte[] part() {
        byte[] data = new byte[PART];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
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
                entries.add("{\"file_path\":\"/seed/d" + (i / 500) + "/f" + i + ".bin\",\"parent_version_id\":null,"
                        + "\"blocks\":[\"" + blockId + "\"],\"size\":1024,\"content_hash\":\"" + hash + "\"}");
            }
            String body = api.postJson("/files/commit_batch", "{\"entries\":[" + String.join(",", entries) + "]}");
            committed += count(body, "\"version_id\"");
        }
        return committed;
    }

    // ---- HTTP

    private String content(String route, String arg, byte[] data) {
        return text(send(api.request(route)
                .header("Content-Type", "application/octet-stream")
                .header("Dropbox-API-Arg", arg)
                .POST(HttpRequest.BodyPublishers.ofByteArray(data))));
    }

    private String rpc(String route, String json) {
        return api.postJson("/2/" + route, json);
    }
}
