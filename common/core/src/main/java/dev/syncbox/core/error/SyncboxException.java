package dev.syncbox.core.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A failure with a stable {@link ErrorCode}; the services turn it into an RFC 9457 problem detail. {@link
 * #properties()} become extra members of that problem detail (for example the list of missing blocks).
 */
public class SyncboxException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> properties;

    public SyncboxException(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public SyncboxException(ErrorCode code, String detail, Map<String, Object> properties) {
        this(code, detail, properties, null);
    }

    /** For a failure caused by another exception, e.g. {@link ErrorCode#STORAGE_UNAVAILABLE} wrapping an I/O error. */
    public SyncboxException(ErrorCode code, String detail, Throwable cause) {
        this(code, detail, Map.of(), cause);
    }

    private SyncboxException(ErrorCode code, String detail, Map<String, Object> properties, Throwable cause) {
        super(detail != null ? detail : Objects.requireNonNull(code, "code").title(), cause);
        this.code = Objects.requireNonNull(code, "code");
        // LinkedHashMap keeps the caller's member order in the JSON body.
        this.properties = properties == null || properties.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public ErrorCode code() {
        return code;
    }

    /** The human-readable explanation of this occurrence; the same as {@link #getMessage()}. */
    public String detail() {
        return getMessage();
    }

    /** Extra problem-detail members; unmodifiable and never {@code null}. */
    public Map<String, Object> properties() {
        return properties;
    }
}
