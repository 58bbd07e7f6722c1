package dev.syncbox.server.dropbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.f4b6a3.ulid.Ulid;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The pinned wire forms: revs against the ULID library's own 128 bits, ids, paths, times, summaries. */
class DropboxWireTest {

    /** A rev is the ULID's 128 bits in 32 lowercase hex characters, as the ULID library reads them, and back. */
    @Property
    void aRevIsTheUlidsBitsInHexAndDecodesBack(@ForAll long high, @ForAll long low) {
        String versionId = new Ulid(high, low).toString();
        String plain = HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);

        assertThat(DropboxWire.rev(versionId)).isEqualTo(plain).matches("[0-9a-f]{32}");
        assertThat(DropboxWire.versionId(plain)).isEqualTo(versionId);
    }

    @Property
    void anythingButThirtyTwoLowercaseHexCharactersIsNoRev(@ForAll @StringLength(max = 40) String text) {
        boolean rev = text.matches("[0-9a-f]{32}");

        assertThat(DropboxWire.versionId(text) != null).isEqualTo(rev);
    }

    @Test
    void uppercaseHexIsNoRev() {
        assertThat(DropboxWire.versionId("0123456789ABCDEF0123456789abcdef")).isNull();
    }

    @Property
    void anAccountIdIsFortyCharactersAndNamesItsUser(@ForAll @LongRange(min = 1) long userId) {
        String accountId = DropboxWire.accountId(userId);

        assertThat(accountId).hasSize(40).startsWith("dbid:");
        assertThat(DropboxWire.userId(accountId)).isEqualTo(userId);
    }

    @Test
    void anAccountIdOfSomeoneElsesFormIsNobodys() {
        assertThat(DropboxWire.userId("dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"))
                .isNull();
        assertThat(DropboxWire.userId(null)).isNull();
    }

    @Test
    void timesAreWholeSecondsInUtc() {
        assertThat(DropboxWire.time(Instant.parse("2026-12-06T02:03:04.987654Z")))
                .isEqualTo("2026-12-06T02:03:04Z");
    }

    @Test
    void pathArgumentsNameARootAPathAnIdOrARev() {
        String id = Ulid.fast().toString();

        assertThat(DropboxWire.target("")).isEqualTo(new DropboxWire.Target("/", null, null));
        assertThat(DropboxWire.target("/Docs/a.txt").path()).isEqualTo("/Docs/a.txt");
        assertThat(DropboxWire.target("id:" + id)).isEqualTo(new DropboxWire.Target(null, id, null));
        assertThat(DropboxWire.target("rev:" + DropboxWire.rev(id))).isEqualTo(new DropboxWire.Target(null, null, id));
        for (String bad : new String[] {"relative.txt", "id:nope", "rev:123", "ns:12/a", "/a//b"}) {
            assertThatThrownBy(() -> DropboxWire.target(bad))
                    .isInstanceOfSatisfying(
                            SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH));
        }
    }

    @Test
    void metadataNamesTheRootAsDropboxDoes() {
        Map<String, Object> root = DropboxWire.folder("/", "01JQ0000000000000000000000");

        assertThat(root).containsEntry("path_display", "").containsEntry("name", "");
        assertThat(DropboxWire.deleted("/Docs/Ünï.txt"))
                .containsEntry(".tag", "deleted")
                .containsEntry("path_lower", "/docs/ünï.txt")
                .containsEntry("name", "Ünï.txt");
    }

    @Test
    void headerJsonKeepsToPrintableAscii() {
        String header = DropboxWire.headerJson(JsonMapper.builder().build(), Map.of("name", "café €\u0001"));

        assertThat(header).isEqualTo("{\"name\":\"caf\\u00e9 \\u20ac\\u0001\"}");
        assertThat(header.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    }

    @Test
    void summariesFollowTheTagsInward() {
        assertThat(DropboxErrors.summary(DropboxErrors.nested("path", DropboxErrors.tag("not_found"))))
                .isEqualTo("path/not_found/..");
        Map<String, Object> uploadError = DropboxErrors.flat(
                "path",
                Map.of("reason", DropboxErrors.nested("conflict", DropboxErrors.tag("file")), "upload_session_id", ""));
        assertThat(DropboxErrors.summary(uploadError)).isEqualTo("path/conflict/file/..");
        assertThat(DropboxErrors.summary(DropboxErrors.flat("incorrect_offset", Map.of("correct_offset", 4))))
                .isEqualTo("incorrect_offset/..");
        assertThat(DropboxErrors.summary(DropboxApiException.rateLimited(3).error()))
                .isEqualTo("too_many_requests/..");
    }

    @Test
    void syncboxErrorsThatAreNoRoutesAreTheirHttpForms() {
        assertThat(DropboxErrors.of(new SyncboxException(ErrorCode.INVALID_REQUEST, "bad"))
                        .status())
                .isEqualTo(400);
        assertThat(DropboxErrors.of(new SyncboxException(ErrorCode.UNAUTHORIZED, "who"))
                        .status())
                .isEqualTo(401);
        DropboxApiException limited =
                DropboxErrors.of(new SyncboxException(ErrorCode.TOO_MANY_ATTEMPTS, "wait", Map.of("retry_after", 7)));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.retryAfter()).isEqualTo(7);
        assertThat(DropboxErrors.of(new SyncboxException(ErrorCode.STORAGE_UNAVAILABLE, "s3"))
                        .status())
                .isEqualTo(503);
        assertThat(DropboxErrors.lookup("path", new SyncboxException(ErrorCode.NOT_FOUND, "no"))
                        .error())
                .isEqualTo(DropboxErrors.nested("path", DropboxErrors.tag("not_found")));
        assertThat(DropboxErrors.write("path", new SyncboxException(ErrorCode.QUOTA_EXCEEDED, "full"))
                        .error())
                .isEqualTo(DropboxErrors.nested("path", DropboxErrors.tag("insufficient_space")));
    }
}
