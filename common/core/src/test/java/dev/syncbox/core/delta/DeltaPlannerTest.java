package dev.syncbox.core.delta;

import static dev.syncbox.core.delta.BlockDeltaTest.concat;
import static dev.syncbox.core.delta.BlockDeltaTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.delta.DeltaPlanner.BlockUpload;
import dev.syncbox.core.delta.DeltaPlanner.Plan;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaPlannerTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final Chunker CHUNKER = Chunker.of(ChunkingSpec.fastCdcDefault());
    private static final byte[] OLD = random(42, 64 * MIB);
    private static final List<ChunkRef> PREVIOUS = CHUNKER.split(OLD);

    @Test
    void shouldUploadNothingForAnUnchangedFile() throws IOException {
        Plan plan = planAndVerify(OLD);

        assertThat(plan.uploads()).isEmpty();
        assertThat(plan.blocks()).isEqualTo(PREVIOUS);
    }

    @Test
    void shouldSendAKibibyteOverwriteAsSmallDeltas() throws IOException {
        byte[] edited = OLD.clone();
        System.arraycopy(random(1, KIB), 0, edited, 32 * MIB, KIB);

        Plan plan = planAndVerify(edited);

        assertThat(plan.uploads()).hasSizeBetween(1, 2).allMatch(BlockUpload::isDelta);
        assertThat(plan.uploadBytes()).isLessThanOrEqualTo(2 * KIB);
    }

    @Test
    void shouldSendAKibibyteInsertedAtTheStartAsSmallDeltas() throws IOException {
        byte[] edited = concat(random(2, KIB), OLD);

        Plan plan = planAndVerify(edited);

        assertThat(plan.uploads()).isNotEmpty().allMatch(BlockUpload::isDelta);
        assertThat(plan.uploadBytes()).isLessThanOrEqualTo(2 * KIB);
    }

    @Test
    void shouldSendADeletedKibibyteAsSmallDeltas() throws IOException {
        byte[] edited =
                concat(Arrays.copyOfRange(OLD, 0, 20 * MIB), Arrays.copyOfRange(OLD, 20 * MIB + KIB, OLD.length));

        Plan plan = planAndVerify(edited);

        assertThat(plan.uploads()).allMatch(BlockUpload::isDelta);
        assertThat(plan.uploadBytes()).isLessThanOrEqualTo(KIB);
    }

    @Test
    void shouldSendLittleMoreThanAnAppendedMebibyte() throws IOException {
        byte[] edited = concat(OLD, random(3, MIB));

        Plan plan = planAndVerify(edited);

        assertThat(plan.uploadBytes()).isLessThanOrEqualTo(MIB + MIB / 10);
    }

    @Test
    void shouldUploadWholeBlocksOfANewFile() throws IOException {
        byte[] content = random(4, 5 * MIB);

        Plan plan = DeltaPlanner.plan(
                CHUNKER, List.of(), RandomAccessContent.of(new byte[0]), new ByteArrayInputStream(content));

        assertThat(plan.uploads()).isNotEmpty().noneMatch(BlockUpload::isDelta);
        assertThat(plan.uploadBytes()).isEqualTo(content.length);
        assertThat(rebuild(plan, Map.of())).isEqualTo(content);
    }

    @Test
    void shouldPlanAnEmptyFile() throws IOException {
        Plan plan = DeltaPlanner.plan(
                CHUNKER, PREVIOUS, RandomAccessContent.of(OLD), new ByteArrayInputStream(new byte[0]));

        assertThat(plan.blocks()).isEmpty();
        assertThat(plan.uploads()).isEmpty();
        assertThat(plan.size()).isZero();
        assertThat(plan.contentHash()).isEqualTo(ContentHasher.of(new byte[0]));
    }

    @Test
    void shouldUploadARepeatedNewBlockOnce() throws IOException {
        Chunker fixed = Chunker.of(ChunkingSpec.fixed(64 * KIB));
        byte[] block = random(5, 64 * KIB);
        byte[] content = concat(block, block, block);

        Plan plan = DeltaPlanner.plan(
                fixed, List.of(), RandomAccessContent.of(new byte[0]), new ByteArrayInputStream(content));

        assertThat(plan.blocks()).hasSize(3);
        assertThat(plan.uploads()).hasSize(1);
    }

    @Test
    void shouldNotUseABaseWhoseOldBytesNoLongerMatchItsId() throws IOException {
        Chunker small = Chunker.of(new ChunkingSpec(ChunkingSpec.Kind.FASTCDC, 16 * KIB, 64 * KIB, 256 * KIB));
        byte[] old = random(6, MIB);
        List<ChunkRef> previous = small.split(old);
        byte[] stale = old.clone();
        for (int i = 0; i < stale.length; i += 4096) {
            stale[i] ^= 1;
        }
        byte[] edited = old.clone();
        edited[MIB / 2] ^= 1;

        Plan plan = DeltaPlanner.plan(small, previous, RandomAccessContent.of(stale), new ByteArrayInputStream(edited));

        assertThat(plan.uploads()).hasSize(1).noneMatch(BlockUpload::isDelta);
    }

    @Test
    void shouldRejectAPreviousBlockListWithGaps() {
        List<ChunkRef> gappy = List.of(PREVIOUS.get(0), PREVIOUS.get(2));

        assertThatThrownBy(() ->
                        DeltaPlanner.plan(CHUNKER, gappy, RandomAccessContent.of(OLD), new ByteArrayInputStream(OLD)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPlanFromAStreamThatReturnsShortReads() throws IOException {
        Chunker small = Chunker.of(new ChunkingSpec(ChunkingSpec.Kind.FASTCDC, 4 * KIB, 16 * KIB, 64 * KIB));
        byte[] old = random(7, 2 * MIB);
        byte[] edited =
                concat(Arrays.copyOfRange(old, 0, MIB), random(8, 300), Arrays.copyOfRange(old, MIB, old.length));
        List<ChunkRef> previous = small.split(old);

        Plan plan = DeltaPlanner.plan(small, previous, RandomAccessContent.of(old), trickle(edited));

        assertThat(plan.blocks()).isEqualTo(small.split(edited));
        assertThat(plan.uploadBytes()).isLessThanOrEqualTo(300 + 128);
        assertThat(rebuild(plan, blocksById(old, previous))).isEqualTo(edited);
    }

    /** Plans {@code edited} against {@link #OLD} and checks the plan the way the server would. */
    private static Plan planAndVerify(byte[] edited) throws IOException {
        Plan plan = DeltaPlanner.plan(CHUNKER, PREVIOUS, RandomAccessContent.of(OLD), new ByteArrayInputStream(edited));

        assertThat(plan.size()).isEqualTo(edited.length);
        assertThat(plan.contentHash()).isEqualTo(ContentHasher.of(edited));
        assertThat(plan.blocks()).isEqualTo(CHUNKER.split(edited));
        assertThat(rebuild(plan, blocksById(OLD, PREVIOUS))).isEqualTo(edited);
        return plan;
    }

    /** What the server ends up with: the old blocks plus every upload, then the new version's blocks in order. */
    private static byte[] rebuild(Plan plan, Map<String, byte[]> oldBlocks) {
        Map<String, byte[]> store = new HashMap<>(oldBlocks);
        for (BlockUpload upload : plan.uploads()) {
            byte[] block = upload.data();
            if (upload.isDelta()) {
                assertThat(upload.baseIds())
                        .hasSizeBetween(1, DeltaPlanner.MAX_BASES)
                        .allMatch(oldBlocks::containsKey);
                List<byte[]> bases = new ArrayList<>();
                upload.baseIds().forEach(id -> bases.add(oldBlocks.get(id)));
                block = BlockDelta.apply(bases, upload.delta());
                assertThat(upload.delta().length).isLessThan(block.length);
            }
            assertThat(Sha256.hex(block)).isEqualTo(upload.blockId());
            store.put(upload.blockId(), block);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ChunkRef ref : plan.blocks()) {
            out.writeBytes(store.get(ref.blockId()));
        }
        return out.toByteArray();
    }

    private static Map<String, byte[]> blocksById(byte[] content, List<ChunkRef> refs) {
        Map<String, byte[]> blocks = new HashMap<>();
        for (ChunkRef ref : refs) {
            blocks.put(ref.blockId(), Arrays.copyOfRange(content, (int) ref.offset(), (int) ref.end()));
        }
        return blocks;
    }

    /** A stream that hands out at most 1,000 bytes per read. */
    private static InputStream trickle(byte[] data) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
    }
}
