package dev.switchboard.shared;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether Switchboard may connect to an address a user configured (a provider URL, later database
 * hosts and MCP servers): never to link-local (cloud metadata at 169.254.169.254 and its IPv6 cousins),
 * multicast or wildcard addresses; to loopback and private ranges only when the operator allows it. Every
 * address the host name resolves to must pass, so a name cannot smuggle in a forbidden one.
 */
public final class OutboundAddressPolicy {

    private OutboundAddressPolicy() {
    }

    /** Why the URL is refused, in words for the user; empty when it may be used. */
    public static Optional<String> refusal(String url, boolean allowPrivate, String allowPrivateSetting) {
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (Exception ex) {
            return Optional.of("'" + url + "' is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("The URL must start with http:// or https://.");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            return Optional.of("The URL must name a host and carry no user name or password.");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        }
        catch (UnknownHostException ex) {
            return Optional.of("The host " + uri.getHost() + " does not resolve.");
        }
        for (InetAddress address : addresses) {
            if (address.isLinkLocalAddress() || address.isMulticastAddress() || address.isAnyLocalAddress()
                    || isMetadataAddress(address)) {
                return Optional.of("The host " + uri.getHost() + " resolves to " + address.getHostAddress()
                        + ", a link-local, multicast or wildcard address Switchboard never connects to.");
            }
            if (!allowPrivate && (address.isLoopbackAddress() || address.isSiteLocalAddress() || isUniqueLocal(address))) {
                return Optional.of("The host " + uri.getHost() + " resolves to the private address " + address.getHostAddress()
                        + "; an operator can allow private addresses with " + allowPrivateSetting + "=true.");
            }
        }
        return Optional.empty();
    }

    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }

    /** Cloud metadata services outside link-local: 100.100.100.200 (Alibaba), fd00:ec2::254 (AWS, IPv6). */
    private static boolean isMetadataAddress(InetAddress address) {
        String text = address.getHostAddress();
        return text.equals("100.100.100.200") || text.equals("fd00:ec2:0:0:0:0:0:254");
    }
}
