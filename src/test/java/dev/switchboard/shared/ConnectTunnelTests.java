package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The tunnel opens only for a well-formed {@code CONNECT host:port}; anything else is refused before a lookup. */
class ConnectTunnelTests {

    @Test
    void onlyAConnectRequestNamesATarget() {
        assertThat(ConnectTunnel.target("CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n"))
                .isEqualTo("api.example.com:443");
        assertThat(ConnectTunnel.target("CONNECT [2001:db8::1]:8443 HTTP/1.1\r\n\r\n")).isEqualTo("[2001:db8::1]:8443");
        assertThat(ConnectTunnel.target("GET http://api.example.com/ HTTP/1.1\r\n\r\n")).isNull();
        assertThat(ConnectTunnel.target("CONNECT api.example.com HTTP/1.1\r\n\r\n")).isNull();
        assertThat(ConnectTunnel.target("CONNECT api.example.com:https HTTP/1.1\r\n\r\n")).isNull();
        assertThat(ConnectTunnel.target("CONNECT api.example.com:443\r\n\r\n")).isNull();
        assertThat(ConnectTunnel.target("")).isNull();
    }
}
