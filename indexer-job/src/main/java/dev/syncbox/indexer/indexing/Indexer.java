package dev.syncbox.indexer.indexing;

import dev.syncbox.core.search.IndexTerms;
import dev.syncbox.server.cache.ChangeBus;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.jobs.JobLock;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.search.FileDocument;
import dev.syncbox.server.search.FileIndex;
import dev.syncbox.server.search.SearchIndexException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The indexer job (docs/search.md): tails every user namespace's journal behind a cursor of its own in
 * {@code indexer_cursors} and writes what changed into the search index. It indexes state, not events: each entry
 * names the entries to look at again (a folder's move or deletion, everything under it), and those are written as the
 * database holds them now, or deleted from the index when they are gone. Replaying entries therefore does no harm,
 * and a cursor moves only after the index took the batch: with Elasticsearch down, the job waits and goes on from
 * where it was. One instance indexes at a time, under the job's database lock.
 */
@Component
public class Indexer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Indexer.class);
    private static final String JOB = "indexer";
    private static final int CHUNK = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate outer;
    private final TransactionTemplate inner;
    private final TransactionTemplate snapshot;
    private final JobLock lock;
    private final FileIndex index;
    private final TextExtractor extractor;
    private final FileVersionRepository versions;
    private final ContentReader content;
    private final BlockRegistry blockRegistry;
    private final ExecutorService extraction;
    private final ChangeBus changes;
    private final Duration poll;
    private final Duration maxBackoff;
    private final int batch;
    private final int replicas;
    private final Counter indexed;
    private final Counter deleted;
    private final Counter failures;
    private final AtomicLong maxLag = new AtomicLong();
    private final AtomicLong totalLag = new AtomicLong();
    private final AtomicLong namespacesBehind = new AtomicLong();
    private final AtomicReference<Double> lagSeconds = new AtomicReference<>(0.0);
    private final AtomicReference<List<Behind>> lagging = new AtomicReference<>(List.of());
    private final Object wake = new Object();
    private volatile boolean woken;
    private volatile boolean running;
    private volatile String lastError;
    /** How long the index is taken to be there, with this code's mapping, once checked. */
    private final long indexCheck;

    private volatile long indexCheckedAt;
    private final boolean enabled;
    private Thread thread;

    Indexer(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            JobLock lock,
            FileIndex index,
            TextExtractor extractor,
            FileVersionRepository versions,
            ContentReader content,
            BlockRegistry blockRegistry,
            ChangeBus changes,
            MeterRegistry registry,
            @Value("${syncbox.indexer.poll:PT1S}") Duration poll,
            @Value("${syncbox.indexer.max-backoff:PT30S}") Duration maxBackoff,
            @Value("${syncbox.indexer.batch:1000}") int batch,
            @Value("${syncbox.search.replicas:0}") int replicas,
            @Value("${syncbox.indexer.enabled:true}") boolean enabled,
            @Value("${syncbox.indexer.index-check:PT30S}") Duration indexCheck,
            @Value("${syncbox.indexer.extract-threads:4}") int extractThreads) {
        this.blockRegistry = blockRegistry;
        // Reading blocks from S3 and parsing is mostly waiting: a few files at once keep one core busy.
        this.extraction = Executors.newFixedThreadPool(extractThreads, runnable -> {
            Thread thread = new Thread(runnable, "indexer-extract");
            thread.setDaemon(true);
            return thread;
        });
        this.enabled = enabled;
        this.indexCheck = indexCheck.toNanos();
        this.indexCheckedAt = System.nanoTime() - this.indexCheck;
        this.jdbc = jdbc;
        this.outer = new TransactionTemplate(transactions);
        this.inner = new TransactionTemplate(transactions);
        this.inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.lock = lock;
        this.index = index;
        this.extractor = extractor;
        this.versions = versions;
        this.content = content;
        this.changes = changes;
        this.poll = poll;
        this.maxBackoff = maxBackoff;
        this.batch = batch;
        this.replicas = replicas;
        this.indexed = Counter.builder("syncbox.indexer.documents")
                .tag("op", "index")
                .description("Documents the indexer wrote to the search index")
                .register(registry);
        this.deleted = Counter.builder("syncbox.indexer.documents")
                .tag("op", "delete")
                .description("Documents the indexer deleted from the search index")
                .register(registry);
        this.failures = Counter.builder("syncbox.indexer.failures")
                .description("Indexer passes that failed (Elasticsearch or the database unavailable); each is retried")
                .register(registry);
        Gauge.builder("syncbox.indexer.lag.entries", maxLag, AtomicLong::get)
                .tag("stat", "max")
                .description("Journal entries not yet indexed, in the namespace furthest behind")
                .register(registry);
        Gauge.builder("syncbox.indexer.lag.entries", totalLag, AtomicLong::get)
                .tag("stat", "total")
                .description("Journal entries not yet indexed, over all namespaces")
                .register(registry);
        Gauge.builder("syncbox.indexer.lag.namespaces", namespacesBehind, AtomicLong::get)
                .description("Namespaces with journal entries not yet indexed")
                .register(registry);
        Gauge.builder("syncbox.indexer.lag.seconds", lagSeconds, AtomicReference::get)
                .description("Age of the oldest journal entry not yet indexed")
                .baseUnit("seconds")
                .register(registry);
    }

    /** A namespace whose journal is ahead of its indexer cursor. */
    public record Behind(long namespaceId, long head, long cursor, Instant oldest) {

        public long entries() {
            return head - cursor;
        }
    }

    /** What one pass did. */
    public record Pass(boolean locked, int namespaces, int entries, int documents, int deletes) {}

    // ------------------------------------------------------------------ the loop

    @Override
    public boolean isAutoStartup() {
        return enabled;
    }

    @Override
    public void start() {
        running = true;
        changes.subscribe(namespace -> signal());
        thread = new Thread(this::loop, "indexer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        signal();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        extraction.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void signal() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    private void loop() {
        Duration backoff = poll;
        while (running) {
            try {
                Pass pass = catchUp();
                lastError = null;
                backoff = poll;
                if (pass.entries() > 0 && pass.entries() >= batch) {
                    continue; // more waiting: go on at once
                }
            } catch (SearchIndexException | DataAccessException e) {
                indexCheckedAt = System.nanoTime() - indexCheck;
                failures.increment();
                lastError = e.getMessage();
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                log.warn("indexer pass failed, next try in {}: {}", backoff, e.getMessage());
            } catch (RuntimeException e) {
                failures.increment();
                lastError = e.toString();
                backoff = maxBackoff;
                log.error("indexer pass failed, next try in {}", backoff, e);
            }
            pause(backoff);
        }
    }

    private void pause(Duration duration) {
        synchronized (wake) {
            long until = System.nanoTime() + duration.toNanos();
            // A change wakes a healthy indexer at once; a failing one waits out its backoff.
            while (running && !(woken && duration.equals(poll))) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    wake.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }

    /** The last failure of the loop, {@code null} after a pass that succeeded. */
    public String lastError() {
        return lastError;
    }

    /** The namespaces furthest behind at the last look, most entries first. */
    public List<Behind> lagging() {
        return lagging.get();
    }

    // ------------------------------------------------------------------ one pass

    /**
     * Measures the lag and, holding the job's lock, indexes up to a batch of entries of each namespace that is
     * behind. Creates the index first when there is none or it has an older mapping. Must run outside a transaction.
     */
    public Pass catchUp() {
        List<Behind> measured = measure();
        Pass pass = outer.execute(status -> {
            if (!lock.tryLock(JOB)) {
                return new Pass(false, 0, 0, 0, 0);
            }
            // A rebuild sets every cursor anew: what was measured before it is behind no more.
            List<Behind> behind = ensureIndex() ? measure() : measured;
            int entries = 0;
            int documents = 0;
            int deletes = 0;
            for (Behind namespace : behind) {
                Written written = indexNamespace(namespace);
                entries += written.entries();
                documents += written.documents();
                deletes += written.deletes();
            }
            return new Pass(true, behind.size(), entries, documents, deletes);
        });
        if (pass.entries() > 0) {
            measure();
        }
        return pass;
    }

    /** Rebuilds the index when it is missing or has an older mapping; true when it did. */
    private boolean ensureIndex() {
        if (System.nanoTime() - indexCheckedAt < indexCheck) {
            return false;
        }
        boolean rebuilt = false;
        var current = index.current();
        if (current.isEmpty() || current.get().mappingVersion() != FileIndex.MAPPING_VERSION) {
            log.info(
                    "search index {}: rebuilding it from PostgreSQL with mapping version {}",
                    current.map(c -> c.index() + " has mapping version " + c.mappingVersion())
                            .orElse("missing"),
                    FileIndex.MAPPING_VERSION);
            rebuildLocked();
            rebuilt = true;
        }
        indexCheckedAt = System.nanoTime();
        return rebuilt;
    }

    /** The namespaces behind, furthest first (at most a thousand), and the lag gauges. */
    List<Behind> measure() {
        List<Behind> behind = jdbc.query(
                "SELECT n.namespace_id, n.last_seq, COALESCE(c.seq, 0),"
                        + " (SELECT j.created_at FROM journal j WHERE j.namespace_id = n.namespace_id"
                        + "  AND j.seq > COALESCE(c.seq, 0) ORDER BY j.seq LIMIT 1)"
                        + " FROM namespaces n LEFT JOIN indexer_cursors c ON c.namespace_id = n.namespace_id"
                        + " WHERE n.kind = 'ROOT' AND n.last_seq > COALESCE(c.seq, 0)"
                        + " ORDER BY n.last_seq - COALESCE(c.seq, 0) DESC LIMIT 1000",
                (rs, n) -> {
                    Timestamp oldest = rs.getTimestamp(4);
                    return new Behind(
                            rs.getLong(1), rs.getLong(2), rs.getLong(3), oldest == null ? null : oldest.toInstant());
                });
        Instant now = Instant.now();
        maxLag.set(behind.isEmpty() ? 0 : behind.get(0).entries());
        totalLag.set(behind.stream().mapToLong(Behind::entries).sum());
        namespacesBehind.set(behind.size());
        lagSeconds.set(behind.stream()
                .filter(b -> b.oldest() != null)
                .mapToDouble(b -> Math.max(0, Duration.between(b.oldest(), now).toMillis() / 1000.0))
                .max()
                .orElse(0));
        lagging.set(behind.subList(0, Math.min(20, behind.size())));
        return behind;
    }

    private record Entry(long seq, String fileId, String operation, String path, String fromPath, boolean dir) {}

    private record Written(int entries, int documents, int deletes) {

        Written plus(Written other) {
            return new Written(entries + other.entries, documents + other.documents, deletes + other.deletes);
        }
    }

    private Written indexNamespace(Behind namespace) {
        long ns = namespace.namespaceId();
        List<Entry> entries = jdbc.query(
                "SELECT seq, file_id, operation, path, from_path, is_dir FROM journal"
                        + " WHERE namespace_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (rs, n) -> new Entry(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getBoolean(6)),
                ns,
                namespace.cursor(),
                batch);
        if (entries.isEmpty() || entries.get(0).seq() != namespace.cursor() + 1) {
            // The entries after the cursor are gone (the journal was trimmed): index the namespace as it is now.
            log.info("namespace {}: journal entries after {} are gone; indexing it whole", ns, namespace.cursor());
            Long head = jdbc.queryForObject("SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, ns);
            Set<String> ids = new LinkedHashSet<>(index.idsIn(FileIndex.ALIAS, ns));
            ids.addAll(jdbc.queryForList(
                    "SELECT file_id FROM files WHERE namespace_id = ? AND NOT is_deleted", String.class, ns));
            Written written = apply(ns, ids);
            advance(ns, head);
            return new Written(0, written.documents(), written.deletes());
        }
        Set<String> ids = new LinkedHashSet<>();
        Set<String> folders = new LinkedHashSet<>();
        for (Entry entry : entries) {
            ids.add(entry.fileId());
            if (entry.dir()
                    && (entry.operation().equals("MOVE") || entry.operation().equals("DELETE"))) {
                folders.add(PathKeys.of(entry.path()));
                if (entry.fromPath() != null) {
                    folders.add(PathKeys.of(entry.fromPath()));
                }
            }
        }
        if (!folders.isEmpty()) {
            // What an earlier batch wrote under these folders must be visible to the look-up below.
            index.refresh(FileIndex.ALIAS);
            for (String folder : folders) {
                ids.addAll(index.idsUnder(FileIndex.ALIAS, ns, folder));
                ids.addAll(jdbc.queryForList(
                        "SELECT file_id FROM files WHERE namespace_id = ? AND NOT is_deleted"
                                + " AND path_key >= ? AND path_key < ?",
                        String.class,
                        ns,
                        folder + "/",
                        folder + "0"));
            }
        }
        Written written = apply(ns, ids);
        advance(ns, entries.get(entries.size() - 1).seq());
        return new Written(entries.size(), written.documents(), written.deletes());
    }

    private void advance(long ns, long seq) {
        inner.executeWithoutResult(s -> jdbc.update(
                "INSERT INTO indexer_cursors (namespace_id, seq, updated_at) VALUES (?, ?, now())"
                        + " ON CONFLICT (namespace_id) DO UPDATE SET seq = GREATEST(indexer_cursors.seq, EXCLUDED.seq),"
                        + " updated_at = now()",
                ns,
                seq));
    }

    private record Row(
            String fileId,
            long namespaceId,
            long ownerId,
            String path,
            boolean dir,
            long size,
            String contentHash,
            String versionId,
            boolean deleted,
            Instant modifiedAt) {}

    private static final String ROW = "SELECT file_id, namespace_id, owner_id, file_path, is_dir, size_bytes,"
            + " content_hash, current_version_id, is_deleted, modified_at FROM files";

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getBoolean(5),
                rs.getLong(6),
                rs.getString(7),
                rs.getString(8),
                rs.getBoolean(9),
                rs.getTimestamp(10).toInstant());
    }

    /** Writes these entries of a namespace as the database holds them now; deletes those that are gone. */
    private Written apply(long ns, Set<String> ids) {
        Written total = new Written(0, 0, 0);
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            List<Row> rows = jdbc.query(
                    con -> {
                        var statement = con.prepareStatement(ROW + " WHERE namespace_id = ? AND file_id = ANY (?)");
                        statement.setLong(1, ns);
                        Array array = con.createArrayOf("varchar", chunk.toArray());
                        statement.setArray(2, array);
                        return statement;
                    },
                    (rs, n) -> row(rs));
            Map<String, Row> live = new HashMap<>();
            rows.stream().filter(r -> !r.deleted()).forEach(r -> live.put(r.fileId(), r));
            List<String> gone =
                    chunk.stream().filter(id -> !live.containsKey(id)).toList();
            List<FileDocument> documents = documents(FileIndex.ALIAS, new ArrayList<>(live.values()));
            index.write(FileIndex.ALIAS, documents, gone);
            indexed.increment(documents.size());
            deleted.increment(gone.size());
            total = total.plus(new Written(0, documents.size(), gone.size()));
        }
        return total;
    }

    /**
     * Documents for these live rows, with their text: taken from {@code previous} when the content is the same, else
     * extracted on the job's extraction threads, the versions and block sizes of all of them read in two queries.
     */
    private List<FileDocument> documents(String previous, List<Row> rows) {
        List<Row> readable = rows.stream()
                .filter(r ->
                        !r.dir() && r.contentHash() != null && extractor.wanted(IndexTerms.name(r.path()), r.size()))
                .toList();
        Map<String, FileIndex.Extracted> known = previous == null || readable.isEmpty()
                ? Map.of()
                : index.contents(previous, readable.stream().map(Row::fileId).toList());
        Map<String, String> texts = new HashMap<>();
        List<Row> unknown = new ArrayList<>();
        for (Row row : readable) {
            FileIndex.Extracted extracted = known.get(row.fileId());
            if (extracted != null && extracted.contentHash().equals(row.contentHash())) {
                texts.put(row.fileId(), extracted.content());
            } else {
                unknown.add(row);
            }
        }
        texts.putAll(extract(unknown));
        List<FileDocument> documents = new ArrayList<>(rows.size());
        for (Row row : rows) {
            documents.add(new FileDocument(
                    row.fileId(),
                    row.namespaceId(),
                    row.ownerId(),
                    row.path(),
                    row.dir(),
                    row.dir() ? 0 : row.size(),
                    row.modifiedAt(),
                    row.contentHash(),
                    texts.get(row.fileId())));
        }
        return documents;
    }

    /** The text of each of these files that has any, by file id. */
    private Map<String, String> extract(List<Row> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<String, FileVersionEntity> byId = new HashMap<>();
        versions.findByIdIn(rows.stream().map(Row::versionId).toList()).forEach(v -> byId.put(v.getId(), v));
        Set<String> blocks = new LinkedHashSet<>();
        byId.values().forEach(v -> blocks.addAll(v.blockIds()));
        Map<String, Integer> sizes = blockRegistry.sizes(blocks);
        List<Future<String>> texts = new ArrayList<>(rows.size());
        for (Row row : rows) {
            FileVersionEntity version = byId.get(row.versionId());
            texts.add(extraction.submit(() -> version == null ? null : extract(row, version, sizes)));
        }
        Map<String, String> extracted = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            try {
                String text = texts.get(i).get();
                if (text != null) {
                    extracted.put(rows.get(i).fileId(), text);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted extracting text", e);
            } catch (ExecutionException e) {
                log.warn(
                        "file {}: no text indexed: {}",
                        rows.get(i).fileId(),
                        e.getCause().toString());
            }
        }
        return extracted;
    }

    private String extract(Row row, FileVersionEntity version, Map<String, Integer> sizes) {
        try (InputStream in = content.open(ContentReader.layout(version, sizes), 0, row.size())) {
            return extractor.extract(IndexTerms.name(row.path()), in);
        } catch (IOException | RuntimeException e) {
            // Indexed by name and path; its text waits for its next change or a rebuild.
            log.warn("file {}: no text indexed: {}", row.fileId(), e.toString());
            return null;
        }
    }

    // ------------------------------------------------------------------ rebuild

    /** What a rebuild did. */
    public record Rebuilt(String index, long documents, int namespaces) {}

    /**
     * Builds a new index from PostgreSQL (text reused from the current index where the content is unchanged), moves
     * the alias to it, and sets every namespace's cursor to the journal position it was built at. Waits up to a
     * minute for the job's lock. Must run outside a transaction.
     */
    public Rebuilt rebuild() {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            Rebuilt rebuilt = outer.execute(status -> lock.tryLock(JOB) ? rebuildLocked() : null);
            if (rebuilt != null) {
                measure();
                return rebuilt;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another instance holds the indexer's lock");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the indexer's lock", e);
            }
        }
    }

    private Rebuilt rebuildLocked() {
        String previous = index.current().map(FileIndex.Current::index).orElse(null);
        String target = index.create(replicas);
        try {
            Map<Long, Long> heads = new HashMap<>();
            Rebuilt rebuilt = snapshot.execute(status -> {
                // One snapshot: the rows read are exactly the state after each namespace's head read here.
                jdbc.query("SELECT namespace_id, last_seq FROM namespaces WHERE kind = 'ROOT'", rs -> {
                    heads.put(rs.getLong(1), rs.getLong(2));
                });
                long documents = 0;
                long afterNamespace = -1;
                String afterKey = "";
                while (true) {
                    List<Row> rows = new ArrayList<>();
                    List<String> keys = new ArrayList<>();
                    jdbc.query(
                            ROW.replace(" FROM files", ", path_key FROM files")
                                    + " WHERE NOT is_deleted AND (namespace_id, path_key) > (?, ?)"
                                    + " ORDER BY namespace_id, path_key LIMIT ?",
                            rs -> {
                                rows.add(row(rs));
                                keys.add(rs.getString(11));
                            },
                            afterNamespace,
                            afterKey,
                            CHUNK);
                    if (rows.isEmpty()) {
                        break;
                    }
                    List<FileDocument> batchDocuments = documents(previous, rows);
                    index.write(target, batchDocuments, List.of());
                    indexed.increment(batchDocuments.size());
                    documents += batchDocuments.size();
                    afterNamespace = rows.get(rows.size() - 1).namespaceId();
                    afterKey = keys.get(keys.size() - 1);
                }
                return new Rebuilt(target, documents, heads.size());
            });
            index.refresh(target);
            index.promote(target);
            // Entries after the snapshot's heads are indexed by the next passes, as any others.
            inner.executeWithoutResult(s -> {
                jdbc.update("DELETE FROM indexer_cursors");
                jdbc.batchUpdate(
                        "INSERT INTO indexer_cursors (namespace_id, seq, updated_at) VALUES (?, ?, now())",
                        heads.entrySet().stream()
                                .map(e -> new Object[] {e.getKey(), e.getValue()})
                                .toList());
            });
            return rebuilt;
        } catch (RuntimeException e) {
            index.drop(target);
            throw e;
        }
    }
}
