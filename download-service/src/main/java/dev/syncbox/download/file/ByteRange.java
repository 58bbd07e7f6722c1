package dev.syncbox.download.file;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One satisfiable byte range of a representation, from an HTTP {@code Range} header (RFC 9110 §14). */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    public long length() {
        return last - first + 1;
    }

    /**
     * The range a header asks for in content of {@code size} bytes; {@code null} means the whole content
     * (no header, or a multi-range request, which we may answer in full).
     */
    public static ByteRange parse(String header, long size) {
        if (header == null || header.isBlank() || header.contains(",")) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || last < first) {
                throw unsatisfiable(size);
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            throw unsatisfiable(size);
        }
    }

    private static SyncboxException unsatisfiable(long size) {
        return new SyncboxException(
                ErrorCode.RANGE_NOT_SATISFIABLE,
                "The range is outside the content's " + size + " bytes",
                Map.of("size", size));
    }
}
