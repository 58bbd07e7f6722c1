package dev.syncbox.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockIdTest {

    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void shouldAcceptLowerCaseSha256Hex() {
        assertThat(BlockId.isValid(EMPTY)).isTrue();
        assertThat(BlockId.isValid(BlockId.of(new byte[] {1, 2, 3}, 0, 3))).isTrue();
    }

    @Test
    void shouldRejectAnythingElse() {
        assertThat(BlockId.isValid(null)).isFalse();
        assertThat(BlockId.isValid("")).isFalse();
        assertThat(BlockId.isValid(EMPTY.toUpperCase())).as("upper case").isFalse();
        assertThat(BlockId.isValid(EMPTY.substring(1))).as("63 chars").isFalse();
        assertThat(BlockId.isValid(EMPTY + "0")).as("65 chars").isFalse();
        assertThat(BlockId.isValid(EMPTY.substring(1) + "g")).as("not hex").isFalse();
    }
}
