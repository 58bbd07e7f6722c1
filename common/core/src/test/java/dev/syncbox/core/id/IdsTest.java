package dev.syncbox.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void shouldCreateCanonicalUlids() {
        String id = Ids.newId();

        assertThat(id).hasSize(26);
        assertThat(Ids.isUlid(id)).isTrue();
    }

    @Test
    void shouldCreateStrictlyIncreasingIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ids.newId());
        }

        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldAcceptWellFormedUlids() {
        assertThat(Ids.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FAV")).isTrue();
        assertThat(Ids.isUlid("7ZZZZZZZZZZZZZZZZZZZZZZZZZ")).isTrue();
    }

    @Test
    void shouldRejectMalformedUlids() {
        assertThat(Ids.isUlid(null)).isFalse();
        assertThat(Ids.isUlid("")).isFalse();
        assertThat(Ids.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FA")).as("too short").isFalse();
        assertThat(Ids.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FAVX")).as("too long").isFalse();
        assertThat(Ids.isUlid("01arz3ndektsv4rrffq69g5fav")).as("lower case").isFalse();
        assertThat(Ids.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FAU"))
                .as("U is not Crockford")
                .isFalse();
        assertThat(Ids.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FAI"))
                .as("I is not canonical")
                .isFalse();
        assertThat(Ids.isUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"))
                .as("overflows 128 bits")
                .isFalse();
        assertThat(Ids.isUlid("01ARZ3NDEKTSV4RRFFQ69G5FA-")).isFalse();
    }

    @Test
    void shouldLetCallersInjectAnIdGenerator() {
        IdGenerator fixed = () -> "01ARZ3NDEKTSV4RRFFQ69G5FAV";

        assertThat(fixed.newId()).isEqualTo("01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertThat(Ids.isUlid(IdGenerator.monotonicUlid().newId())).isTrue();
    }
}
