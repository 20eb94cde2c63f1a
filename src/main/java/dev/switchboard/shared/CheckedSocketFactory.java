package dev.switchboard.shared;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import javax.net.SocketFactory;

/**
 * Plain sockets that connect only to checked addresses (see {@link OutboundConnections#socketFactory()}): an
 * unresolved destination is resolved and checked, a resolved one is checked as it is. For drivers that take a
 * {@link SocketFactory} (JDBC) and for protocols over TCP.
 */
final class CheckedSocketFactory extends SocketFactory {

    private final OutboundConnections connections;

    CheckedSocketFactory(OutboundConnections connections) {
        this.connections = connections;
    }

    @Override
    public Socket createSocket() {
        return new CheckedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(InetSocketAddress.createUnresolved(host == null ? "localhost" : host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = new CheckedSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket socket = new CheckedSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }

    private Socket connected(InetSocketAddress address) throws IOException {
        Socket socket = new CheckedSocket();
        socket.connect(address);
        return socket;
    }

    private final class CheckedSocket extends Socket {

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            super.connect(checked(endpoint), timeout);
        }

        private SocketAddress checked(SocketAddress endpoint) throws UnknownHostException {
            if (!(endpoint instanceof InetSocketAddress inet)) {
                return endpoint;
            }
            if (inet.isUnresolved()) {
                return connections.socketAddress(inet.getHostString(), inet.getPort());
            }
            Optional<String> refusal = connections.policy().refusal(inet.getAddress());
            if (refusal.isPresent()) {
                throw new OutboundRefusedException("The address " + inet.getAddress().getHostAddress() + " is in " + refusal.get()
                        + ", which Switchboard does not connect to; an operator can open the range with "
                        + OutboundAddressPolicy.ALLOWED_NETWORKS_SETTING + ".").asLookupFailure();
            }
            return inet;
        }
    }
}
