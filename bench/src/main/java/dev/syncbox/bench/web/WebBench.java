package dev.syncbox.bench.web;

import static dev.syncbox.bench.gateway.Gateway.bytes;
import static dev.syncbox.bench.gateway.Gateway.check;
import static dev.syncbox.bench.gateway.Gateway.field;
import static dev.syncbox.bench.gateway.Gateway.parallel;
import static dev.syncbox.bench.gateway.Gateway.send;
import static dev.syncbox.bench.gateway.Gateway.text;

import dev.syncbox.bench.gateway.Gateway;
import dev.syncbox.bench.wire.DeltaWireBench;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The two paths the web app adds (docs/web-app.md), each against a limit measured in the same run through the same
 * gateway, so each figure is a ratio:
 *
 * <ol>
 *   <li>Uploads over tus ({@code /files/tus}, docs/uploads.md) as the web app's tus-js-client sends them, against the
 *       multipart {@code POST /files/upload}:
 *       <ul>
 *         <li>64 MiB: {@code POST /files/tus} without a body, then {@code PATCH}es of 8 MiB; median MB/s over
 *             {@code rounds} rounds, the two alternating, and the bytes on the wire of each upload;
 *         <li>{@code small} files of 4 KiB, {@code threads} at a time: tus creation-with-upload (the whole file in
 *             the {@code POST}), and tus as tus-js-client sends by default (an empty {@code POST}, then one {@code
 *             PATCH}); files/s.
 *       </ul>
 *   <li>Thumbnails ({@code GET /files/{id}/thumbnail?size=256}, docs/downloads.md):
 *       <ul>
 *         <li>the first request of each of {@code images} distinct 2000×1500 JPEGs and as many PNGs (made here,
 *             uploaded first): median and p95 latency, against this process making the same thumbnail of the same
 *             bytes with ImageIO (decoded whole, and decoded subsampled as the server does);
 *         <li>the second request, answered from S3, against {@code GET /files/download/{id}} of a file holding the
 *             thumbnail's bytes; {@code requests} requests, {@code threads} at a time, requests/s.
 *       </ul>
 * </ol>
 *
 * <p>Usage: {@code WebBench <gateway> <access-log|-> [rounds] [small] [threads] [images] [requests]} (defaults 5,
 * 300, 4, 12, 2000). The access log is the gateway's (its lines carry {@code req_bytes=} and {@code resp_bytes=});
 * without it the wire rows say n/a.
 */
public final class WebBench {

    static final String TUS = "1.0.0";
    static final String OFFSET_STREAM = "application/offset+octet-stream";
    private static final int BIG = 64 * 1024 * 1024;
    /** tus-js-client's chunkSize in the web app (web/src/upload/uploads.ts). */
    /** The web app sends a file in one PATCH (a broken one keeps what arrived, so resuming needs no smaller parts). */
    private static final int WEB_APP_PART = Integer.MAX_VALUE;
    /** What a client that cuts its uploads into parts (tus-js-client's chunkSize) might send, for comparison. */
    private static final int PART = 8 * 1024 * 1024;

    private static final int SMALL = 4096;
    private static final int WIDTH = 2000;
    private static final int HEIGHT = 1500;
    private static final int BOX = 256;
    /** Pictures of each format made, sent and thumbnailed before the measured ones: both JITs warm up on them. */
    private static final int WARM_UP = 2;

    private static final int SMALL_ROUNDS = 3;
    private static final int CACHED_ROUNDS = 3;

    private final Gateway api;
    private final Path accessLog;
    private final List<String[]> rows = new ArrayList<>();
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    private WebBench(Gateway api, Path accessLog) {
        this.api = api;
        this.accessLog = accessLog;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        String gateway = args[0];
        Path log = args.length > 1 && !args[1].equals("-") ? Path.of(args[1]) : null;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int small = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int images = args.length > 5 ? Integer.parseInt(args[5]) : 12;
        int requests = args.length > 6 ? Integer.parseInt(args[6]) : 2000;
        if (log != null && !Files.isRegularFile(log)) {
            System.out.println("==> no access log at " + log + ": the wire rows are n/a");
            log = null;
        }
        WebBench bench = new WebBench(Gateway.signUp(gateway, "web-bench"), log);
        System.out.println("==> signed up " + bench.api.email());

        bench.bigUploads(rounds);
        bench.smallUploads(small, threads);
        List<Picture> pictures = new ArrayList<>();
        for (String format : List.of("jpeg", "png")) {
            pictures.addAll(bench.firstThumbnails(format, images));
        }
        bench.cachedThumbnails(pictures, requests, threads);

        System.out.println();
        System.out.println("| figure | limit | web app's path | ratio |");
        System.out.println("|---|---:|---:|---:|");
        bench.rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
        System.out.println();
        System.out.println("Ratios are of times: above 1 the web app's path is slower than its limit.");
    }

    // ---- 1 (a): 64 MiB

    private void bigUploads(int rounds) {
        System.out.printf(
                "==> 64 MiB uploads: tus in one PATCH and in %d MiB PATCHes against POST /files/upload, %d rounds%n",
                PART >> 20, rounds);
        long[][] nanos = new long[3][rounds];
        long[][] wire = new long[3][rounds];
        for (int round = 0; round < rounds; round++) {
            int r = round;
            String[] ids = new String[3];
            // The three take turns going first, round by round.
            for (int k = 0; k < 3; k++) {
                int way = (r + k) % 3;
                // Fresh random bytes for every upload: nothing is deduplicated against an earlier round.
                byte[] data = random(BIG);
                String path = "/web-bench-" + run + "/big/way-" + way + "-" + r + ".bin";
                wire[way][r] = wire(() -> nanos[way][r] = time(() -> ids[way] = switch (way) {
                    case 0 -> fileId(api.upload(path, data));
                    case 1 -> tus(path, data, 0, WEB_APP_PART);
                    default -> tus(path, data, 0, PART);
                }));
            }
            System.out.printf(
                    "    round %d: POST /files/upload %.0f MB/s, tus in one PATCH %.0f MB/s, tus in %d MiB PATCHes %.0f MB/s%n",
                    r + 1, mbps(BIG, nanos[0][r]), mbps(BIG, nanos[1][r]), PART >> 20, mbps(BIG, nanos[2][r]));
            // Deleted for good, so that the quota (2 GiB on the free plan) never limits the number of rounds.
            for (String id : ids) {
                api.postJson("/files/" + id + "/delete", "{\"move_to_trash\":false}");
            }
        }
        double plainRate = mbps(BIG, median(nanos[0]));
        String[] ways = {"tus in one PATCH, as the web app sends it", "tus in " + (PART >> 20) + " MiB PATCHes"};
        for (int way = 1; way <= 2; way++) {
            double rate = mbps(BIG, median(nanos[way]));
            rows.add(new String[] {
                "upload 64 MiB, median of " + rounds + " (limit: POST /files/upload; " + ways[way - 1] + ")",
                String.format(Locale.ROOT, "%.0f MB/s", plainRate),
                String.format(Locale.ROOT, "%.0f MB/s", rate),
                ratio(plainRate / rate)
            });
        }
        rows.add(wireRow(
                "bytes on the wire for 64 MiB, tus in one PATCH, requests and answers",
                median(wire[0]),
                median(wire[1])));
    }

    // ---- 1 (b): small files

    private void smallUploads(int count, int threads) {
        System.out.printf("==> %d uploads of 4 KiB, %d at a time, %d rounds%n", count, threads, SMALL_ROUNDS);
        String[] names = {"POST /files/upload", "tus, creation-with-upload", "tus, POST then PATCH"};
        long[][] nanos = new long[names.length][SMALL_ROUNDS];
        long[][] wire = new long[names.length][SMALL_ROUNDS];
        for (int way = 0; way < names.length; way++) {
            // Untimed: the first requests of each way (this JVM's JIT, the connections) weigh on no round.
            smallUploads(way, "/web-bench-" + run + "/small-warm-up-" + way, threads * 8, threads);
        }
        for (int round = 0; round < SMALL_ROUNDS; round++) {
            int r = round;
            for (int k = 0; k < names.length; k++) {
                // Rotated round by round, so that no way always runs first.
                int way = (k + r) % names.length;
                String folder = "/web-bench-" + run + "/small-" + way + "-" + r;
                wire[way][r] = wire(() -> nanos[way][r] = smallUploads(way, folder, count, threads));
            }
            System.out.printf(
                    "    round %d: POST /files/upload %.0f, tus with the body %.0f, tus POST then PATCH %.0f files/s%n",
                    r + 1, rate(count, nanos[0][r]), rate(count, nanos[1][r]), rate(count, nanos[2][r]));
        }
        double plain = rate(count, median(nanos[0]));
        for (int way = 1; way < names.length; way++) {
            double tus = rate(count, median(nanos[way]));
            rows.add(new String[] {
                count + " uploads of 4 KiB, " + threads + " at a time, median of " + SMALL_ROUNDS + " (limit: "
                        + names[0] + "; " + names[way] + ")",
                String.format(Locale.ROOT, "%.0f files/s", plain),
                String.format(Locale.ROOT, "%.0f files/s", tus),
                ratio(plain / tus)
            });
        }
        for (int way = 1; way < names.length; way++) {
            rows.add(wireRow(
                    "bytes on the wire per 4 KiB file, " + names[way] + ", requests and answers",
                    median(wire[0]) / count,
                    median(wire[way]) / count));
        }
    }

    /**
     * {@code count} new 4 KiB files in {@code folder}, {@code threads} at a time: way 0 by {@code POST /files/upload},
     * 1 by tus with the bytes in the {@code POST}, 2 by tus with an empty {@code POST} and a {@code PATCH}.
     */
    private long smallUploads(int way, String folder, int count, int threads) {
        return parallel(count, threads, i -> {
            byte[] data = random(SMALL);
            String path = folder + "/f" + i + ".bin";
            switch (way) {
                case 0 -> fileId(api.upload(path, data));
                case 1 -> tus(path, data, SMALL, WEB_APP_PART);
                default -> tus(path, data, 0, WEB_APP_PART);
            }
        });
    }

    // ---- tus, as tus-js-client sends it

    /**
     * A tus upload of {@code data} to {@code path}: {@code POST /files/tus} carrying the first {@code first} bytes (0:
     * none, as tus-js-client sends by default), then {@code PATCH}es of at most {@code part} bytes from the offset the
     * server answered. The metadata is the web app's: path, mode overwrite, client_modified. Returns the file id the
     * last answer names.
     */
    private String tus(String path, byte[] data, int first, int part) {
        HttpRequest.Builder create = api.request("/files/tus")
                .header("Tus-Resumable", TUS)
                .header("Upload-Length", Integer.toString(data.length))
                .header("Upload-Metadata", metadata(path));
        if (first > 0) {
            create.header("Content-Type", OFFSET_STREAM).POST(HttpRequest.BodyPublishers.ofByteArray(data, 0, first));
        } else {
            create.POST(HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> created = send(create);
        text(created);
        check(created.statusCode() == 201, "POST /files/tus answered " + created.statusCode());
        String location = created.headers()
                .firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("POST /files/tus answered no Location"));
        URI upload = URI.create(api.base() + "/").resolve(location);
        HttpResponse<InputStream> last = created;
        long offset = offset(created, first);
        while (offset < data.length) {
            int length = (int) Math.min(part, data.length - offset);
            HttpResponse<InputStream> patched = send(api.request(upload.getRawPath())
                    .header("Tus-Resumable", TUS)
                    .header("Upload-Offset", Long.toString(offset))
                    .header("Content-Type", OFFSET_STREAM)
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, (int) offset, length)));
            text(patched);
            check(patched.statusCode() == 204, "PATCH answered " + patched.statusCode());
            offset = offset(patched, offset + length);
            last = patched;
        }
        return last.headers()
                .firstValue("Syncbox-File-Id")
                .orElseThrow(() -> new IllegalStateException("the last tus answer named no Syncbox-File-Id"));
    }

    private static long offset(HttpResponse<?> response, long expected) {
        long offset = Long.parseLong(response.headers()
                .firstValue("Upload-Offset")
                .orElseThrow(() -> new IllegalStateException("a tus answer without Upload-Offset")));
        check(offset == expected, "Upload-Offset " + offset + ", expected " + expected);
        return offset;
    }

    private static String metadata(String path) {
        String modified = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        return "path " + base64(path) + ",mode " + base64("overwrite") + ",client_modified " + base64(modified);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    // ---- 2 (a): first thumbnails

    /** A picture uploaded, and the thumbnail the server made of it on the first request. */
    record Picture(String format, String fileId, byte[] thumbnail) {}

    private List<Picture> firstThumbnails(String format, int count) throws IOException {
        System.out.printf(
                "==> %d %s pictures of %dx%d (and %d to warm up): first thumbnail of %d%n",
                count, format, WIDTH, HEIGHT, WARM_UP, BOX);
        List<Picture> measured = new ArrayList<>();
        long[] server = new long[count];
        long[] plain = new long[count];
        long[] subsampled = new long[count];
        long sourceBytes = 0;
        int[] expected = Pictures.fit(WIDTH, HEIGHT, BOX);
        for (int i = -WARM_UP; i < count; i++) {
            byte[] picture = Pictures.make(
                    format, WIDTH, HEIGHT, ThreadLocalRandom.current().nextLong());
            String id = fileId(api.upload("/web-bench-" + run + "/pictures/p" + (i + WARM_UP) + "." + format, picture));
            byte[][] thumbnail = new byte[1][];
            long serverNanos = time(() -> thumbnail[0] = thumbnail(id));
            long plainNanos = time(() -> uncheckedIo(() -> Pictures.thumbnailPlain(picture, BOX)));
            long subsampledNanos = time(() -> uncheckedIo(() -> Pictures.thumbnailSubsampled(picture, BOX)));
            int[] size = Pictures.size(thumbnail[0]);
            check(
                    Arrays.equals(size, expected),
                    "the thumbnail is " + size[0] + "x" + size[1] + ", expected " + expected[0] + "x" + expected[1]);
            if (i >= 0) {
                server[i] = serverNanos;
                plain[i] = plainNanos;
                subsampled[i] = subsampledNanos;
                sourceBytes += picture.length;
                measured.add(new Picture(format, id, thumbnail[0]));
            }
        }
        String what = "first thumbnail of a " + WIDTH + "×" + HEIGHT + " " + format.toUpperCase(Locale.ROOT) + " ("
                + String.format(Locale.ROOT, "%.1f", sourceBytes / (double) count / 1e6) + " MB), " + count
                + " pictures";
        rows.add(latencyRow(
                what + ", median (limit: ImageIO in-process, decoded whole)", median(plain), median(server)));
        rows.add(latencyRow(what + ", p95 (limit: ImageIO in-process, decoded whole)", p95(plain), p95(server)));
        rows.add(latencyRow(
                what + ", median (limit: ImageIO in-process, subsampled as the server decodes)",
                median(subsampled),
                median(server)));
        return measured;
    }

    private byte[] thumbnail(String fileId) {
        HttpResponse<InputStream> response =
                send(api.request("/files/" + fileId + "/thumbnail?size=" + BOX).GET());
        byte[] jpeg = bytes(response);
        check(response.statusCode() == 200, "thumbnail answered " + response.statusCode());
        check(
                response.headers().firstValue("Content-Type").orElse("").startsWith("image/jpeg"),
                "the thumbnail is not image/jpeg");
        return jpeg;
    }

    // ---- 2 (b): cached thumbnails against a download of the same bytes

    private void cachedThumbnails(List<Picture> pictures, int requests, int threads) {
        System.out.printf(
                "==> cached thumbnails against downloads of their bytes: %d requests, %d at a time, " + "%d rounds%n",
                requests, threads, CACHED_ROUNDS);
        String[] copies = new String[pictures.size()];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = fileId(api.upload(
                    "/web-bench-" + run + "/thumbnail-bytes/t" + i + ".jpg",
                    pictures.get(i).thumbnail()));
        }
        LongSupplier thumbnails = () -> parallel(requests, threads, i -> {
            Picture p = pictures.get(i % pictures.size());
            byte[] got = thumbnail(p.fileId());
            check(
                    got.length == p.thumbnail().length,
                    "a cached thumbnail of " + got.length + " bytes, not " + p.thumbnail().length);
        });
        LongSupplier downloads = () -> parallel(requests, threads, i -> {
            HttpResponse<InputStream> response = send(
                    api.request("/files/download/" + copies[i % copies.length]).GET());
            long n = Gateway.drain(response);
            int expected = pictures.get(i % pictures.size()).thumbnail().length;
            check(n == expected, "a download of " + n + " bytes, not " + expected);
        });
        // Every thumbnail is asked for (its second request) and every copy downloaded once before timing.
        parallel(pictures.size(), threads, i -> thumbnail(pictures.get(i).fileId()));
        parallel(
                copies.length,
                threads,
                i -> Gateway.drain(
                        send(api.request("/files/download/" + copies[i]).GET())));
        long[] thumbnailNanos = new long[CACHED_ROUNDS];
        long[] downloadNanos = new long[CACHED_ROUNDS];
        for (int r = 0; r < CACHED_ROUNDS; r++) {
            if (r % 2 == 0) {
                downloadNanos[r] = downloads.getAsLong();
                thumbnailNanos[r] = thumbnails.getAsLong();
            } else {
                thumbnailNanos[r] = thumbnails.getAsLong();
                downloadNanos[r] = downloads.getAsLong();
            }
            System.out.printf(
                    "    round %d: download %.0f/s, thumbnail %.0f/s%n",
                    r + 1, rate(requests, downloadNanos[r]), rate(requests, thumbnailNanos[r]));
        }
        double download = rate(requests, median(downloadNanos));
        double thumbnail = rate(requests, median(thumbnailNanos));
        double average =
                pictures.stream().mapToInt(p -> p.thumbnail().length).average().orElse(0);
        rows.add(new String[] {
            "second thumbnail request (from S3), " + threads + " at a time, median of " + CACHED_ROUNDS
                    + " (limit: GET /files/download/{id} of a file of its bytes, "
                    + String.format(Locale.ROOT, "%.1f", average / 1024) + " KiB on average)",
            String.format(Locale.ROOT, "%.0f requests/s", download),
            String.format(Locale.ROOT, "%.0f requests/s", thumbnail),
            ratio(download / thumbnail)
        });
    }

    // ---- measuring

    private static long time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    /**
     * Runs {@code work} and returns the bytes the gateway logged for the requests it made (requests and answers), or
     * -1 without an access log. Nothing else should use the gateway meanwhile.
     */
    private long wire(Runnable work) {
        if (accessLog == null) {
            work.run();
            return -1;
        }
        try {
            long from = Files.size(accessLog);
            work.run();
            // nginx writes a request's line once its answer has gone.
            Thread.sleep(300);
            return DeltaWireBench.wireBytes(accessLog, from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface IoWork {
        byte[] run() throws IOException;
    }

    private static void uncheckedIo(IoWork work) {
        try {
            work.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileId(String uploadAnswer) {
        return field(uploadAnswer, "file_id");
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The nearest-rank 95th percentile. */
    private static long p95(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(0.95 * sorted.length) - 1)];
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static double rate(int count, long nanos) {
        return count / (nanos / 1e9);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    private static String[] latencyRow(String name, long limitNanos, long webNanos) {
        return new String[] {
            name,
            String.format(Locale.ROOT, "%.1f ms", limitNanos / 1e6),
            String.format(Locale.ROOT, "%.1f ms", webNanos / 1e6),
            ratio((double) webNanos / limitNanos)
        };
    }

    private static String[] wireRow(String name, long limit, long web) {
        String row = name + " (limit: POST /files/upload)";
        if (limit <= 0 || web <= 0) {
            return new String[] {row, "n/a", "n/a", "—"};
        }
        return new String[] {
            row,
            String.format(Locale.ROOT, "%,d B", limit),
            String.format(Locale.ROOT, "%,d B", web),
            String.format(Locale.ROOT, "%.4f×", (double) web / limit)
        };
    }
}
