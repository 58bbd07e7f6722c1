package dev.syncbox.core.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.Hex;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockDeltaTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    @Test
    void shouldEncodeIdenticalContentInAHandfulOfBytes() {
        byte[] block = random(1, 4 * MIB);

        byte[] delta = roundTrip(List.of(block), block);

        assertThat(delta).hasSizeLessThanOrEqualTo(16);
        assertThat(BlockDelta.literalBytes(delta)).isZero();
    }

    @Test
    void shouldKeepTheWireFormatStable() {
        byte[] base = random(2, 300);
        byte[] target = concat(Arrays.copyOfRange(base, 0, 200), new byte[] {7, 8, 9});

        byte[] delta = roundTrip(List.of(base), target);

        // "SBD1", COPY base 0 offset 0 length 200 (varint 0xC8 0x01), LITERAL 3 bytes, END.
        assertThat(Hex.encode(delta))
                .isEqualTo("53424431" + "01" + "00" + "00" + "c801" + "02" + "03" + "070809" + "00");
    }

    @Test
    void shouldSendOnlyAnOverwrittenKibibyte() {
        byte[] base = random(3, 4 * MIB);
        byte[] target = base.clone();
        System.arraycopy(random(4, KIB), 0, target, 2 * MIB, KIB);

        byte[] delta = roundTrip(List.of(base), target);

        assertThat(delta.length).isLessThanOrEqualTo(KIB + 64);
    }

    @Test
    void shouldSendOnlyAKibibyteInsertedAtTheFront() {
        byte[] base = random(5, 4 * MIB);
        byte[] target = concat(random(6, KIB), base);

        byte[] delta = roundTrip(List.of(base), target);

        assertThat(delta.length).isLessThanOrEqualTo(KIB + 64);
        assertThat(BlockDelta.literalBytes(delta)).isEqualTo(KIB);
    }

    @Test
    void shouldSendAlmostNothingForADeletedKibibyte() {
        byte[] base = random(7, 4 * MIB);
        byte[] target = concat(Arrays.copyOfRange(base, 0, MIB), Arrays.copyOfRange(base, MIB + KIB, base.length));

        byte[] delta = roundTrip(List.of(base), target);

        assertThat(delta.length).isLessThanOrEqualTo(64);
    }

    @Test
    void shouldSendOnlyAppendedBytes() {
        byte[] base = random(8, 3 * MIB);
        byte[] target = concat(base, random(9, 5000));

        byte[] delta = roundTrip(List.of(base), target);

        assertThat(BlockDelta.literalBytes(delta)).isEqualTo(5000);
        assertThat(delta.length).isLessThanOrEqualTo(5000 + 32);
    }

    @Test
    void shouldSendOnlyTwoSmallEditsFarApart() {
        byte[] base = random(10, 4 * MIB);
        byte[] target = base.clone();
        System.arraycopy(random(11, 100), 0, target, MIB, 100);
        System.arraycopy(random(12, 100), 0, target, 2 * MIB, 100);

        byte[] delta = roundTrip(List.of(base), target);

        assertThat(BlockDelta.literalBytes(delta)).isLessThanOrEqualTo(200);
        assertThat(delta.length).isLessThanOrEqualTo(200 + 64);
    }

    @Test
    void shouldFindAnEditedBlockInsideSeveralBases() {
        byte[] old = random(13, 3 * MIB);
        List<byte[]> bases = List.of(
                Arrays.copyOfRange(old, 0, MIB),
                Arrays.copyOfRange(old, MIB, 2 * MIB),
                Arrays.copyOfRange(old, 2 * MIB, 3 * MIB));
        // A new block that starts and ends inside the bases and has 100 bytes inserted.
        byte[] target = concat(
                Arrays.copyOfRange(old, 700 * KIB, 1500 * KIB),
                random(14, 100),
                Arrays.copyOfRange(old, 1500 * KIB, 2300 * KIB));

        byte[] delta = roundTrip(bases, target);

        assertThat(BlockDelta.literalBytes(delta)).isEqualTo(100);
        assertThat(delta.length).isLessThanOrEqualTo(100 + 64);
    }

    @Test
    void shouldCopyAcrossBaseBoundariesAsSeparateOps() {
        byte[] old = random(15, 10_000);
        List<byte[]> bases =
                List.of(Arrays.copyOfRange(old, 0, 3000), new byte[0], Arrays.copyOfRange(old, 3000, 10_000));

        byte[] delta = roundTrip(bases, old);

        assertThat(Hex.encode(delta)).isEqualTo("53424431" + "0100" + "00b817" + "0102" + "00d836" + "00");
    }

    @Test
    void shouldEncodeAnEmptyTarget() {
        byte[] delta = roundTrip(List.of(random(16, 1000)), new byte[0]);

        assertThat(delta).hasSize(5);
    }

    @Test
    void shouldEncodeAgainstNoBasesAsOneLiteral() {
        byte[] target = random(17, 70_000);

        byte[] delta = roundTrip(List.of(), target);

        assertThat(BlockDelta.literalBytes(delta)).isEqualTo(target.length);
        assertThat(delta.length).isLessThanOrEqualTo(target.length + 10);
    }

    @Test
    void shouldNotGrowUnrelatedContentBeyondFraming() {
        byte[] target = random(18, MIB);

        byte[] delta = roundTrip(List.of(random(19, 2 * MIB), random(20, MIB)), target);

        assertThat(delta.length).isLessThanOrEqualTo(target.length + 10);
    }

    @Test
    void shouldEncodeASliceOfTheTargetArray() {
        byte[] base = random(21, 100_000);
        byte[] padded = concat(new byte[10], base, new byte[7]);

        byte[] delta = BlockDelta.encode(List.of(base), padded, 10, base.length);

        assertThat(BlockDelta.apply(List.of(base), delta)).isEqualTo(base);
        assertThat(delta).hasSizeLessThanOrEqualTo(16);
    }

    @Test
    void shouldRoundTripRepetitiveContent() {
        byte[] base = new byte[MIB];
        byte[] target = new byte[MIB + 333];
        Arrays.fill(target, 1000, 1100, (byte) 1);

        byte[] delta = roundTrip(List.of(base), target);

        assertThat(delta.length).isLessThanOrEqualTo(100 + 64);
    }

    @Test
    void shouldRoundTripRandomEdits() {
        SplittableRandom random = new SplittableRandom(20240611);
        for (int round = 0; round < 300; round++) {
            byte[] old = random(random.nextLong(), random.nextInt(0, 200_000));
            List<byte[]> bases = split(old, random);
            byte[] target = old;
            int edits = random.nextInt(0, 6);
            long editedBytes = 0;
            for (int e = 0; e < edits; e++) {
                int size = random.nextInt(1, 2000);
                target = edit(target, random, size);
                editedBytes += size;
            }

            byte[] delta = roundTrip(bases, target);

            assertThat(delta.length).as("round %d", round).isLessThanOrEqualTo(target.length + 16);
            if (old.length > 0 && edits > 0) {
                // An edit costs its own bytes plus, around each of its up to three seams, less than two windows.
                assertThat(BlockDelta.literalBytes(delta))
                        .as("round %d", round)
                        .isLessThanOrEqualTo(editedBytes + edits * 3L * 64 + 64);
            }
        }
    }

    @Test
    void shouldAcceptAnOutputOfExactlyTheLimit() {
        byte[] base = random(22, 1000);

        byte[] delta = BlockDelta.encode(List.of(base), base);

        assertThat(BlockDelta.apply(List.of(base), delta, 1000)).isEqualTo(base);
        assertMalformed(() -> BlockDelta.apply(List.of(base), delta, 999));
    }

    @Test
    void shouldRejectMalformedDeltas() {
        List<byte[]> bases = List.of(new byte[100], new byte[50]);

        assertMalformed(() -> BlockDelta.apply(bases, bytes()));
        assertMalformed(() -> BlockDelta.apply(bases, bytes('S', 'B', 'D')));
        assertMalformed(() -> BlockDelta.apply(bases, bytes('S', 'B', 'D', '2', 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta()));
        assertMalformed(() -> BlockDelta.apply(bases, delta(0, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(0x03, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 0, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 0, 0, 0x80)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 1, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 0x80, 0x80, 0x80, 0x80, 0x08, 0, 1, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 2, 0, 1, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 1, 0, 51, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 1, 51, 1, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 0, 0x7F, 2, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(1, 0, 0, 0, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(2, 0, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(2, 5, 1, 2, 3, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(2, 1, 9)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(2, 1, 9, 0, 0)));
        assertMalformed(() -> BlockDelta.apply(bases, delta(2, 1, 9, 0, 2, 1, 9)));
    }

    @Test
    void shouldRefuseHugeDeclaredLengthsBeforeAllocating() {
        List<byte[]> bases = List.of(new byte[100]);
        // A literal that claims 2^31 - 1 bytes, and 10,000 copies of the whole base against a 64 KiB limit.
        byte[] hugeLiteral = delta(2, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 1, 0);
        ByteArrayOutputStream copies = new ByteArrayOutputStream();
        copies.writeBytes(bytes('S', 'B', 'D', '1'));
        for (int i = 0; i < 10_000; i++) {
            copies.writeBytes(bytes(1, 0, 0, 100));
        }
        copies.write(0);

        assertMalformed(() -> BlockDelta.apply(bases, hugeLiteral));
        assertMalformed(() -> BlockDelta.apply(bases, copies.toByteArray(), 64 * KIB));
        assertThat(BlockDelta.apply(bases, copies.toByteArray(), MIB)).hasSize(1_000_000);
    }

    @Test
    void shouldCountLiteralBytes() {
        assertThat(BlockDelta.literalBytes(delta(2, 2, 5, 6, 1, 0, 0, 10, 2, 1, 7, 0)))
                .isEqualTo(3);
        assertMalformed(() -> BlockDelta.literalBytes(delta(2, 5, 1)));
    }

    private static byte[] roundTrip(List<byte[]> bases, byte[] target) {
        byte[] delta = BlockDelta.encode(bases, target);
        assertThat(BlockDelta.apply(bases, delta)).isEqualTo(target);
        return delta;
    }

    private static void assertMalformed(Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    /** The magic bytes followed by {@code ops}. */
    private static byte[] delta(int... ops) {
        return concat(bytes('S', 'B', 'D', '1'), bytes(ops));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code data} cut into 1 to 4 consecutive bases (some possibly empty). */
    private static List<byte[]> split(byte[] data, SplittableRandom random) {
        List<byte[]> bases = new ArrayList<>();
        int parts = random.nextInt(1, 5);
        int from = 0;
        for (int p = 1; p < parts; p++) {
            int to = random.nextInt(from, data.length + 1);
            bases.add(Arrays.copyOfRange(data, from, to));
            from = to;
        }
        bases.add(Arrays.copyOfRange(data, from, data.length));
        return bases;
    }

    /** One random insert, delete, overwrite or move of about {@code size} bytes. */
    private static byte[] edit(byte[] data, SplittableRandom random, int size) {
        int at = random.nextInt(0, data.length + 1);
        int end = Math.min(data.length, at + size);
        byte[] head = Arrays.copyOfRange(data, 0, at);
        byte[] tail = Arrays.copyOfRange(data, end, data.length);
        return switch (random.nextInt(4)) {
            case 0 -> concat(head, random(random.nextLong(), size), Arrays.copyOfRange(data, at, data.length));
            case 1 -> concat(head, tail);
            case 2 -> concat(head, random(random.nextLong(), end - at), tail);
            default -> concat(tail, head, Arrays.copyOfRange(data, at, end));
        };
    }
}
