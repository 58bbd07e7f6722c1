package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import dev.syncbox.sync.SyncServiceIT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Stored listings that are gone, cleaned up or damaged, and cursors from before they existed. */
class ListingResetIT extends SyncServiceIT {

    @Autowired
    ListingCleanupJob cleanup;

    @BeforeEach
    void fiveFiles() {
        for (int i = 1; i <= 5; i++) {
            commit(deviceA, "/docs/f" + i + ".txt", "content " + i);
        }
    }

    @Test
    void aListingAbandonedForItsTtlIsRemovedAndItsCursorResets() {
        Api.Response first = sync(deviceB, null, 2);
        long listing = latestListing();
        clock.advance(Duration.ofMinutes(59));
        cleanup.cleanUp();
        assertThat(listingExists(listing)).as("still within its TTL").isTrue();

        clock.advance(Duration.ofMinutes(2));
        // As the scheduler calls it: from inside the bean, so not through its transactional proxy.
        cleanup.scheduled();

        assertThat(listingExists(listing)).isFalse();
        assertThat(entries(listing)).isZero();
        Api.Response next = sync(deviceB, first.text("next_cursor"), 2);
        assertThat(next.status()).isEqualTo(409);
        assertThat(next.code()).isEqualTo("reset");
        assertThat(drain(deviceB, null, 2).changes()).as("listing again works").hasSize(6);
    }

    @Test
    void aPagedListingStaysWhileItIsUsed() {
        String cursor = sync(deviceB, null, 1).text("next_cursor");
        long listing = latestListing();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(40));
            cleanup.cleanUp();
            Api.Response page = sync(deviceB, cursor, 1);
            assertThat(page.status()).isEqualTo(200);
            cursor = page.text("next_cursor");
        }
        assertThat(listingExists(listing)).isTrue();
    }

    @Test
    void aCompletedListingServesARetriedLastPageForItsGraceOnly() {
        Api.Response page = sync(deviceB, null, 2);
        long listing = latestListing();
        String beforeLast = null;
        while (page.body().path("has_more").asBoolean()) {
            beforeLast = page.text("next_cursor");
            page = sync(deviceB, beforeLast, 2);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT completed_at IS NOT NULL FROM listings WHERE listing_id = ?", Boolean.class, listing))
                .isTrue();
        cleanup.cleanUp();
        assertThat(sync(deviceB, beforeLast, 2).status())
                .as("a retried last page")
                .isEqualTo(200);

        clock.advance(Duration.ofMinutes(6));
        cleanup.cleanUp();

        assertThat(listingExists(listing)).isFalse();
        assertThat(sync(deviceB, beforeLast, 2).code()).isEqualTo("reset");
        assertThat(sync(deviceB, page.text("next_cursor"), 2).status())
                .as("a cursor past the listing needs it no more")
                .isEqualTo(200);
    }

    @Test
    void aListingMissingEntriesIsAResetNotAGap() {
        String cursor = sync(deviceB, null, 2).text("next_cursor");
        jdbc.update("DELETE FROM listing_entries WHERE listing_id = ? AND ord = 4", latestListing());

        Api.Response next = sync(deviceB, cursor, 2);

        assertThat(next.status()).isEqualTo(409);
        assertThat(next.code()).isEqualTo("reset");
    }

    @Test
    void anOldCursorInTheMiddleOfALiveListingResets() {
        long ns = deviceA.namespaceId();
        long head = jdbc.queryForObject("SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, ns);
        String midSnapshot = legacy(deviceB.userId() + "|" + ns + "|" + head + "|" + text("/docs") + "|0|0|-|");
        String midInclude = legacy(deviceB.userId() + "|" + ns + "|" + head + "|-|0|7|" + text("/docs/f2.txt") + "|");

        for (String cursor : new String[] {midSnapshot, midInclude}) {
            Api.Response response = sync(deviceB, cursor, 10);
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.code()).isEqualTo("reset");
        }
    }

    @Test
    void anOldCursorInItsJournalPhaseGoesOn() {
        long ns = deviceA.namespaceId();
        long head = jdbc.queryForObject("SELECT last_seq FROM namespaces WHERE namespace_id = ?", Long.class, ns);
        String journalPhase = legacy(deviceB.userId() + "|" + ns + "|" + head + "|-|0|0|-|");
        mkdir(deviceA, "/after");

        Feed feed = drain(deviceB, journalPhase, 10);

        assertThat(feed.describe()).containsExactly("CREATE /after");
        assertThat(sync(deviceB, feed.cursor(), 10).status()).isEqualTo(200);
    }

    /** A version 2 cursor (before stored listings), signed as the server signed them. */
    private static String legacy(String fieldsAfterVersion) {
        byte[] body = ("2|" + fieldsAfterVersion).getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(
                    "cursor:integration-tests-only-not-a-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString(body) + "." + b64.encodeToString(Arrays.copyOf(mac.doFinal(body), 16));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String value) {
        return "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private long latestListing() {
        return jdbc.queryForObject(
                "SELECT max(listing_id) FROM listings WHERE namespace_id = ?", Long.class, deviceA.namespaceId());
    }

    private boolean listingExists(long id) {
        return jdbc.queryForObject("SELECT count(*) FROM listings WHERE listing_id = ?", Integer.class, id) == 1;
    }

    private int entries(long id) {
        return jdbc.queryForObject("SELECT count(*) FROM listing_entries WHERE listing_id = ?", Integer.class, id);
    }
}
