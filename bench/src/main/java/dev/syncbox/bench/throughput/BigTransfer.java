package dev.syncbox.bench.throughput;

/**
 * Row (d): one fresh big file (random bytes, never seen by the server) uploaded through the gateway and downloaded
 * back, each right after raw S3 moved the same bytes, so the pair shares the machine's state.
 */
final class BigTransfer {

    /** MB/s (10^6 bytes a second) of each; rawGet is the faster of the transfer manager and parallel ranges. */
    record Result(double rawPut, double upload, double rawGetTransferManager, double rawGetRanges, double download) {

        double rawGet() {
            return Math.max(rawGetTransferManager, rawGetRanges);
        }
    }

    private BigTransfer() {}

    static Result run(Api api, RawS3 s3, long size, String tag) {
        long seed = System.nanoTime();
        String key = "big-" + tag;
        double rawPut = s3.put(key, seed, size);
        log("raw S3 PUT (transfer manager, multipart): %.1f MB/s", rawPut);

        long t0 = System.nanoTime();
        String fileId = api.uploadStream("/big/" + tag + ".bin", size, () -> new RandomContent(seed, size))
                .expect(200, "big upload")
                .field("file_id");
        double upload = mbps(size, t0);
        log("syncbox upload through the gateway: %.1f MB/s", upload);

        double rawGetTm = s3.getWithTransferManager(key, size);
        double rawGetRanges = s3.getRanges(key, size, 4);
        log("raw S3 GET: transfer manager %.1f MB/s, 4 parallel 8 MiB ranges %.1f MB/s", rawGetTm, rawGetRanges);

        t0 = System.nanoTime();
        long read = api.drain("/files/download/" + fileId);
        double download = mbps(size, t0);
        if (read != size) {
            throw new IllegalStateException("downloaded " + read + " bytes of " + size);
        }
        log("syncbox download through the gateway: %.1f MB/s", download);
        // to the trash, so repeated runs on a shared stack do not pile up gigabytes under live files
        api.postJson("/files/" + fileId + "/delete", "{}");
        return new Result(rawPut, upload, rawGetTm, rawGetRanges, download);
    }

    private static double mbps(long bytes, long since) {
        return bytes / 1e6 / ((System.nanoTime() - since) / 1e9);
    }

    private static void log(String format, Object... args) {
        System.out.printf("    " + format + "%n", args);
    }
}
