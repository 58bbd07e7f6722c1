package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.config.SyncboxProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Coverage-guided fuzzing (Jazzer) of cursor decoding, which every feed request starts with: any string a client sends
 * is refused as {@code invalid_cursor} (or {@code reset}, for an old cursor in the middle of a listing) — never another
 * exception, which would be a 500 — or decodes to a cursor of the asking user that encodes and decodes to itself.
 * Random strings seldom carry a valid signature, so half the inputs are signed here with the server's key: the fields
 * behind the signature are fuzzed too. In the test command it replays the inputs kept under {@code src/test/resources};
 * {@code reliability/fuzz.sh} fuzzes for a while and keeps what it finds.
 */
class CursorCodecFuzzTest {

    private static final String SECRET = "a secret of at least thirty-two bytes for the fuzz test";
    private static final long USER = 42;
    private static final CursorCodec CODEC = new CursorCodec(new SyncboxProperties(
            new SyncboxProperties.Auth(
                    SECRET, Duration.ofDays(90), 10, 100, Duration.ofMinutes(15), Duration.ofSeconds(1)),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null));

    @FuzzTest(maxDuration = "60s")
    void decodeRefusesOrAnswersACursorThatEncodesToItself(FuzzedDataProvider data) {
        boolean signed = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        String cursor = signed ? signed(text) : text;
        Cursor decoded;
        try {
            decoded = CODEC.decode(cursor, USER);
        } catch (SyncboxException e) {
            assertThat(e.code()).isIn(ErrorCode.INVALID_CURSOR, ErrorCode.RESET);
            return;
        }
        assertThat(decoded.userId()).isEqualTo(USER);
        assertThat(CODEC.decode(CODEC.encode(decoded), USER)).isEqualTo(decoded);
        assertThat(refusedFor(CODEC.encode(decoded), USER + 1))
                .as("another user's cursor")
                .isTrue();
    }

    private static boolean refusedFor(String cursor, long user) {
        try {
            CODEC.decode(cursor, user);
            return false;
        } catch (SyncboxException e) {
            return e.code() == ErrorCode.INVALID_CURSOR;
        }
    }

    /** {@code fields} as the server signs a cursor: base64url of the fields, '.', the HMAC's first 16 bytes. */
    private static String signed(String fields) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(("cursor:" + SECRET).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] body = fields.getBytes(StandardCharsets.UTF_8);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString(body) + "." + b64.encodeToString(Arrays.copyOf(mac.doFinal(body), 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
