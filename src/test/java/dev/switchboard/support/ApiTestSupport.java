package dev.switchboard.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** For {@link IntegrationTest} classes that talk to the API: an HTTP client and account helpers per test. */
public abstract class ApiTestSupport {

    @LocalServerPort
    protected int port;

    protected HttpTestClient http;
    protected Accounts accounts;

    @BeforeEach
    void apiClients() {
        http = new HttpTestClient(port);
        accounts = new Accounts(http);
    }
}
