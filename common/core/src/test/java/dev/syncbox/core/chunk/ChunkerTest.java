package dev.syncbox.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.chunk.ChunkingSpec.Kind;
import dev.syncbox.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkerTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final ChunkingSpec SMALL = new ChunkingSpec(Kind.FASTCDC, 2 * KIB, 8 * KIB, 32 * KIB);

    static Stream<ChunkingSpec> specs() {
        return Stream.of(
                ChunkingSpec.fastCdcDefault(),
                SMALL,
                new ChunkingSpec(Kind.FASTCDC, 64, 64, 64),
                ChunkingSpec.fixed4MiB(),
                ChunkingSpec.fixed(1000));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldReassembleChunksIntoTheInput(ChunkingSpec spec) {
        byte[] data = TestData.random(1, 10 * MIB + 12_345);

        List<ChunkRef> refs = Chunker.of(spec).split(data);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        long offset = 0;
        for (ChunkRef ref : refs) {
            assertThat(ref.offset()).isEqualTo(offset);
            assertThat(ref.blockId()).isEqualTo(Sha256.hex(data, (int) ref.offset(), ref.length()));
            joined.write(data, (int) ref.offset(), ref.length());
            offset = ref.end();
        }
        assertThat(joined.toByteArray()).isEqualTo(data);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldKeepEveryChunkButTheLastWithinMinAndMax(ChunkingSpec spec) {
        List<ChunkRef> refs = Chunker.of(spec).split(TestData.random(2, 16 * MIB + 1));

        int min = spec.kind() == Kind.FIXED ? spec.maxSize() : spec.minSize();
        assertThat(refs.subList(0, refs.size() - 1))
                .allSatisfy(ref -> assertThat(ref.length()).isBetween(min, spec.maxSize()));
        assertThat(refs.get(refs.size() - 1).length()).isBetween(1, spec.maxSize());
    }

    @Test
    void shouldStayWithinBoundsOnInputWithNoContentDefinedCuts() {
        byte[] zeros = new byte[8 * MIB];

        List<ChunkRef> refs = Chunker.of(SMALL).split(zeros);

        assertThat(refs.subList(0, refs.size() - 1))
                .allSatisfy(ref -> assertThat(ref.length()).isBetween(SMALL.minSize(), SMALL.maxSize()));
        assertThat(refs.stream().mapToLong(ChunkRef::length).sum()).isEqualTo(zeros.length);
    }

    @Test
    void shouldCutFixedBlocksOfExactlyMaxSize() {
        byte[] data = TestData.random(3, 10 * MIB);

        List<ChunkRef> refs = Chunker.of(ChunkingSpec.fixed4MiB()).split(data);

        assertThat(refs).extracting(ChunkRef::offset).containsExactly(0L, 4L * MIB, 8L * MIB);
        assertThat(refs).extracting(ChunkRef::length).containsExactly(4 * MIB, 4 * MIB, 2 * MIB);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldBeDeterministic(ChunkingSpec spec) {
        byte[] data = TestData.random(4, 9 * MIB);

        assertThat(Chunker.of(spec).split(data)).isEqualTo(Chunker.of(spec).split(data.clone()));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldStreamTheSameChunksAsSplitDespiteShortReads(ChunkingSpec spec) throws IOException {
        byte[] data = TestData.random(5, 12 * MIB + 777);

        List<ChunkRef> streamed = stream(Chunker.of(spec), TestData.shortReads(data, 7000, 99));

        assertThat(streamed).isEqualTo(Chunker.of(spec).split(data));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldStreamInputsAroundTheSizeLimitsLikeSplit(ChunkingSpec spec) throws IOException {
        Chunker chunker = Chunker.of(spec);
        int[] sizes = {
            1,
            spec.minSize() - 1,
            spec.minSize(),
            spec.minSize() + 1,
            spec.maxSize(),
            spec.maxSize() + 1,
            2 * spec.maxSize() + 1
        };
        for (int size : sizes) {
            byte[] data = TestData.random(size, size);

            assertThat(stream(chunker, new ByteArrayInputStream(data)))
                    .as("%d bytes", size)
                    .isEqualTo(chunker.split(data));
        }
    }

    @Test
    void shouldStreamWithABufferOfAtMostTwiceMaxSize() throws IOException {
        byte[] data = TestData.random(6, 8 * MIB);
        AtomicInteger largestBuffer = new AtomicInteger();

        Chunker.of(SMALL)
                .chunk(
                        new ByteArrayInputStream(data),
                        (buf, off, len) -> largestBuffer.accumulateAndGet(buf.length, Math::max));

        assertThat(largestBuffer.get()).isLessThanOrEqualTo(2 * SMALL.maxSize());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldGiveNoChunksForEmptyInput(ChunkingSpec spec) throws IOException {
        Chunker chunker = Chunker.of(spec);

        assertThat(chunker.split(new byte[0])).isEmpty();
        assertThat(stream(chunker, new ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    @Test
    void shouldChangeOnlyTheFirstChunksWhenDataIsInsertedAtTheStart() {
        byte[] original = TestData.random(8, 32 * MIB);
        byte[] edited = new byte[original.length + KIB];
        System.arraycopy(TestData.random(9, KIB), 0, edited, 0, KIB);
        System.arraycopy(original, 0, edited, KIB, original.length);
        Chunker chunker = Chunker.of(ChunkingSpec.fastCdcDefault());

        Set<String> before = blockIds(chunker.split(original));
        Set<String> after = blockIds(chunker.split(edited));

        Set<String> added = new HashSet<>(after);
        added.removeAll(before);
        assertThat(added).hasSizeBetween(1, 2);
        assertThat(after.size() - added.size()).isGreaterThanOrEqualTo(before.size() - 2);
    }

    @Test
    void shouldShareNoBlocksForFixedChunkingAfterAnInsertion() {
        // Why content-defined chunking is the default: fixed blocks all shift.
        byte[] original = TestData.random(8, 16 * MIB);
        byte[] edited = new byte[original.length + KIB];
        System.arraycopy(original, 0, edited, KIB, original.length);
        Chunker chunker = Chunker.of(ChunkingSpec.fixed4MiB());

        Set<String> shared = blockIds(chunker.split(original));
        shared.retainAll(blockIds(chunker.split(edited)));

        assertThat(shared).isEmpty();
    }

    @Test
    void shouldAverageNearTheTargetSizeOnRandomData() {
        assertAverageNearTarget(ChunkingSpec.fastCdcDefault(), TestData.random(10, 64 * MIB));
        assertAverageNearTarget(SMALL, TestData.random(11, 16 * MIB));
    }

    private static void assertAverageNearTarget(ChunkingSpec spec, byte[] data) {
        List<ChunkRef> refs = Chunker.of(spec).split(data);

        double average = (double) data.length / refs.size();
        assertThat(average).isBetween(spec.avgSize() * 0.7, spec.avgSize() * 1.3);
    }

    private static List<ChunkRef> stream(Chunker chunker, InputStream in) throws IOException {
        List<ChunkRef> refs = new ArrayList<>();
        long[] offset = {0};
        chunker.chunk(in, (buf, off, len) -> {
            refs.add(new ChunkRef(offset[0], len, Sha256.hex(buf, off, len)));
            offset[0] += len;
        });
        return refs;
    }

    private static Set<String> blockIds(List<ChunkRef> refs) {
        Set<String> ids = new HashSet<>();
        refs.forEach(ref -> ids.add(ref.blockId()));
        return ids;
    }
}
