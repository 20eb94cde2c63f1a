package dev.switchboard.sql.internal.connection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Properties;

import javax.net.SocketFactory;

/**
 * The PostgreSQL driver's {@code socketFactory}: it constructs one per connection with the connection's properties
 * and asks it for an unconnected socket, which it then connects; the socket checks the address it connects to
 * ({@link OutboundSockets}). TLS, when asked for, is layered on this socket, so it is checked as well.
 */
public final class PostgresSocketFactory extends SocketFactory {

    private final String key;

    public PostgresSocketFactory(Properties properties) {
        this.key = properties.getProperty(OutboundSockets.PROPERTY);
    }

    @Override
    public Socket createSocket() throws IOException {
        return OutboundSockets.socket(key);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw unconnectedOnly();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw unconnectedOnly();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw unconnectedOnly();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw unconnectedOnly();
    }

    /** The driver only ever asks for unconnected sockets; anything else would be a path around the check. */
    static IOException unconnectedOnly() {
        return new IOException("Only unconnected sockets are made for registered databases");
    }
}
