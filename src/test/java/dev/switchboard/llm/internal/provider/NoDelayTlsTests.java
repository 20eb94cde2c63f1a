package dev.switchboard.llm.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

class NoDelayTlsTests {

    @Test
    void theTcpSocketHandedOverForTlsGetsNoDelay() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket tcp = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertThat(tcp.getTcpNoDelay()).as("the JDK's default").isFalse();
            try (Socket tls = NoDelayTls.SOCKETS.createSocket(tcp, "localhost", server.getLocalPort(), true)) {
                assertThat(tls).isInstanceOf(SSLSocket.class);
                assertThat(tcp.getTcpNoDelay()).isTrue();
                assertThat(tls.getTcpNoDelay()).isTrue();
            }
        }
    }

    @Test
    void plainSocketsGetNoDelayBeforeTheyConnect() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket plain = NoDelayTls.PLAIN.createSocket()) {
            // OkHttp creates the socket unconnected and connects it itself.
            plain.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            assertThat(plain.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void trustsThePlatformsAuthorities() {
        assertThat(NoDelayTls.TRUST.getAcceptedIssuers()).isNotEmpty();
    }
}
