package dev.switchboard.shared;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses {@link OutboundConnections} checks and dials. The system resolver in
 * production; tests put one in that answers differently over time (a name that changes what it points at).
 */
@FunctionalInterface
public interface OutboundResolver {

    /** The platform's resolver (and its cache). */
    OutboundResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * Every address of the host, or an IP literal as its one address.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
