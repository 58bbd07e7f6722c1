package dev.syncbox.server.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.blockstore.BlockMissingException;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.content.ContentReader.BlockSpan;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The window digests of a version built from its parent, checked against hashing every byte: the
 * reuse of the parent's digests must never change the answer, whatever the edit does to the block list.
 */
class ContentHashesTest {

    private static final int MIB = 1024 * 1024;
    private static final int WINDOW = ContentHasher.BLOCK_SIZE;

    private final MemoryStore store = new MemoryStore();
    private final ContentHashes hashes = new ContentHashes(new ContentReader(store, null));

    @Test
    void shouldHashATruncatedFileFromItsOwnBytes() {
        List<String> parent = List.of(block(MIB, 1), block(MIB, 2), block(MIB, 3));

        assertMatchesPlainHash(parent, parent.subList(0, 2));
    }

    @Test
    void shouldHashTruncationsAndExtensionsAtAndAroundEveryWindowEdge() {
        // A parent of 9 MiB + 1 byte: window edges at 4 and 8 MiB fall inside and between its blocks.
        List<String> parent = List.of(
                block(3 * MIB, 10),
                block(MIB, 11),
                block(MIB - 1, 12),
                block(1, 13),
                block(2 * MIB + 1, 14),
                block(MIB, 15),
                block(1, 16));
        for (int keep = 0; keep <= parent.size(); keep++) {
            assertMatchesPlainHash(parent, parent.subList(0, keep));
            List<String> extended = new ArrayList<>(parent.subList(0, keep));
            extended.add(block(WINDOW - 1, 20 + keep));
            assertMatchesPlainHash(parent, extended);
            extended.add(block(1, 40 + keep));
            assertMatchesPlainHash(parent, extended);
        }
    }

    @Test
    void shouldTakeTheDigestOfAWindowThatIsExactlyOneBlockFromItsId() {
        List<String> small = List.of(block(1000, 7));
        List<String> fixed = List.of(block(WINDOW, 8), block(WINDOW, 9), block(MIB + 3, 10));
        List<String> mixed = List.of(block(WINDOW, 11), block(MIB, 12), block(3 * MIB, 13));

        assertThat(hashes.windows(layout(small))).isEqualTo(plainWindows(small));
        assertThat(hashes.windows(layout(fixed))).isEqualTo(plainWindows(fixed));
        assertThat(store.reads).isZero();
        assertThat(hashes.windows(layout(mixed))).isEqualTo(plainWindows(mixed));
        assertThat(store.reads).as("only the window made of two blocks is read").isEqualTo(2);
    }

    @Test
    void shouldHashSwappedBlocksOfAFileOfTheSameSize() {
        List<String> parent = List.of(block(2 * MIB, 1), block(2 * MIB, 2), block(2 * MIB, 3), block(2 * MIB, 4));

        assertMatchesPlainHash(parent, List.of(parent.get(0), parent.get(2), parent.get(1), parent.get(3)));
        assertMatchesPlainHash(parent, List.of(parent.get(1), parent.get(0), parent.get(2), parent.get(3)));
        assertMatchesPlainHash(parent, List.of(parent.get(0), parent.get(1), parent.get(3), parent.get(2)));
    }

    @Property(tries = 60)
    void shouldAgreeWithHashingEveryByte(@ForAll("parents") List<Integer> sizes, @ForAll("edits") Edit edit) {
        List<String> parent = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            parent.add(block(sizes.get(i), 1000 + i));
        }
        assertMatchesPlainHash(parent, edit.apply(parent, this));
    }

    @Provide
    Arbitrary<List<Integer>> parents() {
        return blockSize().list().ofMinSize(1).ofMaxSize(7);
    }

    /** Block sizes from 1 byte to 4 MiB, often a whole number of MiB so that sums land on window edges. */
    private static Arbitrary<Integer> blockSize() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1, 4).map(n -> n * MIB),
                Arbitraries.integers().between(1, 4).map(n -> n * MIB - 1),
                Arbitraries.integers().between(0, 3).map(n -> n * MIB + 1),
                Arbitraries.integers().between(64 * 1024, WINDOW));
    }

    @Provide
    Arbitrary<Edit> edits() {
        return Combinators.combine(
                        Arbitraries.of(Edit.Kind.values()),
                        Arbitraries.integers().between(0, 8),
                        Arbitraries.integers().between(0, 8),
                        blockSize())
                .as(Edit::new);
    }

    /** What a client did to the parent's block list. */
    record Edit(Kind kind, int at, int other, int newSize) {

        enum Kind {
            TRUNCATE,
            APPEND,
            REPLACE,
            INSERT,
            REMOVE,
            SWAP
        }

        List<String> apply(List<String> parent, ContentHashesTest test) {
            List<String> child = new ArrayList<>(parent);
            int i = at % child.size();
            int j = other % child.size();
            String fresh = test.block(newSize, 5000 + at * 31 + other);
            switch (kind) {
                case TRUNCATE -> child.subList(i, child.size()).clear();
                case APPEND -> child.add(fresh);
                case REPLACE -> child.set(i, fresh);
                case INSERT -> child.add(i, fresh);
                case REMOVE -> child.remove(i);
                case SWAP -> {
                    child.set(i, parent.get(j));
                    child.set(j, parent.get(i));
                }
            }
            return child;
        }
    }

    private void assertMatchesPlainHash(List<String> parent, List<String> child) {
        List<BlockSpan> parentLayout = layout(parent);
        byte[] parentWindows = plainWindows(parent);
        assertThat(hashes.windows(parentLayout)).isEqualTo(parentWindows);

        byte[] reused = hashes.windows(layout(child), parentLayout, parentWindows);

        assertThat(Hex.encode(reused))
                .as("window digests of %s built from %s", sizes(child), sizes(parent))
                .isEqualTo(Hex.encode(plainWindows(child)));
    }

    private byte[] plainWindows(List<String> blocks) {
        ContentHasher hasher = new ContentHasher();
        blocks.forEach(id -> hasher.update(store.blocks.get(id)));
        return hasher.blockDigests();
    }

    private List<BlockSpan> layout(List<String> blocks) {
        return ContentReader.layout(blocks, sizes(blocks));
    }

    private List<Integer> sizes(List<String> blocks) {
        return blocks.stream().map(id -> store.blocks.get(id).length).toList();
    }

    /** A block of {@code size} pseudo-random bytes from {@code seed}, stored; returns its id. */
    String block(int size, long seed) {
        byte[] data = new byte[size];
        SplittableRandom random = new SplittableRandom(seed * 7919 + size);
        for (int i = 0; i < size; i += 8) {
            long word = random.nextLong();
            for (int k = 0; k < 8 && i + k < size; k++) {
                data[i + k] = (byte) (word >>> (8 * k));
            }
        }
        String id = Sha256.hex(data);
        store.blocks.put(id, data);
        return id;
    }

    /** Blocks in memory: this tests our hashing, not the store. */
    private static final class MemoryStore implements BlockStore {

        final Map<String, byte[]> blocks = new HashMap<>();
        int reads;

        @Override
        public void put(String blockId, byte[] sha256, byte[] data, int offset, int length) {
            blocks.put(blockId, java.util.Arrays.copyOfRange(data, offset, offset + length));
        }

        @Override
        public InputStream open(String blockId, long from, long toInclusive) {
            reads++;
            byte[] data = blocks.get(blockId);
            if (data == null) {
                throw new BlockMissingException(blockId, null);
            }
            return new ByteArrayInputStream(data, (int) from, (int) (toInclusive - from + 1));
        }

        @Override
        public boolean exists(String blockId) {
            return blocks.containsKey(blockId);
        }

        @Override
        public void delete(Collection<String> blockIds) {
            blockIds.forEach(blocks::remove);
        }

        @Override
        public String location(String blockId) {
            return "memory:" + blockId;
        }

        @Override
        public long count() {
            return blocks.size();
        }
    }
}
