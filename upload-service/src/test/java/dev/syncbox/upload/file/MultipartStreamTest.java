package dev.syncbox.upload.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The streaming multipart parser against bodies built by hand, read back through awkward read sizes. */
class MultipartStreamTest {

    private static final String BOUNDARY = "----syncbox-test-7f3a";
    private static final int SMALL_BUFFER = 17 * 1024;

    @Test
    void shouldReturnEveryPartByteForByte() throws IOException {
        SplittableRandom sizes = new SplittableRandom(20261202);
        for (int trial = 0; trial < 60; trial++) {
            long seed = sizes.nextLong();
            int size = trial == 0 ? 0 : sizes.nextInt(200_000);
            int readSize = 1 + sizes.nextInt(9000);
            byte[] content = nearMisses(new SplittableRandom(seed), size);
            byte[] body =
                    body("preamble to ignore\r\n", List.of(field("file_path", "/a/b.txt"), file("content", content)));

            List<Object[]> parts = parse(new Trickle(body, seed), readSize);

            assertThat(parts).hasSize(2);
            assertThat(parts.get(0)[0]).isEqualTo("file_path");
            assertThat(new String((byte[]) parts.get(0)[1], StandardCharsets.UTF_8))
                    .isEqualTo("/a/b.txt");
            assertThat(parts.get(1)[0]).isEqualTo("content");
            assertThat((byte[]) parts.get(1)[1])
                    .as("seed %d, size %d", seed, size)
                    .isEqualTo(content);
        }
    }

    @Test
    void shouldSkipAPartTheReaderLeaves() throws IOException {
        byte[] big = nearMisses(new SplittableRandom(1), 100_000);
        MultipartStream stream = new MultipartStream(
                new ByteArrayInputStream(body("", List.of(file("skipped", big), field("after", "yes")))),
                BOUNDARY,
                SMALL_BUFFER);

        assertThat(stream.next().name()).isEqualTo("skipped");
        MultipartUpload.Part after = stream.next();
        assertThat(after.name()).isEqualTo("after");
        assertThat(MultipartUpload.text(after)).isEqualTo("yes");
        assertThat(stream.next()).isNull();
        assertThat(stream.next()).isNull();
    }

    @Test
    void shouldAcceptQuotedNamesAndTransportPadding() throws IOException {
        byte[] body = ("--" + BOUNDARY
                        + "  \t\r\nContent-Disposition: form-data; filename=\"x;y.txt\"; name=\"we\\\"ird\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nvalue\r\n--" + BOUNDARY + "--\r\nepilogue")
                .getBytes(StandardCharsets.UTF_8);
        MultipartStream stream = new MultipartStream(new ByteArrayInputStream(body), BOUNDARY, SMALL_BUFFER);

        MultipartUpload.Part part = stream.next();
        assertThat(part.name()).isEqualTo("we\"ird");
        assertThat(MultipartUpload.text(part)).isEqualTo("value");
        assertThat(stream.next()).isNull();
    }

    @Test
    void shouldRefuseATruncatedBody() throws IOException {
        byte[] whole = body("", List.of(file("content", new byte[50_000])));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - BOUNDARY.length() - 8);
        MultipartStream stream = new MultipartStream(new ByteArrayInputStream(cut), BOUNDARY, SMALL_BUFFER);
        InputStream content = stream.next().content();

        assertThatThrownBy(content::readAllBytes)
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void shouldRefuseAPartWithoutAName() {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        MultipartStream stream = new MultipartStream(new ByteArrayInputStream(body), BOUNDARY, SMALL_BUFFER);

        assertThatThrownBy(stream::next)
                .isInstanceOf(SyncboxException.class)
                .hasMessageContaining("no Content-Disposition");
    }

    @Test
    void shouldRefuseEndlessHeaders() {
        String header = "X-Pad: " + "a".repeat(20_000) + "\r\n";
        byte[] body = ("--" + BOUNDARY + "\r\n" + header + "\r\nx\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        MultipartStream stream = new MultipartStream(new ByteArrayInputStream(body), BOUNDARY, SMALL_BUFFER);

        assertThatThrownBy(stream::next).isInstanceOf(SyncboxException.class).hasMessageContaining("headers exceed");
    }

    /** Random bytes salted with prefixes of the delimiter, so the search must reject many near matches. */
    private static byte[] nearMisses(SplittableRandom random, int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        byte[] delimiter = ("\r\n--" + BOUNDARY).getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at + delimiter.length < size; at += 1 + random.nextInt(4000)) {
            int prefix = random.nextInt(delimiter.length - 1) + 1; // never the whole delimiter
            System.arraycopy(delimiter, 0, data, at, prefix);
        }
        return data;
    }

    private static List<Object[]> parse(InputStream in, int readSize) throws IOException {
        MultipartStream stream = new MultipartStream(in, BOUNDARY, SMALL_BUFFER);
        List<Object[]> parts = new ArrayList<>();
        for (MultipartUpload.Part part = stream.next(); part != null; part = stream.next()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[readSize];
            for (int n = part.content().read(chunk, 0, readSize);
                    n >= 0;
                    n = part.content().read(chunk, 0, readSize)) {
                out.write(chunk, 0, n);
            }
            parts.add(new Object[] {part.name(), out.toByteArray()});
        }
        return parts;
    }

    private static byte[] field(String name, String value) {
        return ("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] file(String name, byte[] content) {
        byte[] head = ("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"f.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] part = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, part, head.length, content.length);
        return part;
    }

    private static byte[] body(String preamble, List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.UTF_8));
        for (byte[] part : parts) {
            out.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Hands out the body in random small pieces, as a socket does. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final SplittableRandom random;

        Trickle(byte[] body, long seed) {
            this.in = new ByteArrayInputStream(body);
            this.random = new SplittableRandom(seed ^ 0x5bd1e995L);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1 + random.nextInt(5000)));
        }
    }
}
