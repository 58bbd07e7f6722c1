package dev.syncbox.upload.file;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A streaming {@code multipart/form-data} parser over one fixed buffer. The delimiter ({@code CRLF--boundary})
 * is found with Boyer-Moore-Horspool, which looks at about one byte in every delimiter length of content: a
 * large upload's bytes are scanned at memory speed instead of compared one by one (commons-fileupload's
 * scan was a third of upload-service's CPU on a 1 GiB upload). Memory: the buffer, whatever the body's size.
 */
final class MultipartStream {

    static final int BUFFER_SIZE = 128 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final InputStream in;
    private final byte[] delimiter;
    private final int[] skip = new int[256];
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean exhausted;
    private PartInput current;
    private boolean finished;

    MultipartStream(InputStream in, String boundary, int bufferSize) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        if (bufferSize < delimiter.length + MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("buffer too small for the delimiter and a part's headers");
        }
        this.buf = new byte[bufferSize];
        int m = delimiter.length;
        Arrays.fill(skip, m);
        for (int i = 0; i < m - 1; i++) {
            skip[delimiter[i] & 0xff] = m - 1 - i;
        }
        // The first delimiter may open the body without a CRLF before it: pretend there was one.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** The next part, or null after the closing delimiter; whatever is left of the previous part is skipped. */
    MultipartUpload.Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            // The preamble, before the first delimiter, is ignored like a part's rest.
            new PartInput().skipToEnd();
        } else {
            current.skipToEnd();
        }
        if (!ensure(2)) {
            throw malformed("the body ended after a delimiter");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        // Transport padding (spaces and tabs) may follow a delimiter before its CRLF.
        while (true) {
            if (!ensure(2)) {
                throw malformed("the body ended after a delimiter");
            }
            if (buf[pos] == ' ' || buf[pos] == '\t') {
                pos++;
            } else if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                break;
            } else {
                throw malformed("a delimiter is not followed by a line break");
            }
        }
        String name = fieldName(headers());
        current = new PartInput();
        return new MultipartUpload.Part(name, current);
    }

    /** The header block of a part, up to the blank line (which is consumed). */
    private String headers() throws IOException {
        while (true) {
            if (pos + 2 <= lim && buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2; // no headers at all
                return "";
            }
            int end = indexOf(HEADER_END, pos, lim);
            if (end >= 0) {
                String block = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
                pos = end + HEADER_END.length;
                return block;
            }
            if (lim - pos > MAX_HEADER_BYTES) {
                throw malformed("a part's headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            if (!fill()) {
                throw malformed("the body ended inside a part's headers");
            }
        }
    }

    private static String fieldName(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                String name = parameter(line.substring(colon + 1), "name");
                if (name != null) {
                    return name;
                }
            }
        }
        throw malformed("a part has no Content-Disposition name");
    }

    /** A parameter of a header value such as {@code form-data; name="file_path"}, quoted or not. */
    static String parameter(String value, String wanted) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            int semi = value.indexOf(';', i);
            if (semi < 0) {
                return null;
            }
            i = semi + 1;
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String parsed;
            if (i < n && value.charAt(i) == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                while (i < n && value.charAt(i) != '"') {
                    char c = value.charAt(i++);
                    quoted.append(c == '\\' && i < n ? value.charAt(i++) : c);
                }
                i++;
                parsed = quoted.toString();
            } else {
                int end = value.indexOf(';', i);
                parsed = value.substring(i, end < 0 ? n : end).trim();
                i = end < 0 ? n : end;
            }
            if (key.equals(wanted)) {
                return parsed;
            }
        }
        return null;
    }

    /** Makes at least {@code n} unread bytes available; false if the body ends first. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Moves the unread bytes to the front and reads more after them; false at the end of the body. */
    private boolean fill() throws IOException {
        if (exhausted) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            exhausted = true;
            return false;
        }
        lim += n;
        return true;
    }

    private int indexOf(byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i + pattern.length <= to; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static SyncboxException malformed(String why) {
        return new SyncboxException(ErrorCode.INVALID_REQUEST, "Malformed multipart body: " + why);
    }

    /** A part's bytes: everything before the next delimiter. */
    private final class PartInput extends InputStream {

        // Bytes before safeEnd are content; at safeEnd is the delimiter if delimiterAt, else not yet known.
        private int safeEnd = -1;
        private boolean delimiterAt;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!ended) {
                if (safeEnd < pos) {
                    scan();
                }
                if (safeEnd > pos) {
                    int n = Math.min(len, safeEnd - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (delimiterAt) {
                    pos += delimiter.length;
                    ended = true;
                } else {
                    safeEnd = -1;
                    if (!fill()) {
                        throw malformed("the body ended inside part content");
                    }
                }
            }
            return -1;
        }

        void skipToEnd() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // skipped
            }
        }

        /**
         * Horspool from {@code pos}: every start before the returned index is ruled out, so those bytes are
         * content; at it is the delimiter, or a start that needs more bytes to decide.
         */
        private void scan() {
            int m = delimiter.length;
            byte last = delimiter[m - 1];
            int i = pos;
            while (i + m <= lim) {
                byte b = buf[i + m - 1];
                if (b == last && matchesAt(i)) {
                    safeEnd = i;
                    delimiterAt = true;
                    return;
                }
                i += skip[b & 0xff];
            }
            safeEnd = i;
            delimiterAt = false;
        }

        private boolean matchesAt(int i) {
            for (int j = 0; j < delimiter.length - 1; j++) {
                if (buf[i + j] != delimiter[j]) {
                    return false;
                }
            }
            return true;
        }
    }
}
