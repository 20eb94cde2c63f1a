package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The outbound facility against a real HTTP server on loopback: each client kind refuses a forbidden address when
 * it connects, dials the address it checked (a name only the test resolver knows still reaches the server, with
 * its own Host header), and never follows a redirect.
 */
class OutboundConnectionsTests {

    private HttpServer server;
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private int port;

    /** Names only this test knows; everything else through the system resolver. */
    private static final OutboundResolver RESOLVER = host -> {
        Map<String, String> names = Map.of("provider.example.test", "127.0.0.1", "metadata.example.test", "169.254.169.254");
        String address = names.get(host);
        return address == null ? OutboundResolver.SYSTEM.resolve(host)
                : List.of(InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress()));
    };

    private final OutboundConnections loopbackOpened = new OutboundConnections(
            new OutboundAddressPolicy(List.of("127.0.0.1/32")), RESOLVER);
    private final OutboundConnections strict = new OutboundConnections(OutboundAddressPolicy.strict(), RESOLVER);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            if (exchange.getRequestURI().getPath().equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/followed");
                exchange.sendResponseHeaders(302, -1);
            }
            else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + port + path;
    }

    @Test
    void okHttpRefusesAForbiddenAddressWhenItConnects() {
        OkHttpClient client = strict.okHttp().build();

        Throwable thrown = catchThrowable(() -> client.newCall(new Request.Builder().url(url("127.0.0.1", "/")).build()).execute());

        assertThat(thrown).isInstanceOf(UnknownHostException.class);
        assertThat(OutboundRefusedException.in(thrown)).hasValueSatisfying(refused -> assertThat(refused.getBody().getDetail())
                .contains("127.0.0.1", "loopback range 127.0.0.0/8", OutboundAddressPolicy.ALLOWED_NETWORKS_SETTING));
        assertThat(hosts).isEmpty();
    }

    @Test
    void okHttpDialsTheCheckedAddressAndFollowsNoRedirect() throws IOException {
        OkHttpClient client = loopbackOpened.okHttp().build();

        try (Response response = client.newCall(new Request.Builder().url(url("provider.example.test", "/redirect")).build()).execute()) {
            assertThat(response.code()).isEqualTo(302);
        }
        assertThat(hosts).containsExactly("provider.example.test:" + port);
        assertThatThrownBy(() -> client.newCall(new Request.Builder().url(url("metadata.example.test", "/")).build()).execute())
                .satisfies(thrown -> assertThat(OutboundRefusedException.in(thrown)).isPresent());
    }

    @Test
    void theJdkClientRefusesAForbiddenAddressAndDialsTheCheckedOne() throws Exception {
        HttpClient refusing = strict.jdkHttpClient(HttpClient.newBuilder());
        Throwable thrown = catchThrowable(() -> refusing.send(HttpRequest.newBuilder(URI.create(url("provider.example.test", "/"))).build(),
                HttpResponse.BodyHandlers.discarding()));
        assertThat(OutboundRefusedException.in(thrown)).isPresent();
        Throwable async = catchThrowable(() -> refusing.sendAsync(HttpRequest.newBuilder(URI.create(url("127.0.0.1", "/"))).build(),
                HttpResponse.BodyHandlers.discarding()).join());
        assertThat(OutboundRefusedException.in(async)).isPresent();
        assertThat(hosts).isEmpty();

        HttpClient client = loopbackOpened.jdkHttpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url("provider.example.test", "/redirect"))).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(hosts).as("a name the system cannot resolve reaches the checked address, Host intact, no redirect")
                .containsExactly("provider.example.test:" + port);
    }

    @Test
    void aUrlIsCheckedWhenRegistered() {
        loopbackOpened.checkUrl(url("provider.example.test", "/v1"));
        assertThatThrownBy(() -> loopbackOpened.checkUrl(url("metadata.example.test", "/")))
                .isInstanceOf(OutboundRefusedException.class)
                .hasMessageContaining("metadata.example.test")
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> loopbackOpened.checkUrl("ftp://provider.example.test/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> loopbackOpened.checkUrl("http://user:pw@provider.example.test/")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> loopbackOpened.checkUrl("http://no-such-host.invalid/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not resolve");
    }

    @Test
    void aSocketAddressForDriversIsChecked() throws UnknownHostException {
        assertThat(loopbackOpened.socketAddress("provider.example.test", 5432).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> strict.socketAddress("provider.example.test", 5432))
                .satisfies(thrown -> assertThat(OutboundRefusedException.in(thrown)).isPresent());
    }

    @Test
    void socketsFromTheFactoryConnectOnlyToCheckedAddresses() throws IOException {
        try (java.net.Socket socket = loopbackOpened.socketFactory().createSocket()) {
            socket.connect(InetSocketAddress.createUnresolved("provider.example.test", port));
            assertThat(socket.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
        assertThatThrownBy(() -> strict.socketFactory().createSocket("127.0.0.1", port))
                .satisfies(thrown -> assertThat(OutboundRefusedException.in(thrown)).isPresent());
        assertThatThrownBy(() -> strict.socketFactory().createSocket(InetAddress.getLoopbackAddress(), port))
                .satisfies(thrown -> assertThat(OutboundRefusedException.in(thrown)).isPresent());
    }

    /** A TCP server that keeps the first bytes of every connection (a TLS ClientHello names the host in clear). */
    private static java.net.ServerSocket recordingServer(List<String> received) throws IOException {
        java.net.ServerSocket tls = new java.net.ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!tls.isClosed()) {
                try (java.net.Socket socket = tls.accept()) {
                    byte[] hello = new byte[512];
                    int read = socket.getInputStream().read(hello);
                    received.add(new String(hello, 0, Math.max(read, 0), java.nio.charset.StandardCharsets.ISO_8859_1));
                }
                catch (IOException closed) {
                    // The test ended.
                }
            }
        });
        return tls;
    }

    @Test
    void httpsGoesThroughTheCheckingTunnelWithTheHostNameIntact() throws IOException {
        List<String> received = new CopyOnWriteArrayList<>();
        try (java.net.ServerSocket tls = recordingServer(received)) {
            HttpClient client = loopbackOpened.jdkHttpClient(HttpClient.newBuilder());
            URI uri = URI.create("https://provider.example.test:" + tls.getLocalPort() + "/");

            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()))
                    .as("no TLS server there: the handshake fails").isInstanceOf(IOException.class);

            // The JDK tries once more without HTTP/2 after a failed handshake: one or two hellos.
            assertThat(received).isNotEmpty().allSatisfy(hello -> assertThat(hello)
                    .as("a ClientHello sent through the tunnel, naming the host (SNI)")
                    .startsWith("\u0016\u0003").contains("provider.example.test"));
        }
    }

    @Test
    void aNameThatChangesBetweenTheCheckAndTheConnectionIsRefusedByTheTunnel() throws IOException {
        List<String> received = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        OutboundResolver rebinding = host -> List.of(InetAddress.getByAddress(host,
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2").getAddress()));
        OutboundConnections connections = new OutboundConnections(new OutboundAddressPolicy(List.of("127.0.0.1/32")), rebinding);
        try (java.net.ServerSocket tls = recordingServer(received)) {
            HttpClient client = connections.jdkHttpClient(HttpClient.newBuilder());
            URI uri = URI.create("https://rebinding.example.test:" + tls.getLocalPort() + "/");

            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(IOException.class).hasMessageContaining("403");

            assertThat(lookups).as("checked before the request, and again by the tunnel").hasValue(2);
            assertThat(received).isEmpty();
        }
    }
}
