package dev.syncbox.bench.throughput;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Row (c): p50/p95 of single requests at low load, one client, one request at a time. The operations take turns
 * round by round, so a change in the machine's load weighs on all of them alike.
 */
final class Latencies {

    /** The operations, in the order of a round; NO_OP (or GATEWAY while it is missing) is the others' limit. */
    enum Op {
        GATEWAY("gateway alone (GET /healthz, no service, no token)"),
        NO_OP("bare authenticated no-op (GET /auth/check)"),
        MKDIR("mkdir (POST /files/folder)"),
        MOVE("move (POST /files/move)"),
        FEED_PAGE("feed page (GET /files/sync, 11 changes)"),
        BLOCKS_CHECK("POST /blocks/check (5 known + 5 unknown)"),
        SMALL_COMMIT("small commit (POST /files/commit, 1 block)"),
        METADATA("metadata (GET /files/{id}/metadata)");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    record Result(Map<Op, Samples> samples, Set<Op> missing) {}

    private Latencies() {}

    static Result run(Plan plan, String gateway, String email, Api feedWriter, String feedEmail, String tag) {
        Api api = Api.login(gateway, email, "latency");
        int rounds = plan.latencyWarmUpRounds() + plan.latencyRounds();
        String base = "/lat/" + tag;
        for (int r = 0; r < rounds; r++) { // folders for the moves, made before anything is timed
            api.postJson("/files/folder", "{\"path\":\"" + base + "/from/d" + r + "\"}")
                    .expect(201, "mkdir");
        }
        api.postJson("/files/folder", "{\"path\":\"" + base + "/to\"}").expect(201, "mkdir");
        SmallFile committed = SmallFile.random();
        api.putBlock(committed.blockId(), committed.data()).expect(200, "PUT block");
        List<String> known = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SmallFile f = SmallFile.random();
            api.putBlock(f.blockId(), f.data()).expect(200, "PUT block");
            known.add('"' + f.blockId() + '"');
        }
        for (int i = 0; i < 5; i++) {
            known.add('"' + SmallFile.random().blockId() + '"');
        }
        String check = "{\"block_hashes\":[" + String.join(",", known) + "]}";
        String fileId = api.upload(base + "/meta.bin", SmallFile.random().data())
                .expect(200, "upload")
                .field("file_id");

        Api feedReader = Api.login(gateway, feedEmail, "feed-reader");
        String cursor = drain(feedReader);
        for (int i = 0; i < 10; i++) { // 10 folders and their parent: 11 changes on the page
            feedWriter
                    .postJson("/files/folder", "{\"path\":\"/feed/" + tag + "/d" + i + "\"}")
                    .expect(201, "mkdir");
        }
        String page = "/files/sync?limit=2000&cursor=" + cursor;

        Map<Op, List<Long>> nanos = new LinkedHashMap<>();
        Set<Op> missing = new HashSet<>();
        for (Op op : Op.values()) {
            nanos.put(op, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (Op op : Op.values()) {
                if (missing.contains(op)) {
                    continue;
                }
                int round = r;
                long t0 = System.nanoTime();
                Reply reply = switch (op) {
                    case GATEWAY -> api.get("/healthz");
                    case NO_OP -> api.get("/auth/check");
                    case MKDIR -> api.postJson("/files/folder", "{\"path\":\"" + base + "/new/d" + round + "\"}");
                    case MOVE ->
                        api.postJson(
                                "/files/move",
                                "{\"from_path\":\"" + base + "/from/d" + round + "\",\"to_path\":\"" + base + "/to/d"
                                        + round + "\"}");
                    case FEED_PAGE -> feedReader.get(page);
                    case BLOCKS_CHECK -> api.postJson("/blocks/check", check);
                    case SMALL_COMMIT ->
                        api.postJson("/files/commit", committed.commitJson(base + "/commit/f" + round + ".bin"));
                    case METADATA -> api.get("/files/" + fileId + "/metadata");
                };
                long t1 = System.nanoTime();
                if (reply.endpointMissing()) {
                    missing.add(op);
                } else if (!reply.ok()) {
                    throw new IllegalStateException(op.label + " -> " + reply);
                } else if (r >= plan.latencyWarmUpRounds()) {
                    nanos.get(op).add(t1 - t0);
                }
            }
        }
        Map<Op, Samples> samples = new LinkedHashMap<>();
        nanos.forEach((op, list) -> samples.put(op, Samples.of(list)));
        return new Result(samples, missing);
    }

    /** Reads the feed to its end (the first sync of a new device) and returns the cursor. */
    private static String drain(Api device) {
        String cursor = null;
        while (true) {
            Reply page = device.get("/files/sync?limit=2000" + (cursor == null ? "" : "&cursor=" + cursor))
                    .expect(200, "feed");
            cursor = page.field("next_cursor");
            if (!page.body().contains("\"has_more\":true")) {
                return cursor;
            }
        }
    }
}
