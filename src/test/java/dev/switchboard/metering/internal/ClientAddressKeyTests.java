package dev.switchboard.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressKeyTests {

    @Test
    void ipv6AddressesCountAsTheirSlash64() {
        String key = ClientAddressKey.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
        assertThat(ClientAddressKey.of("2001:db8:1:2::1")).isEqualTo(key);
        assertThat(ClientAddressKey.of("[2001:0db8:0001:0002:ffff:0:0:9]")).isEqualTo(key);
        assertThat(ClientAddressKey.of("2001:db8:1:2::5%eth0")).isEqualTo(key);
        assertThat(ClientAddressKey.of("2001:db8:1:3::1")).isNotEqualTo(key);
    }

    @Test
    void ipv4AddressesAreTheirOwnBucket() {
        assertThat(ClientAddressKey.of("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddressKey.of("203.0.113.8")).isNotEqualTo(ClientAddressKey.of("203.0.113.7"));
        assertThat(ClientAddressKey.of("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void anythingButALiteralIsUnknown() {
        assertThat(ClientAddressKey.of(null)).isEqualTo("unknown");
        assertThat(ClientAddressKey.of("")).isEqualTo("unknown");
        assertThat(ClientAddressKey.of("example.com")).isEqualTo("unknown");
    }
}
