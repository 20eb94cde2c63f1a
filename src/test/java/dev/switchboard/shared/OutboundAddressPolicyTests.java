package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every special-purpose range of the IANA registries is refused, in its IPv4 and IPv6 forms and embedded in
 * IPv6; public addresses pass; the operator's allow-list opens exactly what it names.
 */
class OutboundAddressPolicyTests {

    private final OutboundAddressPolicy strict = OutboundAddressPolicy.strict();

    /** The address as written, kept IPv6 when it is an IPv4-mapped one (the JDK would unwrap it). */
    static InetAddress address(String literal) throws UnknownHostException {
        byte[] bytes = InetAddress.getByName(literal).getAddress();
        if (literal.contains(":") && bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return InetAddress.getByAddress(bytes);
    }

    @ParameterizedTest(name = "{0} is refused ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0            | "this network"
            0.1.2.3            | "this network"
            10.0.0.1           | private-use
            10.255.255.255     | private-use
            100.64.0.1         | shared (carrier-grade NAT)
            100.100.100.200    | shared (carrier-grade NAT)
            100.127.255.254    | shared (carrier-grade NAT)
            127.0.0.1          | loopback
            127.255.0.9        | loopback
            169.254.169.254    | link-local
            172.16.0.1         | private-use
            172.31.255.255     | private-use
            192.0.0.8          | IETF protocol assignments
            192.0.0.170        | IETF protocol assignments
            192.0.2.10         | TEST-NET-1
            192.31.196.1       | AS112
            192.52.193.1       | AMT
            192.88.99.1        | 6to4 relay
            192.168.1.1        | private-use
            192.175.48.1       | AS112
            198.18.0.1         | benchmarking
            198.19.255.255     | benchmarking
            198.51.100.7       | TEST-NET-2
            203.0.113.7        | TEST-NET-3
            224.0.0.1          | multicast
            239.255.255.250    | multicast
            240.0.0.1          | reserved
            255.255.255.255    | broadcast
            ::                 | unspecified
            ::1                | loopback
            ::ffff:127.0.0.1   | loopback
            ::ffff:10.1.2.3    | private-use
            ::ffff:169.254.169.254 | link-local
            ::127.0.0.1        | loopback
            ::a00:1            | private-use
            64:ff9b::7f00:1    | loopback
            64:ff9b::a9fe:a9fe | link-local
            64:ff9b::c0a8:101  | private-use
            64:ff9b:1::808:808 | local-use NAT64
            100::1             | discard-only
            100:0:0:1::1       | dummy
            2001::1            | Teredo
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo
            2001:2::1          | benchmarking
            2001:20::1         | ORCHID
            2001:db8::1        | documentation
            2002:7f00:1::1     | 6to4
            2002:808:808::1    | 6to4
            2620:4f:8000::1    | AS112
            3fff::1            | documentation
            5f00::1            | SRv6
            fc00::1            | unique-local
            fd00:ec2::254      | unique-local
            fe80::1            | link-local
            fec0::1            | site-local
            ff02::1            | multicast
            ff0e::1            | multicast
            4000::1            | outside global unicast
            8000::1            | outside global unicast
            """)
    void specialPurposeAddressesAreRefused(String literal, String range) throws UnknownHostException {
        assertThat(strict.refusal(address(literal))).hasValueSatisfying(reason -> assertThat(reason).contains(range));
    }

    @ParameterizedTest(name = "{0} passes")
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.0", "172.32.0.1",
            "198.17.255.255", "198.20.0.1", "223.255.255.254", "192.0.1.1", "2606:4700::1111", "2a00:1450:4001::200e",
            "::ffff:8.8.8.8", "::8.8.8.8", "64:ff9b::808:808", "2001:200::1"})
    void publicAddressesPass(String literal) throws UnknownHostException {
        assertThat(strict.refusal(address(literal))).isEmpty();
    }

    @Test
    void theAllowListOpensExactlyTheNetworksItNames() throws UnknownHostException {
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of("10.20.0.0/16", "127.0.0.1/32", "fd12:3456::/32"));

        assertThat(policy.refusal(address("10.20.30.40"))).isEmpty();
        assertThat(policy.refusal(address("127.0.0.1"))).isEmpty();
        assertThat(policy.refusal(address("::ffff:127.0.0.1"))).as("mapped form of an allowed address").isEmpty();
        assertThat(policy.refusal(address("64:ff9b::a14:1e28"))).as("NAT64 form of an allowed address").isEmpty();
        assertThat(policy.refusal(address("fd12:3456::9"))).isEmpty();
        assertThat(policy.refusal(address("10.21.0.1"))).isPresent();
        assertThat(policy.refusal(address("127.0.0.2"))).isPresent();
        assertThat(policy.refusal(address("fd12:3457::9"))).isPresent();
        assertThat(policy.refusal(address("169.254.169.254"))).isPresent();
    }

    @Test
    void aSingleAddressIsAHostNetwork() throws UnknownHostException {
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of("192.168.1.5"));

        assertThat(policy.refusal(address("192.168.1.5"))).isEmpty();
        assertThat(policy.refusal(address("192.168.1.6"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"internal.example.com/16", "10.0.0.0/33", "10.0.0.0/x", "", "fd00::/129"})
    void anAllowListEntryThatIsNoNetworkIsRefusedNamingTheSetting(String entry) {
        assertThatThrownBy(() -> new OutboundAddressPolicy(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OutboundAddressPolicy.ALLOWED_NETWORKS_SETTING);
    }
}
