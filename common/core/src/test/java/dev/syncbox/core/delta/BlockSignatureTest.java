package dev.syncbox.core.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.SyncboxException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BlockSignatureTest {

    record Edit(int kind, int at, int length, long seed) {}

    @Provide
    Arbitrary<Edit> edit() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 60_000),
                        Arbitraries.integers().between(0, 5_000),
                        Arbitraries.longs())
                .as(Edit::new);
    }

    /** The delta made from the signature alone rebuilds the new bytes from the base, whatever the edits. */
    @Property(tries = 300)
    void shouldRebuildTheTargetFromTheBase(
            @ForAll long seed,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 60_000) int size,
            @ForAll @net.jqwik.api.constraints.Size(max = 4) List<@net.jqwik.api.From("edit") Edit> edits) {
        byte[] base = random(seed, size);
        byte[] target = base;
        for (Edit e : edits) {
            target = apply(target, e);
        }

        byte[] delta = BlockSignature.delta(BlockSignature.of(base), target);

        assertThat(BlockDelta.apply(List.of(base), delta)).isEqualTo(target);
    }

    /** The rolling checksum one byte on equals the checksum computed afresh. */
    @Property(tries = 200)
    void shouldRollTheChecksumAsItIsComputedAfresh(@ForAll long seed) {
        byte[] data = random(seed, 3 * BlockSignature.WINDOW);
        int weak = BlockSignature.weak(data, 0, BlockSignature.WINDOW);
        for (int pos = 0; pos + BlockSignature.WINDOW < data.length; pos += 97) {
            for (int step = 0; step < 97 && pos + step + BlockSignature.WINDOW < data.length; step++) {
                int at = pos + step;
                assertThat(weak).isEqualTo(BlockSignature.weak(data, at, BlockSignature.WINDOW));
                weak = BlockSignature.roll(weak, data[at], data[at + BlockSignature.WINDOW], BlockSignature.WINDOW);
            }
        }
    }

    @Test
    void shouldCostAboutTheEditForAKibibyteOverwrittenInAMebibyteBlock() {
        byte[] base = random(1, 1 << 20);
        byte[] target = base.clone();
        System.arraycopy(random(2, 1024), 0, target, 500_000, 1024);

        byte[] signature = BlockSignature.of(base);
        byte[] delta = BlockSignature.delta(signature, target);

        assertThat(signature.length).isLessThanOrEqualTo(12 + 512 * 12);
        assertThat(BlockDelta.literalBytes(delta)).isLessThanOrEqualTo(2L * BlockSignature.WINDOW);
        assertThat(delta.length).isLessThan(5_000);
        assertThat(BlockDelta.apply(List.of(base), delta)).isEqualTo(target);
    }

    @Test
    void shouldRefuseAMalformedSignature() {
        byte[] good = BlockSignature.of(random(3, 10_000));
        assertThatThrownBy(() -> BlockSignature.delta(new byte[] {1, 2, 3}, new byte[10]))
                .isInstanceOf(SyncboxException.class);
        assertThatThrownBy(() -> BlockSignature.delta(Arrays.copyOf(good, good.length - 1), new byte[10]))
                .isInstanceOf(SyncboxException.class);
        byte[] zeroWindow = good.clone();
        zeroWindow[4] = zeroWindow[5] = zeroWindow[6] = zeroWindow[7] = 0;
        assertThatThrownBy(() -> BlockSignature.delta(zeroWindow, new byte[10])).isInstanceOf(SyncboxException.class);
    }

    private static byte[] apply(byte[] data, Edit e) {
        int at = data.length == 0 ? 0 : e.at() % (data.length + 1);
        byte[] bytes = random(e.seed(), e.length());
        return switch (e.kind()) {
            case 0 -> concat(Arrays.copyOf(data, at), bytes, Arrays.copyOfRange(data, at, data.length));
            case 1 ->
                concat(
                        Arrays.copyOf(data, at),
                        new byte[0],
                        Arrays.copyOfRange(data, Math.min(data.length, at + e.length()), data.length));
            default -> {
                byte[] copy = data.clone();
                System.arraycopy(bytes, 0, copy, at, Math.min(bytes.length, copy.length - at));
                yield copy;
            }
        };
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + b.length + c.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
