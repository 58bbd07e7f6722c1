package dev.syncbox.sync.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class LoginThrottleTest {

    @Test
    void shouldTakeTheAddressTheGatewayAppendedNotTheOnesTheClientSent() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("10.0.0.5");
        request.addHeader("X-Forwarded-For", "1.2.3.4, 5.6.7.8");
        request.addHeader("X-Forwarded-For", "203.0.113.7 , 192.0.2.44 ");

        assertThat(LoginThrottle.clientAddress(request)).isEqualTo("192.0.2.44");
    }

    @Test
    void shouldFallBackToThePeerWithoutForwardedFor() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("10.0.0.5");

        assertThat(LoginThrottle.clientAddress(request)).isEqualTo("10.0.0.5");

        request.addHeader("X-Forwarded-For", " , ");
        assertThat(LoginThrottle.clientAddress(request)).isEqualTo("10.0.0.5");
    }
}
