package dev.switchboard.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsAccessFilterTests {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, true", "127.8.9.10, true", "0:0:0:0:0:0:0:1, true", "::1, true",
            "10.0.0.1, false", "192.168.1.5, false", "203.0.113.7, false", "::ffff:8.8.8.8, false",
            "localhost, false", "'', false"})
    void onlyLiteralLoopbackAddressesAreLoopback(String address, boolean loopback) {
        assertThat(MetricsAccessFilter.isLoopback(address)).isEqualTo(loopback);
    }
}
