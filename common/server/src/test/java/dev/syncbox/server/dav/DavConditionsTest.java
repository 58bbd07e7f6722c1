package dev.syncbox.server.dav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 4918's If header: the examples of its section 10.4 and the forms litmus sends. */
class DavConditionsTest {

    private static final String TOKEN = "opaquelocktoken:e71d4fae-5dec-22d6-fea5-00a0c91e6be4";
    private static final DavConditions.State LOCKED = new DavConditions.State("\"v1\"", Set.of(TOKEN));
    private static final DavConditions.State UNLOCKED = new DavConditions.State("\"v1\"", Set.of());

    @Test
    void aTokenOfALockOnTheResourceHolds() {
        DavConditions conditions = DavConditions.parse("(<" + TOKEN + ">)");

        assertThat(conditions.tokens()).containsExactly(TOKEN);
        assertThat(conditions.holds(r -> LOCKED)).isTrue();
        assertThat(conditions.holds(r -> UNLOCKED)).isFalse();
    }

    @Test
    void listsAreAlternativesAndConditionsInAListAreAllNeeded() {
        assertThat(DavConditions.parse("(<" + TOKEN + "> [\"v2\"]) ([\"v1\"])").holds(r -> UNLOCKED))
                .isTrue();
        assertThat(DavConditions.parse("(<" + TOKEN + "> [\"v2\"])").holds(r -> LOCKED))
                .isFalse();
        assertThat(DavConditions.parse("(<" + TOKEN + "> [W/\"v1\"])").holds(r -> LOCKED))
                .isTrue();
    }

    @Test
    void notInvertsACondition() {
        // litmus' cond_put_with_not and the RFC's "DAV:no-lock" idiom: a token no lock has, negated, always holds.
        DavConditions conditions = DavConditions.parse("(<DAV:no-lock>) (Not <DAV:no-lock>)");
        assertThat(conditions.holds(r -> UNLOCKED)).isTrue();
        assertThat(DavConditions.parse("(Not <" + TOKEN + ">)").holds(r -> LOCKED))
                .isFalse();
        assertThat(DavConditions.parse("(NOT [\"v2\"])").holds(r -> LOCKED)).isTrue();
    }

    @Test
    void taggedListsAreCheckedAgainstTheirResource() {
        DavConditions conditions = DavConditions.parse("<http://h/dav/a> (<" + TOKEN + ">) </dav/b> ([\"v9\"])");

        assertThat(conditions.lists())
                .extracting(DavConditions.ConditionList::resource)
                .containsExactly("http://h/dav/a", "/dav/b");
        assertThat(conditions.holds(r -> r.equals("/dav/b") ? new DavConditions.State("\"v9\"", Set.of()) : UNLOCKED))
                .isTrue();
        assertThat(conditions.holds(r -> UNLOCKED)).isFalse();
    }

    @Test
    void noHeaderHoldsAndSubmitsNothing() {
        assertThat(DavConditions.parse(null).holds(r -> UNLOCKED)).isTrue();
        assertThat(DavConditions.parse("  ").tokens()).isEmpty();
    }

    @Test
    void malformedHeadersAreInvalidRequests() {
        for (String bad :
                new String[] {"<" + TOKEN + ">", "(", "()", "(<a)", "([\"x\")", "(x)", "(<a>) <b> (<c>)", "junk"}) {
            assertThatThrownBy(() -> DavConditions.parse(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
    }
}
