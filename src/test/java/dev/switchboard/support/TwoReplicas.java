package dev.switchboard.support;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.Switchboard;

/**
 * Two Switchboard instances sharing one PostgreSQL and the Redis on 127.0.0.1:6379, as two replicas behind a
 * load balancer would. Call {@link TestRedis#assumeAvailable()} first.
 */
public final class TwoReplicas implements AutoCloseable {

    public final ConfigurableApplicationContext a;
    public final ConfigurableApplicationContext b;
    public final HttpTestClient httpA;
    public final HttpTestClient httpB;

    public TwoReplicas(String... extraArguments) {
        List<String> common = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=test",
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=6379"));
        common.addAll(List.of(extraArguments));
        List<String> first = new ArrayList<>(common);
        first.addAll(List.of(TestDatabaseInitializer.freshDatabaseArguments()));
        a = new SpringApplicationBuilder(Switchboard.class).run(first.toArray(String[]::new));
        List<String> second = new ArrayList<>(common);
        second.add("--spring.datasource.url=" + a.getBean(HikariDataSource.class).getJdbcUrl());
        second.add("--switchboard.data-dir=" + TestDatabaseInitializer.freshDataDirectory());
        b = new SpringApplicationBuilder(Switchboard.class).run(second.toArray(String[]::new));
        httpA = new HttpTestClient(port(a));
        httpB = new HttpTestClient(port(b));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        b.close();
        a.close();
    }
}
