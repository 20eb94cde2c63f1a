package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.Switchboard;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.ProbeController;
import dev.switchboard.support.TestDatabaseInitializer;

/** Stopping the application lets a request in flight finish before the server and the database go. */
class GracefulShutdownIntegrationTests {

    @Test
    void inFlightRequestsCompleteDuringShutdown() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(Switchboard.class, ProbeController.class)
                .run("--server.port=0", "--switchboard.data-dir=" + TestDatabaseInitializer.initialisedDataDirectory(),
                        "--spring.datasource.url=");
        HttpTestClient http = new HttpTestClient(((WebServerApplicationContext) app).getWebServer().getPort());
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                () -> http.get("/test/probe/slow?millis=1500"));
        ProbeController probe = app.getBean(ProbeController.class);
        await("the slow request is in flight").atMost(Duration.ofSeconds(30)).until(() -> probe.slowStarted() == 1);
        app.close();
        assertThat(probe.slowFinished()).as("close waited for the request").isEqualTo(1);
        HttpResponse<String> response = inFlight.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"slept\":1500");
    }
}
