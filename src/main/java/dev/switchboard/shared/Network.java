package dev.switchboard.shared;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IP network in CIDR form ({@code 10.0.0.0/8}, {@code fc00::/7}): a prefix and its length in bits. IPv4
 * networks contain only IPv4 addresses and IPv6 networks only IPv6 ones; embedded forms are unwrapped by
 * {@link OutboundAddressPolicy}, not here.
 */
record Network(byte[] prefix, int bits, String text) {

    /**
     * The network written as {@code address/bits} (or a single address, a /32 or /128).
     *
     * @throws IllegalArgumentException naming the text when it is not a CIDR of IP literals
     */
    static Network parse(String cidr) {
        String text = cidr == null ? "" : cidr.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        // Only literals: a host name here would be resolved at start-up, and is not a network.
        if (address.isEmpty() || !address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + cidr + "' is not a network in CIDR form such as 10.0.0.0/8 or fd00::/8");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        }
        catch (UnknownHostException ex) {
            throw new IllegalArgumentException("'" + cidr + "' is not a network in CIDR form such as 10.0.0.0/8 or fd00::/8");
        }
        int bits;
        try {
            bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("'" + cidr + "' has no prefix length after the slash");
        }
        if (bits < 0 || bits > bytes.length * 8) {
            throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0.." + bytes.length * 8);
        }
        return new Network(masked(bytes, bits), bits, text);
    }

    boolean contains(byte[] address) {
        return address.length == prefix.length && Arrays.equals(masked(address, bits), prefix);
    }

    private static byte[] masked(byte[] address, int bits) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.clamp(bits - i * 8L, 0, 8);
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Network network && network.bits == bits && Arrays.equals(network.prefix, prefix);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prefix) + bits;
    }

    @Override
    public String toString() {
        return text;
    }
}
