package dev.syncbox.bench.throughput;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Row (b): files committed per second by {@code POST /files/commit_batch}, 1000 entries a call, several clients
 * (each its own user) at once. The blocks go first ({@code POST /blocks/upload_batch}, 1000 parts a call; or one
 * {@code PUT /blocks/{id}} each while upload_batch is missing), timed separately: the row is the commits.
 */
final class BatchCommits {

    record Result(
            boolean commitMissing,
            boolean uploadBatchMissing,
            long blocks,
            double blockSeconds,
            long committed,
            long failed,
            double commitSeconds,
            String firstError) {

        double filesPerSecond() {
            return committed / commitSeconds;
        }

        double blocksPerSecond() {
            return blocks / blockSeconds;
        }
    }

    private BatchCommits() {}

    static Result run(Plan plan, List<Api> clients, String tag) throws Exception {
        Reply probe = clients.get(0).postJson("/files/commit_batch", "{\"entries\":[]}");
        if (probe.endpointMissing()) {
            return new Result(true, false, 0, 0, 0, 0, 0, probe.toString());
        }
        int n = clients.size();
        List<List<List<SmallFile>>> batches = new ArrayList<>(); // client -> batch -> files; batch 0 warms up
        for (int c = 0; c < n; c++) {
            List<List<SmallFile>> mine = new ArrayList<>();
            for (int b = 0; b <= plan.batchesPerClient(); b++) {
                List<SmallFile> files = new ArrayList<>();
                for (int i = 0; i < (b == 0 ? 100 : Plan.BATCH); i++) {
                    files.add(SmallFile.random());
                }
                mine.add(files);
            }
            batches.add(mine);
        }
        boolean uploadBatchMissing = clients.get(0)
                .postMultipart("/blocks/upload_batch", Multipart.empty())
                .endpointMissing();

        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            long t0 = System.nanoTime();
            List<Future<Long>> uploads = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                Api api = clients.get(c);
                List<List<SmallFile>> mine = batches.get(c);
                uploads.add(pool.submit(() -> {
                    long blocks = 0;
                    for (List<SmallFile> files : mine) {
                        blocks += uploadBlocks(api, files, uploadBatchMissing);
                    }
                    return blocks;
                }));
            }
            long blocks = 0;
            for (Future<Long> f : uploads) {
                blocks += f.get();
            }
            double blockSeconds = (System.nanoTime() - t0) / 1e9;

            for (int c = 0; c < n; c++) { // warm-up: one batch of 100 each, not timed
                commit(
                        clients.get(c),
                        "/batch/" + tag + "/c" + c + "/warm",
                        batches.get(c).get(0));
            }
            long t1 = System.nanoTime();
            List<Future<long[]>> commits = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                Api api = clients.get(c);
                List<List<SmallFile>> mine = batches.get(c);
                String folder = "/batch/" + tag + "/c" + c + "/b";
                commits.add(pool.submit(() -> {
                    long ok = 0;
                    long failed = 0;
                    for (int b = 1; b < mine.size(); b++) {
                        long[] counts = commit(api, folder + b, mine.get(b));
                        ok += counts[0];
                        failed += counts[1];
                    }
                    return new long[] {ok, failed};
                }));
            }
            long committed = 0;
            long failed = 0;
            for (Future<long[]> f : commits) {
                long[] counts = f.get();
                committed += counts[0];
                failed += counts[1];
            }
            double commitSeconds = (System.nanoTime() - t1) / 1e9;
            return new Result(false, uploadBatchMissing, blocks, blockSeconds, committed, failed, commitSeconds, null);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long uploadBlocks(Api api, List<SmallFile> files, boolean oneByOne) {
        if (oneByOne) {
            for (SmallFile f : files) {
                api.putBlock(f.blockId(), f.data()).expect(200, "PUT /blocks/" + f.blockId());
            }
            return files.size();
        }
        Multipart body = new Multipart();
        files.forEach(f -> body.file(f.blockId(), f.data()));
        Reply reply = api.postMultipart("/blocks/upload_batch", body.finish()).expect(200, "upload_batch");
        int done = reply.count("status", "stored") + reply.count("status", "existing");
        if (done != files.size()) {
            throw new IllegalStateException("upload_batch stored " + done + " of " + files.size() + ": " + reply);
        }
        return done;
    }

    /** Commits {@code files} under {@code folder} in one call; returns {committed, refused}. */
    private static long[] commit(Api api, String folder, List<SmallFile> files) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            entries.add(files.get(i).commitJson(folder + "/f" + i + ".bin"));
        }
        Reply reply = api.postJson(
                        "/files/commit_batch",
                        "{\"entries\":[" + entries.stream().collect(Collectors.joining(",")) + "]}")
                .expect(200, "commit_batch");
        long ok = reply.body().split("\"version_id\"", -1).length - 1L;
        return new long[] {ok, files.size() - ok};
    }
}
