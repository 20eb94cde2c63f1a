package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;

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

    @Test
    void aClientThatSendsNothingIsDroppedAndAClosedTunnelAcceptsNoOne() throws Exception {
        ConnectTunnel tunnel = new ConnectTunnel(new OutboundConnections(OutboundAddressPolicy.strict(), OutboundResolver.SYSTEM),
                Duration.ofMillis(100));
        try (Socket silent = new Socket()) {
            silent.connect(tunnel.address(), 5_000);
            silent.setSoTimeout(30_000);
            // The tunnel gives up on a head that never comes and closes the connection: end of stream, no reply.
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
        }
        tunnel.close();
        // Not asserted by connecting to the old port: once released, another test's server may be given it.
        await().atMost(Duration.ofSeconds(10)).until(() -> !tunnel.accepting());
    }
}
