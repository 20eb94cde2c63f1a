package dev.switchboard.shared;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses Switchboard may connect to for a destination a user configured (a provider, an embedding
 * service, later MCP servers and databases): none in a special-purpose range of the IANA IPv4 and IPv6
 * Special-Purpose Address Registries (loopback, private, shared, link-local and cloud metadata, documentation,
 * benchmarking, multicast, reserved, protocol assignments), nor, for IPv6, outside the global unicast space
 * 2000::/3 — unless the operator opened the range in {@value #ALLOWED_NETWORKS_SETTING}.
 * <p>
 * IPv6 forms that carry an IPv4 address are judged by that address: IPv4-mapped ({@code ::ffff:0:0/96}),
 * IPv4-compatible ({@code ::/96}) and the well-known NAT64 prefix ({@code 64:ff9b::/96}), whose gateway
 * connects to the embedded address. 6to4 ({@code 2002::/16}) and the local-use NAT64 prefix
 * ({@code 64:ff9b:1::/48}) are refused outright: where they lead depends on relays Switchboard cannot see.
 * <p>
 * The policy judges addresses, never names: {@link OutboundConnections} resolves and applies it to every
 * address actually dialled.
 */
public final class OutboundAddressPolicy {

    /** The setting that opens ranges deliberately (a list of CIDRs). */
    public static final String ALLOWED_NETWORKS_SETTING = "switchboard.security.outbound.allowed-networks";

    private record Range(Network network, String name) {

        static Range of(String cidr, String name) {
            return new Range(Network.parse(cidr), name);
        }
    }

    /** IANA IPv4 Special-Purpose Address Registry, plus multicast and the reserved class E block. */
    private static final List<Range> IPV4 = List.of(
            Range.of("0.0.0.0/8", "\"this network\" range"),
            Range.of("10.0.0.0/8", "private-use network"),
            Range.of("100.64.0.0/10", "shared (carrier-grade NAT) address space"),
            Range.of("127.0.0.0/8", "loopback range"),
            Range.of("169.254.0.0/16", "link-local range (cloud metadata services)"),
            Range.of("172.16.0.0/12", "private-use network"),
            Range.of("192.0.0.0/24", "IETF protocol assignments"),
            Range.of("192.0.2.0/24", "documentation range TEST-NET-1"),
            Range.of("192.31.196.0/24", "AS112 anycast range"),
            Range.of("192.52.193.0/24", "AMT anycast range"),
            Range.of("192.88.99.0/24", "6to4 relay anycast range"),
            Range.of("192.168.0.0/16", "private-use network"),
            Range.of("192.175.48.0/24", "AS112 direct delegation range"),
            Range.of("198.18.0.0/15", "benchmarking range"),
            Range.of("198.51.100.0/24", "documentation range TEST-NET-2"),
            Range.of("203.0.113.0/24", "documentation range TEST-NET-3"),
            Range.of("224.0.0.0/4", "multicast range"),
            Range.of("240.0.0.0/4", "reserved range (and the broadcast address)"));

    /** IANA IPv6 Special-Purpose Address Registry, plus multicast and deprecated site-local. */
    private static final List<Range> IPV6 = List.of(
            Range.of("::/128", "unspecified address"),
            Range.of("::1/128", "loopback address"),
            Range.of("64:ff9b:1::/48", "local-use NAT64 prefix"),
            Range.of("100::/64", "discard-only prefix"),
            Range.of("100:0:0:1::/64", "dummy prefix"),
            Range.of("2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID)"),
            Range.of("2001:db8::/32", "documentation prefix"),
            Range.of("2002::/16", "6to4 prefix"),
            Range.of("2620:4f:8000::/48", "AS112 direct delegation prefix"),
            Range.of("3fff::/20", "documentation prefix"),
            Range.of("5f00::/16", "segment routing (SRv6) SID prefix"),
            Range.of("fc00::/7", "unique-local (private) prefix"),
            Range.of("fe80::/10", "link-local prefix"),
            Range.of("fec0::/10", "site-local prefix"),
            Range.of("ff00::/8", "multicast prefix"));

    private static final Network GLOBAL_UNICAST = Network.parse("2000::/3");
    private static final byte[] NAT64_WELL_KNOWN = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final byte[] COMPATIBLE = new byte[12];

    private final List<Network> allowed;

    /**
     * A policy with the operator's allow-list.
     *
     * @param allowedNetworks CIDRs opened deliberately, e.g. {@code 10.20.0.0/16} for an internal model server
     * @throws IllegalArgumentException naming the setting and the entry that is not a CIDR
     */
    public OutboundAddressPolicy(List<String> allowedNetworks) {
        try {
            this.allowed = allowedNetworks.stream().map(Network::parse).toList();
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(ALLOWED_NETWORKS_SETTING + ": " + ex.getMessage(), ex);
        }
    }

    /** The policy without any allowed range. */
    public static OutboundAddressPolicy strict() {
        return new OutboundAddressPolicy(List.of());
    }

    /** The networks the operator opened, as configured. */
    public List<String> allowedNetworks() {
        return allowed.stream().map(Network::text).toList();
    }

    /**
     * Why Switchboard must not connect to the address, as the range it lies in ({@code "the private-use network
     * 10.0.0.0/8"}); empty when it may.
     */
    public Optional<String> refusal(InetAddress address) {
        return refusal(address.getAddress());
    }

    private Optional<String> refusal(byte[] address) {
        if (allowed.stream().anyMatch(network -> network.contains(address))) {
            return Optional.empty();
        }
        if (address.length == 4) {
            return firstRange(IPV4, address);
        }
        byte[] embedded = embeddedIpv4(address);
        if (embedded != null) {
            return refusal(embedded).map(reason -> reason + " (embedded in an IPv6 address)");
        }
        Optional<String> special = firstRange(IPV6, address);
        if (special.isPresent() || GLOBAL_UNICAST.contains(address)) {
            return special;
        }
        return Optional.of("the IPv6 space outside global unicast 2000::/3");
    }

    private static Optional<String> firstRange(List<Range> ranges, byte[] address) {
        return ranges.stream().filter(range -> range.network().contains(address)).findFirst()
                .map(range -> "the " + range.name() + " " + range.network().text());
    }

    /**
     * The IPv4 address an IPv4-mapped, IPv4-compatible or well-known-prefix NAT64 address carries; null for
     * other addresses (and for {@code ::} and {@code ::1}, which are not IPv4-compatible).
     */
    private static byte[] embeddedIpv4(byte[] address) {
        byte[] head = Arrays.copyOf(address, 12);
        byte[] tail = Arrays.copyOfRange(address, 12, 16);
        boolean compatible = Arrays.equals(head, COMPATIBLE) && (tail[0] != 0 || tail[1] != 0 || tail[2] != 0 || (tail[3] & 0xfe) != 0);
        return Arrays.equals(head, MAPPED) || Arrays.equals(head, NAT64_WELL_KNOWN) || compatible ? tail : null;
    }
}
