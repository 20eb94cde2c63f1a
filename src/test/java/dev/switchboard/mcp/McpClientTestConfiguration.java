package dev.switchboard.mcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.switchboard.shared.OutboundResolver;
import dev.switchboard.support.MutableClock;

/**
 * What the external-MCP-server tests share (so they share one application context): a resolver the tests point
 * names with, and a clock they move to age tool lists.
 */
@TestConfiguration(proxyBeanMethods = false)
class McpClientTestConfiguration {

    /** What the test says a name resolves to; the system resolver for every other name. */
    static class ChangingResolver implements OutboundResolver {

        final Map<String, InetAddress> answers = new ConcurrentHashMap<>();

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            InetAddress answer = answers.get(host);
            return answer != null ? List.of(answer) : SYSTEM.resolve(host);
        }

        void point(String host, String address) throws UnknownHostException {
            answers.put(host, InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress()));
        }
    }

    @Bean
    ChangingResolver changingResolver() {
        return new ChangingResolver();
    }

    @Bean
    @Primary
    MutableClock mcpTestClock() {
        return new MutableClock();
    }
}
