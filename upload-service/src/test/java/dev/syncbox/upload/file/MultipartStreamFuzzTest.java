package dev.syncbox.upload.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the streaming multipart parser every upload and update goes through. Half the
 * inputs are any bytes under a boundary the fuzzer also picks: the parser either walks them to the end or refuses them
 * as {@code invalid_request} — never another exception, which would be a 500, and never a loop. The other half are
 * well-formed bodies built from the fuzzer's parts (names and contents, a content repeated to cross the parser's
 * buffer), read back through read sizes it also picks: the parser must answer exactly those parts, byte for byte — the
 * plain reference being the list the body was built from. In the test command it replays the inputs kept under
 * {@code src/test/resources}; {@code reliability/fuzz.sh} fuzzes for a while and keeps what it finds.
 */
class MultipartStreamFuzzTest {

    /** The smallest buffer the parser takes for a boundary of {@code n} characters: its refills happen most often. */
    private static int smallestBuffer(String boundary) {
        return 4 + boundary.length() + 16 * 1024;
    }

    @FuzzTest(maxDuration = "60s")
    void refusesOrReturnsExactlyTheParts(FuzzedDataProvider data) throws IOException {
        String boundary = boundary(data.consumeAsciiString(1 + data.consumeInt(0, 40)));
        int readSize = data.consumeInt(1, 20_000);
        if (data.consumeBoolean()) {
            anyBytes(boundary, readSize, data.consumeRemainingAsBytes());
        } else {
            wellFormed(boundary, readSize, data);
        }
    }

    private static void anyBytes(String boundary, int readSize, byte[] body) throws IOException {
        MultipartStream stream = new MultipartStream(new Pieces(body, readSize), boundary, smallestBuffer(boundary));
        byte[] sink = new byte[readSize];
        try {
            // Each part read to its end; a body of n bytes holds at most n parts, so this ends.
            for (int parts = 0; parts <= body.length + 1; parts++) {
                MultipartUpload.Part part = stream.next();
                if (part == null) {
                    return;
                }
                while (part.content().read(sink, 0, sink.length) >= 0) {
                    // read to the end
                }
            }
            throw new AssertionError("more parts than bytes in the body");
        } catch (SyncboxException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        }
    }

    private static void wellFormed(String boundary, int readSize, FuzzedDataProvider data) throws IOException {
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        int count = data.consumeInt(0, 5);
        for (int i = 0; i < count; i++) {
            names.add("p" + i + data.consumeAsciiString(8).replaceAll("[^A-Za-z0-9_]", ""));
            byte[] piece = data.consumeBytes(data.consumeInt(0, 600));
            int times = data.consumeInt(1, 120);
            byte[] content = new byte[piece.length * times];
            for (int t = 0; t < times; t++) {
                System.arraycopy(piece, 0, content, t * piece.length, piece.length);
            }
            if (indexOf(content, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1)) >= 0) {
                return; // a content that holds the delimiter is not one body but another: no reference for it
            }
            contents.add(content);
        }
        byte[] body = body(boundary, names, contents);

        MultipartStream stream = new MultipartStream(new Pieces(body, readSize), boundary, smallestBuffer(boundary));
        for (int i = 0; i < count; i++) {
            MultipartUpload.Part part = stream.next();
            assertThat(part).as("part %d of %d", i, count).isNotNull();
            assertThat(part.name()).isEqualTo(names.get(i));
            assertThat(part.content().readAllBytes()).isEqualTo(contents.get(i));
        }
        assertThat(stream.next()).as("nothing after the closing delimiter").isNull();
    }

    /** A boundary as RFC 2046 allows it: 1 to 70 of its characters, not ending in a space. */
    private static String boundary(String wanted) {
        String allowed = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?";
        StringBuilder b = new StringBuilder();
        for (char c : wanted.toCharArray()) {
            b.append(allowed.charAt(c % allowed.length()));
        }
        return b.isEmpty() ? "b" : b.toString();
    }

    private static byte[] body(String boundary, List<String> names, List<byte[]> contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < names.size(); i++) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + names.get(i)
                            + "\"; filename=\"x\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(contents.get(i));
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Hands the body out at most {@code size} bytes a read, as a socket may. */
    private static final class Pieces extends InputStream {
        private final ByteArrayInputStream in;
        private final int size;

        Pieces(byte[] body, int size) {
            this.in = new ByteArrayInputStream(Arrays.copyOf(body, body.length));
            this.size = size;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, size));
        }
    }
}
