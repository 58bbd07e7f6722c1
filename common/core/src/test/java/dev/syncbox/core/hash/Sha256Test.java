package dev.syncbox.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void shouldHashTheEmptyInput() {
        assertThat(Sha256.hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void shouldHashKnownInput() {
        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void shouldHashASlice() {
        byte[] data = "xxabcxx".getBytes(StandardCharsets.US_ASCII);

        assertThat(Sha256.hex(data, 2, 3)).isEqualTo(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldGiveAFreshDigestEachTime() {
        assertThat(Sha256.newDigest()).isNotSameAs(Sha256.newDigest());
        assertThat(Sha256.newDigest().getDigestLength()).isEqualTo(Sha256.DIGEST_LENGTH);
    }
}
