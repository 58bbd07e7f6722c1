package dev.syncbox.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncboxExceptionTest {

    @Test
    void shouldExposeCodeAndDetail() {
        SyncboxException e = new SyncboxException(ErrorCode.PATH_CONFLICT, "/a already exists");

        assertThat(e.code()).isEqualTo(ErrorCode.PATH_CONFLICT);
        assertThat(e.detail()).isEqualTo("/a already exists").isEqualTo(e.getMessage());
        assertThat(e.properties()).isEmpty();
    }

    @Test
    void shouldKeepAnUnmodifiableCopyOfProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("missing", List.of("ab", "cd"));

        SyncboxException e = new SyncboxException(ErrorCode.MISSING_BLOCKS, "2 blocks missing", properties);
        properties.clear();

        assertThat(e.properties()).containsEntry("missing", List.of("ab", "cd"));
        assertThatThrownBy(() -> e.properties().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldNeverReturnNullProperties() {
        assertThat(new SyncboxException(ErrorCode.CONFLICT, "stale", (Map<String, Object>) null).properties())
                .isNotNull()
                .isEmpty();
    }

    @Test
    void shouldFallBackToTitleWhenDetailIsMissing() {
        assertThat(new SyncboxException(ErrorCode.NOT_FOUND, null).detail()).isEqualTo("Not found");
    }

    @Test
    void shouldKeepTheCause() {
        IOException cause = new IOException("connection refused");

        SyncboxException e = new SyncboxException(ErrorCode.STORAGE_UNAVAILABLE, "block store is down", cause);

        assertThat(e).hasCause(cause);
        assertThat(e.code().status()).isEqualTo(503);
    }

    @Test
    void shouldRequireACode() {
        assertThatThrownBy(() -> new SyncboxException(null, "x")).isInstanceOf(NullPointerException.class);
    }
}
