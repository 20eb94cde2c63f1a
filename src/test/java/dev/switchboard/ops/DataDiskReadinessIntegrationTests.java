package dev.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The data directory's free space is part of readiness: a replica whose data disk has less than the threshold left
 * stops taking traffic (503), while liveness stays up so it is not restarted for it. No disk is filled here: the
 * threshold is set above any disk's size, which is the same condition for the indicator.
 */
@IntegrationTest
@TestPropertySource(properties = "management.health.diskspace.threshold=1000000TB")
class DataDiskReadinessIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Test
    void aFullDataDiskTakesTheReplicaOutOfService() {
        HttpTestClient http = new HttpTestClient(port);
        HttpResponse<String> ready = http.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode components = HttpTestClient.json(ready).path("components");
        assertThat(components.path("diskSpace").path("status").asString()).isEqualTo("DOWN");
        assertThat(components.path("db").path("status").asString()).isEqualTo("UP");
        assertThat(ready.body()).doesNotContain(environment.getRequiredProperty("switchboard.data-dir"));
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void theDiskSpaceMetricIsTheDataDirectorysForAlerts() {
        String metrics = new HttpTestClient(port).get("/metrics").body();
        String dataDir = Path.of(environment.getRequiredProperty("switchboard.data-dir")).toAbsolutePath()
                .toString();
        assertThat(metrics).contains("disk_free_bytes{application=\"switchboard\",path=\"" + dataDir);
    }
}
