package dev.switchboard.sql.internal.connection;

import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.shared.OutboundConnections;

/**
 * Where the JDBC drivers' socket factories find the application's {@link OutboundConnections}. Drivers instantiate
 * a socket factory from a class name, by reflection, so it cannot be handed a bean: each application context
 * registers its facility here under a random key and passes the key to the driver as the connection property
 * {@value #PROPERTY}, which the factory reads back ({@link PostgresSocketFactory}, {@link MariaDbSocketFactory}).
 * A key makes several contexts in one JVM (tests) each keep their own policy.
 */
public final class OutboundSockets implements AutoCloseable {

    /** The driver connection property that carries the key. */
    public static final String PROPERTY = "switchboardOutbound";

    private static final Map<String, OutboundConnections> REGISTERED = new ConcurrentHashMap<>();

    private final String key = UUID.randomUUID().toString();

    public OutboundSockets(OutboundConnections connections) {
        REGISTERED.put(key, connections);
    }

    /** The key drivers are given. */
    public String key() {
        return key;
    }

    /** A socket that connects only to addresses the policy of the context registered under {@code key} allows. */
    static Socket socket(String key) throws SocketException {
        OutboundConnections connections = key == null ? null : REGISTERED.get(key);
        if (connections == null) {
            // Never fall back to an unchecked socket: a connection without the key must not be made at all.
            throw new SocketException("No outbound address policy is registered for this connection (" + PROPERTY
                    + " is missing or its application has stopped)");
        }
        try {
            return connections.socketFactory().createSocket();
        }
        catch (java.io.IOException ex) {
            throw new SocketException(ex.getMessage());
        }
    }

    @Override
    public void close() {
        REGISTERED.remove(key);
    }
}
