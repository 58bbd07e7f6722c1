package dev.syncbox.core.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.chunk.ChunkingSpec.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Deltas only pay off when client and server cut identically, so the optimized FastCDC scan (two interleaved lanes)
 * must agree with the one-byte-at-a-time algorithm documented on the chunker, here written out from that
 * documentation, on every spec shape: hits near the start, dense hits that land in the second lane first, and scans
 * shorter than a lane.
 */
class FastCdcReferenceTest {

    private static final long[] GEAR = gear();

    @Test
    void shouldCutExactlyWhereTheReferenceAlgorithmCuts() {
        List<ChunkingSpec> specs = List.of(
                ChunkingSpec.fastCdcDefault(),
                new ChunkingSpec(Kind.FASTCDC, 64, 64, 64),
                new ChunkingSpec(Kind.FASTCDC, 64, 128, 1 << 16),
                new ChunkingSpec(Kind.FASTCDC, 100, 256, 1 << 17),
                new ChunkingSpec(Kind.FASTCDC, 1024, 1024, 4096),
                new ChunkingSpec(Kind.FASTCDC, 1024, 4096, 16384),
                new ChunkingSpec(Kind.FASTCDC, 2000, 2048, 1 << 18),
                new ChunkingSpec(Kind.FASTCDC, 8192, 65536, 1 << 20));
        SplittableRandom random = new SplittableRandom(7);
        for (ChunkingSpec spec : specs) {
            Chunker chunker = Chunker.of(spec);
            for (int round = 0; round < 4; round++) {
                byte[] data = BlockDeltaTest.random(random.nextLong(), random.nextInt(1, 3 * spec.maxSize() + 10_000));

                assertThat(cuts(chunker, data)).as("%s", spec).isEqualTo(referenceCuts(spec, data));
            }
        }
    }

    @Test
    void shouldCutLowEntropyContentLikeTheReference() {
        byte[] data = new byte[6 << 20];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (random.nextInt(100) < 3 ? random.nextInt(4) : 0);
        }
        ChunkingSpec spec = ChunkingSpec.fastCdcDefault();

        assertThat(cuts(Chunker.of(spec), data)).isEqualTo(referenceCuts(spec, data));
    }

    private static List<Integer> cuts(Chunker chunker, byte[] data) {
        List<Integer> cuts = new ArrayList<>();
        for (int off = 0; off < data.length; ) {
            off += chunker.nextBoundary(data, off, data.length - off);
            cuts.add(off);
        }
        return cuts;
    }

    private static List<Integer> referenceCuts(ChunkingSpec spec, byte[] data) {
        int bits = Integer.numberOfTrailingZeros(spec.avgSize());
        long small = mask(bits + 2);
        long large = mask(bits - 2);
        List<Integer> cuts = new ArrayList<>();
        for (int off = 0; off < data.length; ) {
            int len = data.length - off;
            int cut = len;
            if (len > spec.minSize()) {
                cut = Math.min(len, spec.maxSize());
                long fp = 0;
                for (int i = spec.minSize(); i < Math.min(len, spec.maxSize()); i++) {
                    fp = (fp << 1) + GEAR[data[off + i] & 0xFF];
                    if ((fp & (i < spec.avgSize() ? small : large)) == 0) {
                        cut = i;
                        break;
                    }
                }
            }
            off += cut;
            cuts.add(off);
        }
        return cuts;
    }

    private static long mask(int ones) {
        long mask = 0;
        for (int k = 0; k < ones; k++) {
            mask |= 1L << (63 - (k * 48) / ones);
        }
        return mask;
    }

    /** 256 outputs of SplitMix64 from the ASCII bytes of "syncbox1". */
    private static long[] gear() {
        long[] table = new long[256];
        long state = 0x73796E63626F7831L;
        for (int i = 0; i < table.length; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            table[i] = z ^ (z >>> 31);
        }
        return table;
    }
}
