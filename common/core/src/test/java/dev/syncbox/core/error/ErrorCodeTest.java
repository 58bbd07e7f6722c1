package dev.syncbox.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void shouldUseUniqueSnakeCaseWireCodes() {
        assertThat(ErrorCode.values())
                .extracting(ErrorCode::code)
                .doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"));
    }

    @Test
    void shouldUseTheLowerCaseConstantNameAsWireCode() {
        assertThat(ErrorCode.values())
                .allSatisfy(
                        code -> assertThat(code.code()).isEqualTo(code.name().toLowerCase()));
    }

    @Test
    void shouldMapCodesToTheirHttpStatus() {
        assertThat(ErrorCode.INVALID_PATH.status()).isEqualTo(400);
        assertThat(ErrorCode.UNAUTHORIZED.status()).isEqualTo(401);
        assertThat(ErrorCode.NOT_FOUND.status()).isEqualTo(404);
        assertThat(ErrorCode.PATH_CONFLICT.status()).isEqualTo(409);
        assertThat(ErrorCode.RESET.status()).isEqualTo(409);
        assertThat(ErrorCode.BLOCK_TOO_LARGE.status()).isEqualTo(413);
        assertThat(ErrorCode.RANGE_NOT_SATISFIABLE.status()).isEqualTo(416);
        assertThat(ErrorCode.TOO_MANY_ATTEMPTS.status()).isEqualTo(429);
        assertThat(ErrorCode.QUOTA_EXCEEDED.status()).isEqualTo(507);
        assertThat(ErrorCode.STORAGE_UNAVAILABLE.status()).isEqualTo(503);
        assertThat(ErrorCode.INTERNAL.status()).isEqualTo(500);
    }

    @Test
    void shouldGiveEveryCodeATitleAndAnErrorStatus() {
        assertThat(ErrorCode.values()).allSatisfy(code -> {
            assertThat(code.title()).isNotBlank();
            assertThat(code.status()).isBetween(400, 599);
        });
    }

    @Test
    void shouldFindCodeByWireCode() {
        Arrays.stream(ErrorCode.values())
                .forEach(code -> assertThat(ErrorCode.fromCode(code.code())).isSameAs(code));
        assertThat(ErrorCode.fromCode("no_such_code")).isNull();
    }
}
