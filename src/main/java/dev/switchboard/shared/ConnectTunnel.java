package dev.switchboard.shared;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP {@code CONNECT} proxy on loopback, inside the process, through which the JDK client reaches https
 * destinations: the client has no resolver hook, so it asks this "proxy" for a tunnel to {@code host:port}, and the
 * tunnel resolves the host through {@link OutboundConnections}, checks every address and connects to a checked
 * one. TLS stays end to end (the client still sends the host name as SNI and verifies the certificate against it);
 * the tunnel only copies bytes. A refused host gets {@code 403} and no connection.
 * <p>
 * It listens on loopback only and opens tunnels only to addresses the outbound policy allows, so another local
 * process gains nothing it could not do directly.
 */
final class ConnectTunnel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectTunnel.class);

    /** A CONNECT request's head is a line and a few headers; more is not a client of ours. */
    private static final int MAX_HEAD = 8 * 1024;

    /** Until the destination accepts the connection (the client's own connect timeout runs as well). */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** Until a client has sent its CONNECT head: a connection that sends nothing is not kept. */
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);

    private final OutboundConnections connections;
    private final ServerSocket server;
    private final int headTimeoutMillis;
    private final Thread acceptor;

    ConnectTunnel(OutboundConnections connections) {
        this(connections, HEAD_TIMEOUT);
    }

    ConnectTunnel(OutboundConnections connections, Duration headTimeout) {
        this.connections = connections;
        this.headTimeoutMillis = Math.toIntExact(headTimeout.toMillis());
        try {
            this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open the outbound tunnel on loopback", ex);
        }
        this.acceptor = Thread.ofVirtual().name("outbound-tunnel").start(this::accept);
    }

    /** Whether the tunnel still takes new connections (false once closed and its acceptor has ended). */
    boolean accepting() {
        return !server.isClosed() || acceptor.isAlive();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Stops accepting; tunnels already open run until either side closes. */
    @Override
    public void close() {
        try {
            server.close();
        }
        catch (IOException ex) {
            log.debug("Closing the outbound tunnel: {}", ex.toString());
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().name("outbound-tunnel-client").start(() -> serve(client));
            }
            catch (IOException ex) {
                if (!server.isClosed()) {
                    log.warn("The outbound tunnel could not accept a connection: {}", ex.toString());
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(headTimeoutMillis);
            String target = target(readHead(client.getInputStream()));
            client.setSoTimeout(0);
            OutputStream toClient = client.getOutputStream();
            if (target == null) {
                reply(toClient, "400 Bad Request");
                return;
            }
            int colon = target.lastIndexOf(':');
            String host = target.substring(0, colon);
            int port = Integer.parseInt(target.substring(colon + 1));
            InetSocketAddress checked;
            try {
                checked = connections.socketAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
            }
            catch (IOException refused) {
                reply(toClient, OutboundRefusedException.in(refused).isPresent() ? "403 Forbidden" : "502 Bad Gateway");
                return;
            }
            try (Socket destination = new Socket()) {
                destination.setTcpNoDelay(true);
                destination.connect(checked, Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
                reply(toClient, "200 Connection Established");
                Thread upstream = Thread.ofVirtual().start(() -> copy(client, destination));
                copy(destination, client);
                upstream.join();
            }
            catch (IOException ex) {
                reply(toClient, "502 Bad Gateway");
            }
        }
        catch (IOException | RuntimeException ex) {
            log.debug("Outbound tunnel closed: {}", ex.toString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code host:port} of a {@code CONNECT host:port HTTP/1.1} head; null for anything else. */
    static String target(String head) {
        String[] line = head.split("\r\n", 2)[0].split(" ");
        if (line.length != 3 || !line[0].equals("CONNECT") || !line[2].startsWith("HTTP/1.")) {
            return null;
        }
        int colon = line[1].lastIndexOf(':');
        if (colon <= 0 || !line[1].substring(colon + 1).matches("[0-9]{1,5}")) {
            return null;
        }
        return line[1];
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD) {
                throw new IOException("Incomplete CONNECT request");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void reply(OutputStream out, String status) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Copies until either side closes, then half-closes the other so the peer sees the end. */
    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        }
        catch (IOException ex) {
            try {
                from.close();
                to.close();
            }
            catch (IOException ignored) {
                // Both closed: nothing left to copy.
            }
        }
    }
}
