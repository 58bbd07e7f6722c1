package dev.syncbox.client.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/mixed} answer part by part as it streams in, for parts that each carry {@code
 * Content-Length} (as the server's batch downloads do): a part's body is exactly that many bytes, so its content is
 * never searched for the boundary, and an answer that breaks off, or whose framing is not what it says, is an error
 * rather than a short file.
 */
final class MultipartReader implements Closeable {

    private static final int LONGEST_LINE = 8 * 1024;

    private final InputStream in;
    private final String delimiter;
    private boolean started;
    private boolean ended;
    private long left;

    MultipartReader(InputStream in, String boundary) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.delimiter = "--" + boundary;
    }

    /** The boundary of a {@code multipart/...; boundary=...} content type, or null if it names none. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String p = parameter.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String value = p.substring(9);
                return value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1)
                        : value;
            }
        }
        return null;
    }

    /**
     * The next part's headers (names in lower case), or null after the closing delimiter. What is left of the part
     * before is skipped.
     */
    Map<String, String> next() throws IOException {
        if (ended) {
            return null;
        }
        String line;
        if (!started) {
            started = true;
            do {
                line = line(); // a preamble, if any, before the first delimiter
            } while (!line.equals(delimiter) && !line.equals(delimiter + "--"));
        } else {
            skip();
            if (!line().isEmpty()) {
                throw new IOException("a part of the answer is longer than its Content-Length");
            }
            line = line();
        }
        if (line.equals(delimiter + "--")) {
            ended = true;
            return null;
        }
        if (!line.equals(delimiter)) {
            throw new IOException("the answer's parts are not where their lengths say");
        }
        Map<String, String> headers = new HashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IOException("a part header without a name: " + header);
            }
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        try {
            left = Long.parseLong(length);
        } catch (NumberFormatException e) {
            throw new IOException("a part without a Content-Length");
        }
        if (left < 0) {
            throw new IOException("a part with a negative Content-Length");
        }
        return headers;
    }

    /** Reads the current part's body: at most what is left of it; -1 at its end. */
    int read(byte[] buffer, int off, int len) throws IOException {
        if (left == 0) {
            return -1;
        }
        int n = in.read(buffer, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new IOException("the answer ended inside a part");
        }
        left -= n;
        return n;
    }

    /** The current part's body, whole (for small parts such as a problem document). */
    byte[] readAll() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(left, 64 * 1024));
        byte[] buffer = new byte[8 * 1024];
        for (int n; (n = read(buffer, 0, buffer.length)) > 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private void skip() throws IOException {
        byte[] buffer = new byte[8 * 1024];
        while (read(buffer, 0, buffer.length) > 0) {
            // what the caller did not read of the part
        }
    }

    /** One line of the framing, without its CRLF. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the answer ended before its closing boundary");
            }
            if (line.size() == LONGEST_LINE) {
                throw new IOException("a line of the answer's framing is too long");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
