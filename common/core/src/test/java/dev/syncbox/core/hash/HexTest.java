package dev.syncbox.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HexTest {

    @Test
    void shouldEncodeAsLowerCaseHex() {
        assertThat(Hex.encode(new byte[] {0x00, 0x0f, (byte) 0xa5, (byte) 0xff}))
                .isEqualTo("000fa5ff");
        assertThat(Hex.encode(new byte[0])).isEmpty();
    }

    @Test
    void shouldEncodeASlice() {
        assertThat(Hex.encode(new byte[] {1, 2, 3, 4}, 1, 2)).isEqualTo("0203");
    }

    @Test
    void shouldDecodeUpperAndLowerCase() {
        assertThat(Hex.decode("000fA5fF")).containsExactly(0x00, 0x0f, 0xa5, 0xff);
    }

    @Test
    void shouldRoundTrip() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        assertThat(Hex.decode(Hex.encode(bytes))).isEqualTo(bytes);
    }

    @Test
    void shouldRejectOddLengthAndNonHexCharacters() {
        assertThatThrownBy(() -> Hex.decode("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hex.decode("zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectASliceOutsideTheArray() {
        assertThatThrownBy(() -> Hex.encode(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
