package dev.switchboard.sql.internal.connection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.util.ConfigurableSocketFactory;

/**
 * MariaDB Connector/J's {@code socketFactory} (used for MySQL and MariaDB): the driver constructs one per connection,
 * hands it the connection's configuration — whose options it does not know, such as {@value OutboundSockets#PROPERTY},
 * stay in {@link Configuration#nonMappedOptions()} — and asks for an unconnected socket, which it then connects to
 * the resolved address; the socket checks that address ({@link OutboundSockets}).
 */
public final class MariaDbSocketFactory extends ConfigurableSocketFactory {

    private String key;

    public MariaDbSocketFactory() {
        // The driver calls setConfiguration before asking for a socket.
    }

    @Override
    public void setConfiguration(Configuration configuration, String host) {
        this.key = configuration.nonMappedOptions().getProperty(OutboundSockets.PROPERTY);
    }

    @Override
    public Socket createSocket() throws IOException {
        return OutboundSockets.socket(key);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw PostgresSocketFactory.unconnectedOnly();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw PostgresSocketFactory.unconnectedOnly();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw PostgresSocketFactory.unconnectedOnly();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw PostgresSocketFactory.unconnectedOnly();
    }
}
