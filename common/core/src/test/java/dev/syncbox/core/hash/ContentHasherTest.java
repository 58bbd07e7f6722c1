package dev.syncbox.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Vectors: content-hash-vectors.tsv, copied from the mission's vectors folder (see its README). */
class ContentHasherTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    record Vector(String name, int size, String sha256, String contentHash) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Vector> vectors() throws IOException {
        try (InputStream in = ContentHasherTest.class.getResourceAsStream("/content-hash-vectors.tsv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .skip(1)
                    .filter(line -> !line.isBlank())
                    .map(line -> line.split("\t"))
                    .map(f -> new Vector(f[0], Integer.parseInt(f[1]), f[3], f[4]))
                    .collect(Collectors.toList());
        }
    }

    /** The generator named in the table: byte[i] = (i*31 + 7) mod 251. */
    static byte[] synth(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ((i * 31L + 7) % 251);
        }
        return data;
    }

    @Test
    void shouldGenerateTheSynthDataTheTableDescribes() {
        assertThat(Hex.encode(synth(10))).isEqualTo("0726456483a2c1e00423");
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void shouldMatchDropboxContentHashVectors(Vector vector) {
        byte[] data = synth(vector.size());
        assertThat(Sha256.hex(data)).as("the generated input itself").isEqualTo(vector.sha256());

        assertThat(ContentHasher.of(data)).isEqualTo(vector.contentHash());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void shouldNotDependOnHowTheInputIsSliced(Vector vector) {
        byte[] data = synth(vector.size());
        Random random = new Random(vector.size());
        int[] fixedSlices = {1, 7, 4093, 65_537, ContentHasher.BLOCK_SIZE - 1, ContentHasher.BLOCK_SIZE + 3};
        for (int slice : fixedSlices) {
            assertThat(hashInSlices(data, () -> slice))
                    .as("slices of %d", slice)
                    .isEqualTo(vector.contentHash());
        }
        assertThat(hashInSlices(data, () -> 1 + random.nextInt(1_000_003)))
                .as("random slices")
                .isEqualTo(vector.contentHash());
    }

    @Test
    void shouldCombineBlockDigestsLikeTheDropboxMilkyWayExample() {
        // Dropbox developer reference, "content-hash": milky-way-nasa.jpg, 9,711,423 bytes, three blocks.
        List<byte[]> digests = List.of(
                Hex.decode("2a846fa617c3361fc117e1c5c1e1838c336b6a5cef982c1a2d9bdf68f2f1992a"),
                Hex.decode("c68469027410ea393eba6551b9fa1e26db775f00eae70a0c3c129a0011a39cf9"),
                Hex.decode("7376192de020925ce6c5ef5a8a0405e931b0a9a8c75517aacd9ca24a8a56818b"));

        assertThat(ContentHasher.ofBlockDigests(digests))
                .isEqualTo("485291fa0ee50c016982abbfa943957bcd231aae0492ccbaa22c58e3997b35e0");
    }

    @Test
    void shouldHashEmptyInputToTheSha256OfNothing() {
        ContentHasher hasher = new ContentHasher();

        assertThat(hasher.hexDigest()).isEqualTo(EMPTY_SHA256);
        assertThat(hasher.size()).isZero();
        assertThat(ContentHasher.ofBlockDigests(List.of())).isEqualTo(EMPTY_SHA256);
    }

    @Test
    void shouldAgreeWithTheBlockDigestCombination() {
        byte[] data = synth(ContentHasher.BLOCK_SIZE + 10);
        byte[] first = Sha256.newDigest().digest(Arrays.copyOfRange(data, 0, ContentHasher.BLOCK_SIZE));
        byte[] second = Sha256.newDigest().digest(Arrays.copyOfRange(data, ContentHasher.BLOCK_SIZE, data.length));

        assertThat(ContentHasher.of(data)).isEqualTo(ContentHasher.ofBlockDigests(List.of(first, second)));
    }

    @Test
    void shouldCountTheBytesSeen() {
        ContentHasher hasher = new ContentHasher();
        hasher.update(new byte[10]);
        hasher.update(new byte[100], 5, 20);

        assertThat(hasher.size()).isEqualTo(30);
    }

    @Test
    void shouldReturnTheSameDigestWhenAskedTwiceAndRefuseMoreInput() {
        ContentHasher hasher = new ContentHasher();
        hasher.update(new byte[] {1});
        String digest = hasher.hexDigest();

        assertThat(hasher.hexDigest()).isEqualTo(digest);
        assertThatThrownBy(() -> hasher.update(new byte[] {2})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRejectABlockDigestOfTheWrongLength() {
        assertThatThrownBy(() -> ContentHasher.ofBlockDigests(List.of(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String hashInSlices(byte[] data, IntSupplier sliceSize) {
        ContentHasher hasher = new ContentHasher();
        int off = 0;
        while (off < data.length) {
            int len = Math.min(sliceSize.getAsInt(), data.length - off);
            hasher.update(data, off, len);
            off += len;
        }
        assertThat(hasher.size()).isEqualTo(data.length);
        return hasher.hexDigest();
    }

    @Test
    void shouldExposeOneDigestPerFourMiBBlockThatRecombinesToTheContentHash() {
        byte[] data = new byte[2 * ContentHasher.BLOCK_SIZE + 5];
        new java.util.SplittableRandom(7).nextBytes(data);
        ContentHasher hasher = new ContentHasher();
        hasher.update(data);

        byte[] digests = hasher.blockDigests();

        assertThat(digests).hasSize(3 * 32);
        assertThat(ContentHasher.ofConcatenatedDigests(digests)).isEqualTo(hasher.hexDigest());
        assertThat(java.util.Arrays.copyOfRange(digests, 64, 96))
                .isEqualTo(Sha256.newDigest()
                        .digest(java.util.Arrays.copyOfRange(data, 2 * ContentHasher.BLOCK_SIZE, data.length)));
        assertThat(new ContentHasher().blockDigests()).isEmpty();
        assertThat(ContentHasher.ofConcatenatedDigests(new byte[0])).isEqualTo(EMPTY_SHA256);
    }
}
