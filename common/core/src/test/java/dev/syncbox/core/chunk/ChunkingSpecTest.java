package dev.syncbox.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.chunk.ChunkingSpec.Kind;
import org.junit.jupiter.api.Test;

class ChunkingSpecTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    @Test
    void shouldDefaultToFastCdcWith256KiB1MiB4MiB() {
        assertThat(ChunkingSpec.fastCdcDefault()).isEqualTo(new ChunkingSpec(Kind.FASTCDC, 256 * KIB, MIB, 4 * MIB));
    }

    @Test
    void shouldOfferFixed4MiBBlocks() {
        ChunkingSpec spec = ChunkingSpec.fixed4MiB();

        assertThat(spec.kind()).isEqualTo(Kind.FIXED);
        assertThat(spec.maxSize()).isEqualTo(4 * MIB);
    }

    @Test
    void shouldParseKindInAnyCase() {
        assertThat(ChunkingSpec.parse("fastcdc", 2 * KIB, 8 * KIB, 64 * KIB))
                .isEqualTo(new ChunkingSpec(Kind.FASTCDC, 2 * KIB, 8 * KIB, 64 * KIB));
        assertThat(ChunkingSpec.parse(" FIXED ", 4 * MIB, 4 * MIB, 4 * MIB)).isEqualTo(ChunkingSpec.fixed4MiB());
    }

    @Test
    void shouldRejectAnUnknownKind() {
        assertThatThrownBy(() -> ChunkingSpec.parse("rabin", 2 * KIB, 8 * KIB, 64 * KIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rabin");
        assertThatThrownBy(() -> ChunkingSpec.parse(null, 2 * KIB, 8 * KIB, 64 * KIB))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectAMinimumBelow64Bytes() {
        assertThatThrownBy(() -> new ChunkingSpec(Kind.FASTCDC, 63, 128, 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minSize");
    }

    @Test
    void shouldRejectSizesOutOfOrder() {
        assertThatThrownBy(() -> new ChunkingSpec(Kind.FASTCDC, 16 * KIB, 8 * KIB, 64 * KIB))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkingSpec(Kind.FASTCDC, 2 * KIB, 128 * KIB, 64 * KIB))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRequireAPowerOfTwoAverageForFastCdc() {
        assertThatThrownBy(() -> new ChunkingSpec(Kind.FASTCDC, 2 * KIB, 6 * KIB, 64 * KIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
        assertThat(new ChunkingSpec(Kind.FIXED, 2 * KIB, 6 * KIB, 64 * KIB).maxSize())
                .isEqualTo(64 * KIB);
    }

    @Test
    void shouldRejectAMaximumAbove64MiB() {
        assertThatThrownBy(() -> new ChunkingSpec(Kind.FIXED, MIB, MIB, 64 * MIB + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSize");
        assertThat(ChunkingSpec.fixed(64 * MIB).maxSize()).isEqualTo(64 * MIB);
    }

    @Test
    void shouldRequireAKind() {
        assertThatThrownBy(() -> new ChunkingSpec(null, MIB, MIB, MIB)).isInstanceOf(IllegalArgumentException.class);
    }
}
