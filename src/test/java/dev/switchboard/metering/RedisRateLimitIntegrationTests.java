package dev.switchboard.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.TestDatabaseInitializer;
import dev.switchboard.support.TestRedis;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances sharing one PostgreSQL and one Redis: a key's limit holds for the pair, not per instance.
 * Runs when Redis answers on 127.0.0.1:6379; required under CI=true.
 */
class RedisRateLimitIntegrationTests {

    @Test
    void twoInstancesShareOneLimit() {
        TestRedis.assumeAvailable();
        List<String> common = List.of("--server.port=0", "--spring.profiles.active=test",
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=6379",
                "--switchboard.metering.tiers.free.requests-per-minute=10");
        List<String> first = new ArrayList<>(common);
        if (TestDatabaseInitializer.external()) {
            first.add("--spring.datasource.url=" + TestDatabaseInitializer.freshExternalDatabase(
                    System.getProperty(TestDatabaseInitializer.EXTERNAL_PROPERTY)));
        }
        else {
            first.add("--switchboard.data-dir=" + TestDatabaseInitializer.freshDataDirectory());
        }
        try (ConfigurableApplicationContext a = new SpringApplicationBuilder(Switchboard.class).run(first.toArray(String[]::new))) {
            List<String> second = new ArrayList<>(common);
            second.add("--spring.datasource.url=" + a.getBean(HikariDataSource.class).getJdbcUrl());
            try (ConfigurableApplicationContext b = new SpringApplicationBuilder(Switchboard.class).run(second.toArray(String[]::new))) {
                HttpTestClient httpA = new HttpTestClient(port(a));
                HttpTestClient httpB = new HttpTestClient(port(b));
                Accounts accounts = new Accounts(httpA);
                String key = HttpTestClient.json(accounts.send(accounts.newTenantAdmin(), "POST", "/api/keys",
                        "{\"name\":\"shared\"}")).path("key").asString();
                int allowed = 0;
                for (int i = 0; i < 16; i++) {
                    HttpTestClient http = i % 2 == 0 ? httpA : httpB;
                    if (http.get("/api/auth/me", "X-API-Key", key).statusCode() == 200) {
                        allowed++;
                    }
                }
                assertThat(allowed).isEqualTo(10);
                assertThat(httpB.get("/health/ready").body()).contains("rateLimitStore");
            }
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
