package dev.syncbox.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.chunk.ChunkingSpec.Kind;
import dev.syncbox.core.hash.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the FastCDC cut points forever: clients and servers in any language must reproduce these numbers. The expected
 * values were computed with an independent Python implementation of the algorithm documented on {@link
 * FastCdcChunker} and {@link Gear}.
 */
class FastCdcChunkerTest {

    @Test
    void shouldKeepTheGearTableFixed() {
        assertThat(Gear.TABLE).hasSize(256);
        assertThat(Gear.TABLE[0]).isEqualTo(0xaaf826686c835edcL);
        assertThat(Gear.TABLE[1]).isEqualTo(0xb5f28e09524af950L);
        assertThat(Gear.TABLE[255]).isEqualTo(0x60b661ccfe76d441L);
    }

    @Test
    void shouldKeepTheMasksFixed() {
        assertThat(FastCdcChunker.mask(22)).isEqualTo(0xaaa554aaa5540000L);
        assertThat(FastCdcChunker.mask(18)).isEqualTo(0xa4a4a4a4a4a40000L);
        assertThat(FastCdcChunker.mask(14)).isEqualTo(0x9224489224480000L);
        assertThat(FastCdcChunker.mask(10)).isEqualTo(0x8842108842100000L);
        assertThat(Long.bitCount(FastCdcChunker.mask(28))).isEqualTo(28);
    }

    @Test
    void shouldGenerateTheDocumentedTestInput() {
        assertThat(Hex.encode(TestData.random(42, 8))).isEqualTo("956eeb2f2632d7bd");
    }

    @Test
    void shouldCutAtPinnedBoundariesWithSmallChunks() {
        byte[] data = TestData.random(42, 256 * 1024);
        Chunker chunker = Chunker.of(new ChunkingSpec(Kind.FASTCDC, 1024, 4096, 16384));

        assertThat(lengths(chunker.split(data)))
                .containsExactly(
                        5510, 4363, 4326, 4475, 5843, 4642, 1437, 4515, 5597, 2565, 5044, 4382, 7151, 4230, 5365, 5132,
                        4128, 4305, 5263, 6209, 6816, 5589, 4880, 5751, 4397, 4755, 4262, 7075, 4096, 4486, 4320, 4418,
                        3301, 4360, 4323, 5299, 4253, 5450, 1374, 4111, 5149, 4772, 5258, 1470, 4252, 6741, 1470, 5100,
                        4231, 4970, 1104, 7528, 4410, 4182, 6552, 4123, 3034);
    }

    @Test
    void shouldCutAtPinnedBoundariesWithTheDefaultSpec() {
        byte[] data = TestData.random(7, 16 * 1024 * 1024);

        assertThat(lengths(Chunker.of(ChunkingSpec.fastCdcDefault()).split(data)))
                .containsExactly(
                        813764, 1523638, 1606522, 1655583, 1245269, 1386183, 1132981, 1148720, 1048994, 1305723,
                        1787509, 1076880, 1045450);
    }

    @Test
    void shouldReturnTheWholeRemainderWhenItIsNotLongerThanMinSize() {
        Chunker chunker = Chunker.of(new ChunkingSpec(Kind.FASTCDC, 1024, 4096, 16384));
        byte[] data = TestData.random(1, 5000);

        assertThat(chunker.nextBoundary(data, 4000, 1000)).isEqualTo(1000);
        assertThat(chunker.nextBoundary(data, 3976, 1024)).isEqualTo(1024);
        assertThat(chunker.nextBoundary(data, 0, 0)).isZero();
    }

    private static List<Integer> lengths(List<ChunkRef> refs) {
        return refs.stream().map(ChunkRef::length).toList();
    }
}
