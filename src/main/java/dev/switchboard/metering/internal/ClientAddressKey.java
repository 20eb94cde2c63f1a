package dev.switchboard.metering.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * The rate-limit bucket of a client address: an IPv4 address is its own bucket, an IPv6 address counts as
 * its /64. One subscriber, host or VM is normally given a whole /64 and can pick any of its 2^64 addresses
 * (privacy addresses rotate on their own), so a bucket per IPv6 address would let one client sidestep any
 * per-address limit by changing address. IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) counts as the IPv4
 * address.
 */
final class ClientAddressKey {

    private static final String UNKNOWN = "unknown";

    private ClientAddressKey() {
    }

    /** The bucket key for a literal address as Tomcat resolved it; {@code unknown} for anything else. */
    static String of(String address) {
        if (address == null) {
            return UNKNOWN;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (literal.isEmpty() || !literal.matches("[0-9a-fA-F:.]+")) {
            return UNKNOWN;
        }
        try {
            // Only literals reach here (checked above), so this never looks a name up.
            InetAddress parsed = InetAddress.getByName(literal);
            if (parsed instanceof Inet4Address v4) {
                return v4.getHostAddress();
            }
            if (parsed instanceof Inet6Address v6) {
                byte[] prefix = new byte[8];
                System.arraycopy(v6.getAddress(), 0, prefix, 0, 8);
                return "v6:" + HexFormat.of().formatHex(prefix) + "/64";
            }
            return UNKNOWN;
        }
        catch (UnknownHostException ex) {
            return UNKNOWN;
        }
    }
}
