package dev.syncbox.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The batch download's framing read back: any parts, including bodies that hold the delimiter itself or stray line
 * ends, come out exactly as written, read in any slice sizes; an answer cut anywhere is an error, never a short part.
 */
class MultipartReaderTest {

    private static final String BOUNDARY = "syncbox-test";

    @Property(tries = 300)
    void shouldReadBackWhatWasWritten(
            @ForAll("bodies") List<byte[]> bodies, @ForAll @IntRange(min = 1, max = 300) int slice) throws IOException {
        List<byte[]> read = new ArrayList<>();
        try (MultipartReader reader = new MultipartReader(new ByteArrayInputStream(write(bodies)), BOUNDARY)) {
            for (Map<String, String> headers; (headers = reader.next()) != null; ) {
                assertThat(headers).containsEntry("x-index", Integer.toString(read.size()));
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                byte[] buffer = new byte[slice];
                for (int n; (n = reader.read(buffer, 0, slice)) > 0; ) {
                    body.write(buffer, 0, n);
                }
                read.add(body.toByteArray());
            }
        }
        assertThat(read).hasSize(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(read.get(i)).isEqualTo(bodies.get(i));
        }
    }

    @Property(tries = 200)
    void shouldFailAnAnswerCutShort(@ForAll("bodies") List<byte[]> bodies, @ForAll @IntRange(min = 0) int cutAt) {
        byte[] whole = write(bodies);
        byte[] cut = Arrays.copyOf(whole, cutAt % whole.length);

        assertThatThrownBy(() -> {
                    try (MultipartReader reader = new MultipartReader(new ByteArrayInputStream(cut), BOUNDARY)) {
                        while (reader.next() != null) {
                            reader.readAll();
                        }
                    }
                })
                .isInstanceOf(IOException.class);
    }

    @Test
    void shouldRefuseAPartLongerThanItsLengthSays() {
        byte[] answer = ("--" + BOUNDARY + "\r\nContent-Length: 2\r\n\r\nabc\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> {
                    try (MultipartReader reader = new MultipartReader(new ByteArrayInputStream(answer), BOUNDARY)) {
                        reader.next();
                        reader.readAll();
                        reader.next();
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("longer than its Content-Length");
    }

    @Test
    void shouldRefuseAPartWithoutALength() {
        byte[] answer = ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nabc\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(answer), BOUNDARY).next())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Content-Length");
    }

    @Test
    void shouldFindTheBoundaryOfAContentType() {
        assertThat(MultipartReader.boundary("multipart/mixed; boundary=syncbox-1"))
                .isEqualTo("syncbox-1");
        assertThat(MultipartReader.boundary("multipart/mixed;Boundary=\"a b\";charset=x"))
                .isEqualTo("a b");
        assertThat(MultipartReader.boundary("application/json")).isNull();
        assertThat(MultipartReader.boundary(null)).isNull();
    }

    @Provide
    Arbitrary<List<byte[]>> bodies() {
        Arbitrary<byte[]> tricky = Arbitraries.of(
                        "\r\n--" + BOUNDARY + "\r\n", "--" + BOUNDARY + "--", "\r\n\r\n", "\n", "\r", "")
                .map(s -> s.getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
        return Arbitraries.frequencyOf(Tuple.of(1, tricky), Tuple.of(3, random))
                .list()
                .ofMaxSize(12);
    }

    private static byte[] write(List<byte[]> bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bodies.size(); i++) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                            + bodies.get(i).length + "\r\nX-Index: " + i + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bodies.get(i));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
