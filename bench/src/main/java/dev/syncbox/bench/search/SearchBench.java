package dev.syncbox.bench.search;

import dev.syncbox.bench.throughput.Multipart;
import dev.syncbox.core.hash.BlockId;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.search.IndexTerms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search at 200,000 files (issue 17, docs/benchmarks.md), three figures each beside a limit measured in the same run:
 *
 * <ol>
 *   <li>Indexing throughput. One bench user gets 200,000 files through the API, as a client writes them: the blocks
 *       by {@code POST /blocks/upload_batch}, the files by {@code POST /files/commit_batch} (1,000 a call), so files,
 *       versions, journal, folders, block refcounts are exactly what the services write. One file in ten is a text
 *       file with its own generated English-like text (300 B to 4 KiB, one block), which the indexer reads back from
 *       the block store and gives to Tika; the others are photos, music, archives and images with names and folders,
 *       each naming one of a pool of random blocks. While the files are committed the benchmark holds the indexer's
 *       job lock (the PostgreSQL advisory lock its passes take), so the indexer starts on the whole backlog at once:
 *       (a) tailing is timed from the lock's release, all entries committed, to the namespace's cursor reaching its
 *       journal head; (b) a full reindex ({@code POST /actuator/indexer {"action":"reindex"}}) is timed as called.
 *       The limit: the same number of equivalent documents (same fields, same texts) sent by {@code _bulk} straight
 *       to a scratch index with the same mapping, 500 a request as the indexer sends them, from two threads.
 *   <li>Lag from commit to searchable: a file with a unique name is uploaded through the gateway (four at a time,
 *       each after a random pause of up to a second), then {@code GET /files/search?q=name} is polled every 20 ms
 *       until it finds it; from the upload's 200 to the first find.
 *   <li>Query latency of name, path and content queries through the gateway, against the same queries sent straight
 *       to Elasticsearch as the bool query {@code FileIndex} builds.
 * </ol>
 *
 * <p>Usage: {@code SearchBench <gateway> <indexer> <elasticsearch> <jdbc-url> [files] [lag-samples] [queries]
 * [query-threads]} (defaults 200000, 200, 500, 2).
 */
public final class SearchBench {

    private static final ExecutorService HTTP_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "http");
        t.setDaemon(true);
        return t;
    });
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(HTTP_THREADS)
            .build();
    private static final int COMMIT_BATCH = 1000;
    private static final int UPLOAD_BATCH = 500;
    private static final int BULK = 500;

    private SearchBench() {}

    public static void main(String[] args) throws Exception {
        String gateway = arg(args, 0, "http://127.0.0.1:8080");
        String indexer = arg(args, 1, "http://127.0.0.1:8085");
        String es = arg(args, 2, "http://127.0.0.1:19200");
        String jdbc = arg(args, 3, "jdbc:postgresql://127.0.0.1:15432/syncbox");
        int files = Integer.parseInt(arg(args, 4, "200000"));
        int lagSamples = Integer.parseInt(arg(args, 5, "200"));
        int queries = Integer.parseInt(arg(args, 6, "500"));
        int queryThreads = Integer.parseInt(arg(args, 7, "2"));
        Table table = new Table();
        log("load average at start: " + loadAverage());

        // ---------------------------------------------------------------- seeding
        String email = "search-bench-" + System.currentTimeMillis() + "@example.test";
        String bearer = signUp(gateway, email);
        long userId;
        long namespace;
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            long[] ids = longs(db, "SELECT user_id, root_namespace_id FROM users WHERE email = ?", email);
            userId = ids[0];
            namespace = ids[1];
        }
        long generating = System.nanoTime();
        Corpus corpus = Corpus.generate(files, new Random(17));
        log(String.format(
                "corpus: %,d files (%,d text files, %,d bytes of text), %,d folders, %,d distinct blocks; generated in"
                        + " %.1f s",
                corpus.entries.size(),
                corpus.textFiles(),
                corpus.textBytes(),
                corpus.folders.size(),
                corpus.blocks.size(),
                seconds(generating)));
        long uploading = System.nanoTime();
        uploadBlocks(gateway, bearer, corpus);
        log(String.format("blocks uploaded (upload_batch, %d a call) in %.1f s", UPLOAD_BATCH, seconds(uploading)));

        long head;
        double tailSeconds;
        double seedSeconds;
        try (Connection lock = DriverManager.getConnection(jdbc, "postgres", "");
                Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            long waiting = System.nanoTime();
            execute(lock, "SELECT pg_advisory_lock(hashtext('syncbox.indexer'))");
            log(String.format("holding the indexer's job lock (waited %.1f s for its pass to end)", seconds(waiting)));
            long seeding = System.nanoTime();
            commitAll(gateway, bearer, corpus);
            seedSeconds = seconds(seeding);
            head = longs(db, "SELECT last_seq FROM namespaces WHERE namespace_id = ?", namespace)[0];
            log(String.format(
                    "committed %,d files in %.1f s (%,.0f files/s, commit_batch of %d, 2 clients); journal head %,d",
                    corpus.entries.size(), seedSeconds, corpus.entries.size() / seedSeconds, COMMIT_BATCH, head));
            long released = System.nanoTime();
            execute(lock, "SELECT pg_advisory_unlock(hashtext('syncbox.indexer'))");
            long lastLog = System.nanoTime();
            while (true) {
                long cursor = longs(
                        db, "SELECT COALESCE((SELECT seq FROM indexer_cursors WHERE namespace_id = ?), 0)", namespace)[
                        0];
                if (cursor >= head) {
                    break;
                }
                if (System.nanoTime() - lastLog > 10_000_000_000L) {
                    String status = send(HttpRequest.newBuilder(URI.create(indexer + "/actuator/indexer")), 200)
                            .body();
                    log(String.format(
                            "  tailing: cursor %,d of %,d after %.0f s; indexer: %s",
                            cursor, head, seconds(released), status.substring(0, Math.min(300, status.length()))));
                    lastLog = System.nanoTime();
                }
                Thread.sleep(50);
            }
            tailSeconds = seconds(released);
        }
        send(HttpRequest.newBuilder(URI.create(es + "/syncbox-files/_refresh")).POST(noBody()), 200);
        long documents = count(es, namespace);
        double tailRate = documents / tailSeconds;
        log(String.format(
                "tailing: %,d entries, %,d documents in the index for the namespace, %.1f s, %,.0f docs/s; load %s",
                head, documents, tailSeconds, tailRate, loadAverage()));

        long reindexing = System.nanoTime();
        String rebuilt = send(
                        HttpRequest.newBuilder(URI.create(indexer + "/actuator/indexer"))
                                .timeout(Duration.ofMinutes(20))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"reindex\"}")),
                        200)
                .body();
        double reindexSeconds = seconds(reindexing);
        long reindexed = Long.parseLong(field(rebuilt, "documents"));
        double reindexRate = reindexed / reindexSeconds;
        log(String.format(
                "reindex: %,d documents (all namespaces) in %.1f s, %,.0f docs/s: %s; load %s",
                reindexed, reindexSeconds, reindexRate, rebuilt, loadAverage()));

        double bulkRate = rawBulk(es, corpus, namespace, userId, documents);
        table.row(
                "indexing: tailing a backlog of " + String.format("%,d", head) + " journal entries",
                "—",
                String.format("**%,.0f docs/s** (%,d docs in %.1f s)", tailRate, documents, tailSeconds),
                String.format("raw `_bulk` %,.0f docs/s", bulkRate),
                String.format("%.2f×", tailRate / bulkRate));
        table.row(
                "indexing: full reindex (`{\"action\":\"reindex\"}`)",
                "—",
                String.format("**%,.0f docs/s** (%,d docs in %.1f s)", reindexRate, reindexed, reindexSeconds),
                String.format("raw `_bulk` %,.0f docs/s", bulkRate),
                String.format("%.2f×", reindexRate / bulkRate));

        // ---------------------------------------------------------------- lag
        Samples lag = lag(gateway, bearer, lagSamples);
        table.row(
                "commit to searchable, p50 (" + lag.size() + " uploads, 4 at a time)",
                "",
                String.format("%.0f ms", lag.pct(50)),
                "",
                "");
        table.row(
                "commit to searchable, p95",
                "< 2 s",
                String.format("**%.0f ms**", lag.pct(95)),
                String.format("max %.0f ms", lag.pct(100)),
                "");

        // ---------------------------------------------------------------- queries
        Random random = new Random(42);
        Map<String, List<String[]>> kinds = new LinkedHashMap<>();
        kinds.put("name", corpus.queries(random, queries + 100, Corpus::nameQuery));
        kinds.put("path", corpus.queries(random, queries + 100, Corpus::pathQuery));
        kinds.put("content", corpus.queries(random, queries + 100, Corpus::contentQuery));
        for (Map.Entry<String, List<String[]>> kind : kinds.entrySet()) {
            List<String[]> list = kind.getValue();
            Function<String[], HttpRequest> viaGateway = q -> HttpRequest.newBuilder(
                            URI.create(gateway + "/files/search?q=" + URLEncoder.encode(q[0], StandardCharsets.UTF_8)))
                    .header("Authorization", bearer)
                    .build();
            Function<String[], HttpRequest> direct =
                    q -> HttpRequest.newBuilder(URI.create(es + "/syncbox-files/_search"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(esQuery(q, namespace)))
                            .build();
            latencies(list.subList(0, 100), viaGateway, queryThreads); // warm-up
            latencies(list.subList(0, 100), direct, queryThreads);
            Samples gw = latencies(list.subList(100, list.size()), viaGateway, queryThreads);
            Samples raw = latencies(list.subList(100, list.size()), direct, queryThreads);
            log(String.format(
                    "%s queries (e.g. %s): gateway p50 %.1f p95 %.1f ms, %.1f matches on average; Elasticsearch p50 %.1f"
                            + " p95 %.1f ms",
                    kind.getKey(),
                    examples(list),
                    gw.pct(50),
                    gw.pct(95),
                    gw.hits() / (double) gw.size(),
                    raw.pct(50),
                    raw.pct(95)));
            table.row(
                    kind.getKey() + " query, p50 (" + gw.size() + ", " + queryThreads + " at a time)",
                    "",
                    String.format("%.1f ms", gw.pct(50)),
                    String.format("Elasticsearch %.1f ms", raw.pct(50)),
                    String.format("%.1f×", gw.pct(50) / raw.pct(50)));
            table.row(
                    kind.getKey() + " query, p95",
                    "< 50 ms",
                    String.format("**%.1f ms**", gw.pct(95)),
                    String.format("Elasticsearch %.1f ms", raw.pct(95)),
                    String.format("%.1f×", gw.pct(95) / raw.pct(95)));
        }
        log("load average at the end: " + loadAverage());
        System.out.println();
        table.print();
    }

    // ------------------------------------------------------------------ the corpus

    /** A file to commit: its path, its one block and, for a text file, its text. */
    record Entry(String path, String blockId, int size, String contentHash, String text) {}

    /** A block to upload. */
    record Block(String id, byte[] data) {}

    /** 200,000 files of one user: names, folders and texts from fixed word lists, seeded. */
    static final class Corpus {

        private static final String[] TOPICS =
                words("budget invoice report meeting roadmap contract proposal summary receipt schedule design research"
                        + " travel recipe garden insurance mortgage taxes payroll hiring onboarding marketing launch"
                        + " quarterly annual strategy customer supplier inventory shipping warranty lease renovation"
                        + " wedding birthday school homework thesis lecture syllabus grant patent audit compliance"
                        + " security backup migration release feedback survey interview benchmark analysis forecast"
                        + " pricing expenses donation volunteer fitness nutrition medical vaccine passport visa");
        private static final String[] KINDS = words(
                "notes draft final review plan minutes todo ideas outline letter checklist agenda memo summary v2");
        private static final String[] PLACES = words(
                "lisbon paris berlin tokyo kyoto rome madrid oslo vienna prague dublin boston seattle denver austin"
                        + " chicago sydney cairo nairobi lima quito porto seville naples zurich geneva krakow riga"
                        + " tallinn helsinki");
        private static final String[] PROJECTS =
                words("apollo hermes atlas phoenix orion nebula falcon aurora zephyr titan comet harbor summit beacon"
                        + " lighthouse meadow granite cobalt saffron juniper");
        private static final String[] DEVICES = words("laptop desktop phone tablet server");
        /** Content words, most frequent first: drawn with Zipf's law, as words of real text are. */
        private static final String[] VOCABULARY =
                words("the of and to a in is it that for was on are as with be at this have from or by one had not but"
                        + " what all were when we there can an your which their said if do will each about how up out"
                        + " them then she many some so these would other into has more her two like him see time could"
                        + " no make than first been its who now people my made over did down only way find use may"
                        + " water long little very after words called just where most know get through back much"
                        + " before go good new write our used me man too any day same right look think also around"
                        + " another came come work three word must because does part even place well such here take"
                        + " why things help put years different away again off went old number great tell men say"
                        + " small every found still between name should home big give air line set own under read"
                        + " last never us left end along while might next sound below saw something thought both few"
                        + " those always looked show large often together asked house world going want school"
                        + " important until form food keep children feet land side without boy once animals life"
                        + " enough took sometimes four head above kind began almost live page got earth need far hand"
                        + " high year mother light parts country father let night following picture being study"
                        + " second eyes soon times story boys since white days ever paper hard near sentence better"
                        + " best across during today others however sure means knew try told young miles sun ways"
                        + " thing whole hear example heard several change answer room sea against top turned learn"
                        + " point city play toward five using himself usually budget invoice meeting contract"
                        + " customer project release quarter revenue schedule deadline proposal garden recipe travel"
                        + " lisbon harbor summit beacon cobalt saffron juniper orion phoenix atlas");

        private static final double[] ZIPF = zipf(VOCABULARY.length);

        final List<Entry> entries = new ArrayList<>();
        final List<Block> blocks = new ArrayList<>();
        final Set<String> folders = new TreeSet<>();

        static Corpus generate(int files, Random random) {
            Corpus corpus = new Corpus();
            List<Block> pool = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                byte[] data = new byte[1024 + random.nextInt(7 * 1024)];
                random.nextBytes(data);
                pool.add(new Block(BlockId.of(data, 0, data.length), data));
            }
            corpus.blocks.addAll(pool);
            Map<String, String> hashes = new LinkedHashMap<>();
            for (Block block : pool) {
                hashes.put(block.id(), ContentHasher.of(block.data()));
            }
            for (int i = 0; i < files; i++) {
                String path;
                if (i % 10 == 0) {
                    path = "/Documents/" + cap(pick(TOPICS, random)) + "/" + cap(pick(TOPICS, random)) + "/"
                            + pick(TOPICS, random) + "-" + pick(KINDS, random) + "-" + i
                            + (random.nextInt(4) == 0 ? ".md" : ".txt");
                    byte[] text = text(random, 300 + (int) Math.round(Math.pow(random.nextDouble(), 2) * 3800))
                            .getBytes(StandardCharsets.UTF_8);
                    String id = BlockId.of(text, 0, text.length);
                    corpus.blocks.add(new Block(id, text));
                    corpus.add(new Entry(
                            path, id, text.length, ContentHasher.of(text), new String(text, StandardCharsets.UTF_8)));
                    continue;
                }
                switch (i % 4) {
                    case 0 -> {
                        int year = 2015 + random.nextInt(12);
                        path = "/Photos/" + year + "/" + cap(pick(PLACES, random)) + "/IMG_" + year
                                + String.format("%02d%02d_%06d", 1 + random.nextInt(12), 1 + random.nextInt(28), i)
                                + ".jpg";
                    }
                    case 1 ->
                        path = "/Music/" + cap(pick(VOCABULARY, 200, random)) + " "
                                + cap(pick(PROJECTS, random)) + "/" + String.format("%02d ", 1 + random.nextInt(14))
                                + cap(pick(VOCABULARY, 150, random)) + " " + cap(pick(VOCABULARY, 150, random)) + " "
                                + i
                                + ".mp3";
                    case 2 ->
                        path = "/Work/Projects/" + cap(pick(PROJECTS, random)) + "/assets/"
                                + pick(TOPICS, random) + "-" + pick(PLACES, random) + "-" + i
                                + (random.nextBoolean() ? ".png" : ".psd");
                    default ->
                        path = "/Backups/" + pick(DEVICES, random) + "/" + pick(PROJECTS, random) + "/"
                                + pick(TOPICS, random) + "-backup-" + i + (random.nextBoolean() ? ".zip" : ".bin");
                }
                Block block = pool.get(random.nextInt(pool.size()));
                corpus.add(new Entry(path, block.id(), block.data().length, hashes.get(block.id()), null));
            }
            return corpus;
        }

        private void add(Entry entry) {
            entries.add(entry);
            for (int slash = entry.path().indexOf('/', 1);
                    slash > 0;
                    slash = entry.path().indexOf('/', slash + 1)) {
                folders.add(entry.path().substring(0, slash));
            }
        }

        long textFiles() {
            return entries.stream().filter(e -> e.text() != null).count();
        }

        long textBytes() {
            return entries.stream()
                    .filter(e -> e.text() != null)
                    .mapToLong(Entry::size)
                    .sum();
        }

        List<String[]> queries(Random random, int n, QueryMaker maker) {
            List<String[]> list = new ArrayList<>();
            while (list.size() < n) {
                String[] q = maker.make(this, random);
                if (q != null) {
                    list.add(q);
                }
            }
            return list;
        }

        interface QueryMaker {
            /** {query, expected word} or null to draw again. */
            String[] make(Corpus corpus, Random random);
        }

        /** One or two words of a file's name, the last typed half-way (the name clause matches prefixes). */
        static String[] nameQuery(Corpus corpus, Random random) {
            Entry entry = corpus.entries.get(random.nextInt(corpus.entries.size()));
            List<String> words = letterWords(IndexTerms.name(entry.path()));
            if (words.isEmpty()) {
                return null;
            }
            String first = words.get(random.nextInt(words.size()));
            if (words.size() > 1 && random.nextBoolean()) {
                String second = words.get(random.nextInt(words.size()));
                if (!second.equals(first)) {
                    return new String[] {first + " " + second.substring(0, Math.max(3, second.length() - 2))};
                }
            }
            return new String[] {first};
        }

        /** One or two words of a file's folders. */
        static String[] pathQuery(Corpus corpus, Random random) {
            Entry entry = corpus.entries.get(random.nextInt(corpus.entries.size()));
            List<String> words =
                    letterWords(entry.path().substring(0, entry.path().lastIndexOf('/')));
            if (words.isEmpty()) {
                return null;
            }
            Collections.shuffle(words, random);
            return new String[] {String.join(" ", words.subList(0, Math.min(words.size(), 1 + random.nextInt(2))))};
        }

        /** Two words of a text file's text (both in that file), or a quoted phrase of three from it. */
        static String[] contentQuery(Corpus corpus, Random random) {
            Entry entry = corpus.entries.get(10 * random.nextInt(corpus.entries.size() / 10));
            if (entry.text() == null) {
                return null;
            }
            String[] words = entry.text().toLowerCase(Locale.ROOT).split("[^a-z]+");
            if (words.length < 10) {
                return null;
            }
            int at = 1 + random.nextInt(words.length - 4);
            if (random.nextInt(5) == 0) {
                return new String[] {"\"" + words[at] + " " + words[at + 1] + " " + words[at + 2] + "\""};
            }
            String other = words[1 + random.nextInt(words.length - 1)];
            return new String[] {words[at] + " " + other};
        }

        private static List<String> letterWords(String text) {
            List<String> words = new ArrayList<>();
            for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                if (w.length() >= 3
                        && !Set.of("img", "jpg", "mp3", "png", "psd", "zip", "bin", "txt")
                                .contains(w)) {
                    words.add(w);
                }
            }
            return words;
        }

        private static String text(Random random, int bytes) {
            StringBuilder text = new StringBuilder(bytes + 100);
            while (text.length() < bytes) {
                int n = 6 + random.nextInt(10);
                for (int w = 0; w < n; w++) {
                    String word = VOCABULARY[zipfPick(random)];
                    text.append(w == 0 ? cap(word) : word).append(w == n - 1 ? ". " : " ");
                }
                if (random.nextInt(6) == 0) {
                    text.append("\n\n");
                }
            }
            return text.toString().strip();
        }

        private static int zipfPick(Random random) {
            int at = java.util.Arrays.binarySearch(ZIPF, random.nextDouble());
            return Math.min(ZIPF.length - 1, at >= 0 ? at : -at - 1);
        }

        private static double[] zipf(int n) {
            double[] cumulative = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1.0 / (i + 1);
                cumulative[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cumulative[i] /= sum;
            }
            return cumulative;
        }

        private static String pick(String[] words, Random random) {
            return words[random.nextInt(words.length)];
        }

        private static String pick(String[] words, int from, Random random) {
            return words[from + random.nextInt(words.length - from)];
        }

        private static String[] words(String list) {
            return list.split(" ");
        }

        private static String cap(String word) {
            return Character.toUpperCase(word.charAt(0)) + word.substring(1);
        }
    }

    // ------------------------------------------------------------------ seeding through the API

    private static void uploadBlocks(String gateway, String bearer, Corpus corpus) throws Exception {
        List<List<Block>> batches = chunks(corpus.blocks, UPLOAD_BATCH);
        parallel(2, batches, batch -> {
            Multipart body = new Multipart();
            batch.forEach(b -> body.file(b.id(), b.data()));
            String reply = send(
                            HttpRequest.newBuilder(URI.create(gateway + "/blocks/upload_batch"))
                                    .header("Authorization", bearer)
                                    .header("Content-Type", Multipart.CONTENT_TYPE)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.finish())),
                            200)
                    .body();
            int done = occurrences(reply, "\"stored\"") + occurrences(reply, "\"existing\"");
            if (done != batch.size()) {
                throw new IllegalStateException("upload_batch stored " + done + " of " + batch.size() + ": "
                        + reply.substring(0, Math.min(500, reply.length())));
            }
        });
    }

    private static void commitAll(String gateway, String bearer, Corpus corpus) throws Exception {
        List<List<Entry>> batches = chunks(corpus.entries, COMMIT_BATCH);
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        parallel(2, batches, batch -> {
            StringBuilder json = new StringBuilder("{\"entries\":[");
            for (int i = 0; i < batch.size(); i++) {
                Entry e = batch.get(i);
                json.append(i == 0 ? "" : ",")
                        .append("{\"file_path\":\"")
                        .append(jsonText(e.path()))
                        .append("\",\"parent_version_id\":null,\"blocks\":[\"")
                        .append(e.blockId())
                        .append("\"],\"size\":")
                        .append(e.size())
                        .append(",\"content_hash\":\"")
                        .append(e.contentHash())
                        .append("\"}");
            }
            json.append("]}");
            String reply = send(
                            HttpRequest.newBuilder(URI.create(gateway + "/files/commit_batch"))
                                    .timeout(Duration.ofMinutes(5))
                                    .header("Authorization", bearer)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json.toString())),
                            200)
                    .body();
            int ok = occurrences(reply, "\"version_id\"");
            if (ok != batch.size()) {
                throw new IllegalStateException("commit_batch committed " + ok + " of " + batch.size() + ": "
                        + reply.substring(0, Math.min(800, reply.length())));
            }
            int n = done.addAndGet(batch.size());
            if (n % 50_000 == 0) {
                log(String.format("  committed %,d after %.0f s", n, seconds(start)));
            }
        });
    }

    // ------------------------------------------------------------------ the limit: a raw bulk

    /** Docs/s of a raw {@code _bulk} of {@code count} documents like the corpus's into a scratch index. */
    private static double rawBulk(String es, Corpus corpus, long namespace, long owner, long count) throws Exception {
        String mapping = send(HttpRequest.newBuilder(URI.create(es + "/syncbox-files/_mapping")), 200)
                .body();
        int at = mapping.indexOf("\"mappings\":");
        String mappings = object(mapping, mapping.indexOf('{', at));
        String scratch = "search-bench-scratch-" + System.currentTimeMillis();
        send(
                HttpRequest.newBuilder(URI.create(es + "/" + scratch))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,"
                                        + "\"refresh_interval\":\"1s\"},\"mappings\":" + mappings + "}")),
                200);
        try {
            List<String> sources = new ArrayList<>();
            long now = System.currentTimeMillis();
            int id = 0;
            for (String folder : corpus.folders) {
                sources.add(source(
                        String.format("BENCHDIR%018d", id++), namespace, owner, folder, true, 0, now, null, null));
            }
            for (Entry e : corpus.entries) {
                sources.add(source(
                        String.format("BENCHFILE%017d", id++),
                        namespace,
                        owner,
                        e.path(),
                        false,
                        e.size(),
                        now,
                        e.contentHash(),
                        e.text()));
            }
            if (sources.size() > count) {
                sources = new ArrayList<>(sources.subList(sources.size() - (int) count, sources.size()));
            }
            List<byte[]> bodies = new ArrayList<>();
            for (List<String> chunk : chunks(sources, BULK)) {
                StringBuilder body = new StringBuilder();
                for (String source : chunk) {
                    body.append("{\"index\":{\"_id\":\"")
                            .append(source, 12, 12 + 26)
                            .append("\"}}\n")
                            .append(source)
                            .append('\n');
                }
                bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
            }
            long start = System.nanoTime();
            parallel(2, bodies, body -> {
                String reply = send(
                                HttpRequest.newBuilder(URI.create(es + "/" + scratch + "/_bulk"))
                                        .timeout(Duration.ofMinutes(5))
                                        .header("Content-Type", "application/x-ndjson")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                                200)
                        .body();
                if (!reply.startsWith("{\"errors\":false")) {
                    throw new IllegalStateException(
                            "bulk refused: " + reply.substring(0, Math.min(800, reply.length())));
                }
            });
            double secs = seconds(start);
            log(String.format(
                    "raw _bulk: %,d documents, %d a request, 2 threads, in %.1f s: %,.0f docs/s; load %s",
                    sources.size(), BULK, secs, sources.size() / secs, loadAverage()));
            return sources.size() / secs;
        } finally {
            send(HttpRequest.newBuilder(URI.create(es + "/" + scratch)).DELETE(), 200);
        }
    }

    /** The source FileIndex writes for an entry ({@code file_id} first, 26 characters, at offset 12). */
    private static String source(
            String fileId,
            long namespace,
            long owner,
            String path,
            boolean dir,
            long size,
            long modified,
            String contentHash,
            String content) {
        String name = IndexTerms.name(path);
        String extension = dir ? "" : IndexTerms.extension(name);
        String category = IndexTerms.category(extension, dir);
        List<String> folders = new ArrayList<>();
        for (String folder : IndexTerms.folders(path.toLowerCase(Locale.ROOT))) {
            folders.add("\"" + jsonText(folder) + "\"");
        }
        return "{\"file_id\":\"" + fileId + "\",\"namespace_id\":" + namespace + ",\"owner_id\":" + owner
                + ",\"path\":\"" + jsonText(path) + "\",\"name\":\"" + jsonText(name) + "\",\"name_words\":\""
                + jsonText(String.join(" ", IndexTerms.words(name))) + "\",\"path_words\":\""
                + jsonText(String.join(" ", IndexTerms.words(IndexTerms.parent(path)))) + "\",\"folders\":["
                + String.join(",", folders)
                + "],\"extension\":\"" + extension + "\",\"category\":\"" + category + "\",\"is_dir\":" + dir
                + ",\"size\":" + size + ",\"modified_at\":" + modified + ",\"content_hash\":"
                + (contentHash == null ? "null" : "\"" + contentHash + "\"") + ",\"content\":"
                + (content == null ? "null" : "\"" + jsonText(content) + "\"") + "}";
    }

    // ------------------------------------------------------------------ lag

    private static Samples lag(String gateway, String bearer, int samples) throws Exception {
        Samples lag = new Samples();
        AtomicInteger left = new AtomicInteger(samples);
        AtomicInteger missed = new AtomicInteger();
        List<Integer> workers = List.of(0, 1, 2, 3);
        parallel(4, workers, w -> {
            while (left.getAndDecrement() > 0) {
                // A random pause first: an upload right after the refresh that showed the last one would wait
                // almost a whole refresh interval every time, and the samples would all sit at about 1 s.
                sleep(ThreadLocalRandom.current().nextInt(1000));
                String token = token();
                String path = "/Lag probes/" + token + ".txt";
                byte[] content = ("Lag probe " + token + ", written to be found.\n").getBytes(StandardCharsets.UTF_8);
                Multipart body = new Multipart()
                        .field("file_path", path)
                        .field("file_size", Integer.toString(content.length))
                        .file("content", content);
                send(
                        HttpRequest.newBuilder(URI.create(gateway + "/files/upload"))
                                .header("Authorization", bearer)
                                .header("Content-Type", Multipart.CONTENT_TYPE)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.finish())),
                        200);
                long committed = System.nanoTime();
                HttpRequest search = HttpRequest.newBuilder(URI.create(gateway + "/files/search?q=" + token))
                        .header("Authorization", bearer)
                        .build();
                while (true) {
                    if (send(search, 200).body().contains(token + ".txt")) {
                        lag.add((System.nanoTime() - committed) / 1e6, 1);
                        break;
                    }
                    if (System.nanoTime() - committed > 30_000_000_000L) {
                        missed.incrementAndGet();
                        break;
                    }
                    sleep(20);
                }
            }
        });
        log(String.format(
                "lag: %d samples, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms, %d not found within 30 s; load %s",
                lag.size(), lag.pct(50), lag.pct(95), lag.pct(99), lag.pct(100), missed.get(), loadAverage()));
        return lag;
    }

    private static String token() {
        StringBuilder token = new StringBuilder("zq");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 12; i++) {
            token.append((char) ('a' + random.nextInt(26)));
        }
        return token.toString();
    }

    // ------------------------------------------------------------------ queries

    /** The query FileIndex.search sends for {@code q}, in one namespace, as Elasticsearch JSON. */
    private static String esQuery(String[] q, long namespace) {
        String text = q[0].strip();
        boolean phrase = text.length() > 2 && text.startsWith("\"") && text.endsWith("\"");
        if (phrase) {
            text = text.substring(1, text.length() - 1).strip();
        }
        String words = String.join(" ", text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .strip();
        String content = phrase
                ? "{\"match_phrase\":{\"content\":{\"query\":\"" + jsonText(text) + "\"}}}"
                : "{\"match\":{\"content\":{\"query\":\"" + jsonText(text) + "\",\"operator\":\"and\"}}}";
        return "{\"size\":21,\"track_scores\":true,\"track_total_hits\":false,"
                + "\"_source\":{\"includes\":[\"namespace_id\"]},"
                + "\"query\":{\"bool\":{\"should\":["
                + "{\"constant_score\":{\"boost\":100,\"filter\":{\"match_bool_prefix\":{\"name_words\":{\"query\":\""
                + jsonText(words) + "\",\"operator\":\"and\",\"analyzer\":\"whitespace\"}}}}},"
                + "{\"constant_score\":{\"boost\":10,\"filter\":{\"match\":{\"path_words\":{\"query\":\""
                + jsonText(words) + "\",\"operator\":\"and\",\"analyzer\":\"whitespace\"}}}}},"
                + "{\"constant_score\":{\"boost\":1,\"filter\":" + content + "}}],"
                + "\"minimum_should_match\":1,"
                + "\"filter\":[{\"bool\":{\"should\":[{\"term\":{\"namespace_id\":" + namespace
                + "}}],\"minimum_should_match\":1}}]}},"
                + "\"sort\":[{\"_score\":{\"order\":\"desc\"}},{\"modified_at\":{\"order\":\"desc\"}},"
                + "{\"file_id\":{\"order\":\"asc\"}}],"
                + "\"highlight\":{\"encoder\":\"html\",\"pre_tags\":[\"<mark>\"],\"post_tags\":[\"</mark>\"],"
                + "\"fields\":{\"content\":{\"fragment_size\":160,\"number_of_fragments\":1,\"highlight_query\":"
                + content + "}}}}";
    }

    private static Samples latencies(List<String[]> queries, Function<String[], HttpRequest> request, int threads)
            throws Exception {
        Samples samples = new Samples();
        parallel(threads, queries, q -> {
            HttpRequest r = request.apply(q);
            long start = System.nanoTime();
            String body = send(r, 200).body();
            samples.add(
                    (System.nanoTime() - start) / 1e6,
                    Math.max(occurrences(body, "\"file_id\""), occurrences(body, "\"_id\"")));
        });
        return samples;
    }

    private static String examples(List<String[]> list) {
        return "`" + list.get(0)[0] + "`, `" + list.get(1)[0] + "`, `" + list.get(2)[0] + "`";
    }

    // ------------------------------------------------------------------ helpers

    /** Latencies in milliseconds and what each answer held. */
    static final class Samples {

        private final ConcurrentLinkedQueue<double[]> values = new ConcurrentLinkedQueue<>();

        void add(double millis, int hits) {
            values.add(new double[] {millis, hits});
        }

        int size() {
            return values.size();
        }

        long hits() {
            return values.stream().mapToLong(v -> (long) v[1]).sum();
        }

        double pct(int p) {
            double[] sorted = values.stream().mapToDouble(v -> v[0]).sorted().toArray();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
        }
    }

    /** The markdown table printed at the end. */
    static final class Table {

        private final List<String> rows = new ArrayList<>();

        void row(String figure, String target, String value, String reference, String ratio) {
            rows.add("| " + figure + " | " + target + " | " + value + " | " + reference + " | " + ratio + " |");
        }

        void print() {
            System.out.println("| figure | target | measured | limit / reference, same run | ratio |");
            System.out.println("|---|---|---:|---:|---:|");
            rows.forEach(System.out::println);
        }
    }

    interface Task<T> {
        void run(T item) throws Exception;
    }

    /** Runs {@code task} over {@code items} on {@code threads} threads; the first failure is thrown. */
    private static <T> void parallel(int threads, List<T> items, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                        task.run(items.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            chunks.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return chunks;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, int expected) {
        return send(request.build(), expected);
    }

    private static HttpResponse<String> send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                String body = response.body();
                throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + response.statusCode()
                        + " " + body.substring(0, Math.min(800, body.length())));
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.BodyPublisher noBody() {
        return HttpRequest.BodyPublishers.noBody();
    }

    private static String signUp(String gateway, String email) {
        String credentials = "\"email\":\"" + email + "\",\"password\":\"search-bench-password\"";
        send(
                HttpRequest.newBuilder(URI.create(gateway + "/auth/register"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{" + credentials + ",\"name\":\"bench\"}")),
                201);
        String login = send(
                        HttpRequest.newBuilder(URI.create(gateway + "/auth/login"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{" + credentials + ",\"device_name\":\"search-bench\"}")),
                        200)
                .body();
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(login);
        if (!m.find()) {
            throw new IllegalStateException("no access_token in " + login);
        }
        return "Bearer " + m.group(1);
    }

    private static long count(String es, long namespace) {
        String body = send(
                        HttpRequest.newBuilder(URI.create(es + "/syncbox-files/_count"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"query\":{\"term\":{\"namespace_id\":" + namespace + "}}}")),
                        200)
                .body();
        return Long.parseLong(field(body, "count"));
    }

    /** A number field of a JSON object, by name. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    /** The JSON object starting at {@code from}, by its braces (outside strings). */
    private static String object(String json, int from) {
        int depth = 0;
        boolean string = false;
        for (int i = from; i < json.length(); i++) {
            char c = json.charAt(i);
            if (string) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    string = false;
                }
            } else if (c == '"') {
                string = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return json.substring(from, i + 1);
            }
        }
        throw new IllegalStateException("unbalanced JSON: " + json);
    }

    private static String jsonText(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int occurrences(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            n++;
        }
        return n;
    }

    private static long[] longs(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row for " + sql);
                }
                long[] values = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getLong(i + 1);
                }
                return values;
            }
        }
    }

    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String arg(String[] args, int i, String fallback) {
        return args.length > i ? args[i] : fallback;
    }

    private static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
