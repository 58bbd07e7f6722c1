package dev.syncbox.core.delta;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a sync client uploads after a local edit. The new content is chunked as the server would chunk it; blocks the
 * previous version already had are not sent, and each other block goes as a {@link BlockDelta} against the previous
 * blocks around the same place in the file when that is smaller than the block itself.
 */
public final class DeltaPlanner {

    /** At most this many previous blocks serve as the bases of one delta. */
    public static final int MAX_BASES = 3;

    /**
     * One block the server does not have yet. {@code data} is the whole block (for a plain upload, or a fallback when a
     * base is gone); {@code delta}, when not null, rebuilds it from the previous blocks {@code baseIds}, in order.
     */
    public record BlockUpload(String blockId, byte[] data, List<String> baseIds, byte[] delta) {

        public BlockUpload {
            Objects.requireNonNull(blockId, "blockId");
            Objects.requireNonNull(data, "data");
            baseIds = List.copyOf(baseIds);
            if ((delta == null) != baseIds.isEmpty()) {
                throw new IllegalArgumentException("a delta needs its bases, and only a delta has bases");
            }
        }

        public boolean isDelta() {
            return delta != null;
        }

        /** The bytes this upload puts on the wire: the delta, or else the block. */
        public long wireBytes() {
            return delta != null ? delta.length : data.length;
        }
    }

    /**
     * The new version: its blocks in order, its size and Dropbox content hash, and the blocks to upload (each distinct
     * new block once). The plan holds the bytes of the blocks it uploads, and nothing else of the file.
     */
    public record Plan(List<ChunkRef> blocks, long size, String contentHash, List<BlockUpload> uploads) {

        public Plan {
            blocks = List.copyOf(blocks);
            uploads = List.copyOf(uploads);
        }

        /** The bytes all uploads put on the wire. */
        public long uploadBytes() {
            return uploads.stream().mapToLong(BlockUpload::wireBytes).sum();
        }
    }

    private final Chunker chunker;
    private final List<ChunkRef> previous;
    private final RandomAccessContent oldContent;
    private final Set<String> previousIds = new HashSet<>();
    private final Set<String> planned = new HashSet<>();
    private final Map<Integer, byte[]> baseCache = new HashMap<>();
    private final MessageDigest digest = Sha256.newDigest();
    private final ContentHasher contentHasher = new ContentHasher();
    private final List<ChunkRef> blocks = new ArrayList<>();
    private final List<BlockUpload> uploads = new ArrayList<>();
    private long offset;

    private DeltaPlanner(Chunker chunker, List<ChunkRef> previous, RandomAccessContent oldContent) {
        this.chunker = chunker;
        this.previous = previous;
        this.oldContent = oldContent;
        for (ChunkRef ref : previous) {
            previousIds.add(ref.blockId());
        }
    }

    /**
     * Plans the upload of {@code newContent}, which replaces the version whose blocks were {@code previous} (in file
     * order, as chunked by the same spec) and whose bytes {@code oldContent} holds. Reads {@code newContent} to its end
     * without closing it, holding a few blocks at a time. A previous block whose bytes in {@code oldContent} no longer
     * hash to its id is not used as a base.
     */
    public static Plan plan(
            Chunker chunker, List<ChunkRef> previous, RandomAccessContent oldContent, InputStream newContent)
            throws IOException {
        Objects.requireNonNull(chunker, "chunker");
        Objects.requireNonNull(oldContent, "oldContent");
        Objects.requireNonNull(newContent, "newContent");
        List<ChunkRef> prev = List.copyOf(previous);
        long expected = 0;
        for (ChunkRef ref : prev) {
            if (ref.offset() != expected) {
                throw new IllegalArgumentException("previous blocks must be contiguous from offset 0, got " + ref);
            }
            expected = ref.end();
        }
        if (expected > oldContent.size()) {
            throw new IllegalArgumentException(
                    "previous blocks cover " + expected + " bytes but oldContent has " + oldContent.size());
        }
        DeltaPlanner planner = new DeltaPlanner(chunker, prev, oldContent);
        chunker.chunk(newContent, planner::accept);
        return new Plan(planner.blocks, planner.offset, planner.contentHasher.hexDigest(), planner.uploads);
    }

    private void accept(byte[] buf, int off, int len) throws IOException {
        contentHasher.update(buf, off, len);
        digest.update(buf, off, len);
        String id = Hex.encode(digest.digest());
        long start = offset;
        blocks.add(new ChunkRef(start, len, id));
        offset += len;
        if (previousIds.contains(id) || !planned.add(id)) {
            return;
        }
        byte[] data = Arrays.copyOfRange(buf, off, off + len);
        uploads.add(upload(id, data, start));
    }

    private BlockUpload upload(String id, byte[] data, long start) throws IOException {
        List<Integer> candidates = chooseBases(start, start + data.length);
        List<byte[]> bases = new ArrayList<>();
        List<String> baseIds = new ArrayList<>();
        Map<Integer, byte[]> keep = new HashMap<>();
        for (int index : candidates) {
            byte[] base = base(index);
            keep.put(index, base);
            if (base != null) {
                bases.add(base);
                baseIds.add(previous.get(index).blockId());
            }
        }
        baseCache.keySet().retainAll(keep.keySet());
        baseCache.putAll(keep);
        if (bases.isEmpty()) {
            return new BlockUpload(id, data, List.of(), null);
        }
        byte[] delta = BlockDelta.encode(bases, data);
        if (delta.length >= data.length) {
            return new BlockUpload(id, data, List.of(), null);
        }
        boolean[] used = DeltaWriter.usedBases(delta, bases.size());
        int[] renumber = new int[used.length];
        List<String> usedIds = new ArrayList<>();
        for (int k = 0; k < used.length; k++) {
            renumber[k] = usedIds.size();
            if (used[k]) {
                usedIds.add(baseIds.get(k));
            }
        }
        if (usedIds.isEmpty()) {
            return new BlockUpload(id, data, List.of(), null);
        }
        if (usedIds.size() < baseIds.size()) {
            delta = DeltaWriter.renumberBases(delta, renumber);
        }
        return new BlockUpload(id, data, usedIds, delta);
    }

    /**
     * The previous blocks whose range overlaps {@code [start, end)}, widened by one block on each side because an
     * insert or delete shifts content; of more than {@link #MAX_BASES}, the consecutive ones that overlap most.
     */
    private List<Integer> chooseBases(long start, long end) {
        int n = previous.size();
        if (n == 0) {
            return List.of();
        }
        int first = firstEndingAfter(start);
        int last = firstEndingAfter(end - 1);
        int lo = Math.max(0, first - 1);
        int hi = Math.min(n - 1, last + 1);
        if (hi - lo + 1 > MAX_BASES) {
            int best = lo;
            long bestOverlap = -1;
            for (int from = lo; from + MAX_BASES - 1 <= hi; from++) {
                long overlap = 0;
                for (int k = from; k < from + MAX_BASES; k++) {
                    ChunkRef ref = previous.get(k);
                    overlap += Math.max(0, Math.min(end, ref.end()) - Math.max(start, ref.offset()));
                }
                if (overlap > bestOverlap) {
                    best = from;
                    bestOverlap = overlap;
                }
            }
            lo = best;
            hi = best + MAX_BASES - 1;
        }
        List<Integer> chosen = new ArrayList<>();
        for (int k = lo; k <= hi; k++) {
            chosen.add(k);
        }
        return chosen;
    }

    /** The index of the first previous block that ends after {@code position}, or the number of blocks. */
    private int firstEndingAfter(long position) {
        int lo = 0;
        int hi = previous.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (previous.get(mid).end() > position) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The bytes of previous block {@code index}, or null when the old content no longer matches its id. */
    private byte[] base(int index) throws IOException {
        if (baseCache.containsKey(index)) {
            return baseCache.get(index);
        }
        ChunkRef ref = previous.get(index);
        byte[] bytes = new byte[ref.length()];
        oldContent.readFully(ref.offset(), bytes, 0, bytes.length);
        return Sha256.hex(bytes).equals(ref.blockId()) ? bytes : null;
    }
}
