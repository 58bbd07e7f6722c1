package dev.syncbox.server.dropbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** A temporary link names what it was issued for, for four hours, and nothing once changed or forged. */
class TemporaryLinksTest {

    private static final SecretKeySpec KEY =
            new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    private static final String FILE = "01JQ0000000000000000000001";
    private static final String VERSION = "01JQ0000000000000000000002";

    private final Instant now = Instant.parse("2026-12-06T02:00:00Z");

    private TemporaryLinks at(Instant instant) {
        return new TemporaryLinks(KEY, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void aLinkNamesItsUserFileAndVersionUntilItExpires() {
        String token = at(now).issue(42, FILE, VERSION);

        assertThat(at(now.plusSeconds(3600)).verify(token))
                .isEqualTo(new TemporaryLinks.Link(42, FILE, VERSION, now.plus(TemporaryLinks.LIFETIME)));
        assertThat(at(now.plus(TemporaryLinks.LIFETIME)).verify(token)).isNull();
    }

    @Test
    void everyChangedByteIsRefused() {
        byte[] token = Base64.getUrlDecoder().decode(at(now).issue(42, FILE, VERSION));
        for (int i = 0; i < token.length; i++) {
            byte[] changed = token.clone();
            changed[i] ^= 1;
            assertThat(at(now).verify(Base64.getUrlEncoder().withoutPadding().encodeToString(changed)))
                    .as("byte %d changed", i)
                    .isNull();
        }
    }

    @Test
    void anotherKeysLinksAndGarbageAreRefused() {
        TemporaryLinks other = new TemporaryLinks(
                new SecretKeySpec("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Clock.fixed(now, ZoneOffset.UTC));

        assertThat(at(now).verify(other.issue(42, FILE, VERSION))).isNull();
        for (String garbage : new String[] {"", "x", "!!!", "AAAA", "a".repeat(200)}) {
            assertThat(at(now).verify(garbage)).as(garbage).isNull();
        }
    }
}
