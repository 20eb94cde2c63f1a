package switchboard.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What people do with Switchboard, against two replicas taking turns request by request (round-robin, as a load
 * balancer would): sign in, then until the run ends a non-streaming chat turn, a streaming one (SSE) in the same
 * session, the session list, the session's messages and a knowledge search, pausing between steps (1–3 s unless PAUSE says otherwise).
 * Configured by bench/load.sh through the environment: USERS (concurrent virtual users), DURATION (seconds of the
 * loop after the ramp), RAMP (seconds), BASES (comma-separated base URLs), LOAD_DIR (users.csv in, acked.csv out),
 * KB (the knowledge base searched), PAUSE (think time between steps, "min-max" seconds, default 1-3). Every chat turn acknowledged with 200 is written to LOAD_DIR/acked.csv (turn
 * token, session id, assistant message id) so that load.sh can check afterwards that none was lost or doubled.
 */
public class MixedLoadSimulation extends Simulation {

    static final int USERS = Integer.parseInt(env("USERS", "100"));
    static final int DURATION = Integer.parseInt(env("DURATION", "60"));
    static final int RAMP = Integer.parseInt(env("RAMP", String.valueOf(Math.max(1, Math.min(30, USERS / 10)))));
    static final List<String> BASES = List.of(env("BASES", "http://127.0.0.1:8080").split(","));
    static final Path DIR = Path.of(env("LOAD_DIR", "."));
    static final String KB = env("KB", "");
    static final Duration PAUSE_MIN = Duration.ofMillis(Math.round(1000 * Double.parseDouble(env("PAUSE", "1-3").split("-")[0])));
    static final Duration PAUSE_MAX = Duration.ofMillis(Math.round(1000 * Double.parseDouble(env("PAUSE", "1-3").split("-")[1])));
    static final AtomicLong NEXT = new AtomicLong();
    static final ConcurrentLinkedQueue<String> ACKED = new ConcurrentLinkedQueue<>();
    static final String UUID_RE = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The next replica, round-robin over every request of every user. */
    static ChainBuilder nextReplica() {
        return exec(session -> session.set("base", BASES.get((int) (NEXT.getAndIncrement() % BASES.size()))));
    }

    static String chatBody(Session session, String turn) {
        String sessionPart = session.contains("sessionId") ? ",\"sessionId\":\"" + session.getString("sessionId") + "\"" : "";
        return "{\"agent\":\"load\",\"message\":\"turn " + turn + ": how do I reset the pump controller?\"" + sessionPart + "}";
    }

    static Session acknowledge(Session session) {
        if (!session.isFailed() && session.contains("messageId") && session.contains("turn")) {
            ACKED.add(session.getString("turn") + "," + session.getString("sessionId") + "," + session.getString("messageId"));
        }
        return session.remove("messageId").remove("turn");
    }

    HttpProtocolBuilder protocol = http.acceptHeader("application/json").contentTypeHeader("application/json")
            .shareConnections().disableCaching().userAgentHeader("switchboard-load");

    ChainBuilder chat = nextReplica()
            .exec(session -> {
                String turn = UUID.randomUUID().toString();
                // A failure earlier in the loop marks the whole virtual user failed; this turn is judged alone.
                return session.markAsSucceeded().set("chatBody", chatBody(session, turn)).set("turn", turn);
            })
            .exec(http("chat").post("#{base}/api/chat").header("Authorization", "Bearer #{token}").body(StringBody("#{chatBody}"))
                    .check(status().is(200), jsonPath("$.sessionId").saveAs("sessionId"), jsonPath("$.message.id").saveAs("messageId"),
                            jsonPath("$.message.status").is("complete")))
            .exec(MixedLoadSimulation::acknowledge);

    ChainBuilder stream = nextReplica()
            .exec(session -> {
                String turn = UUID.randomUUID().toString();
                // A failure earlier in the loop marks the whole virtual user failed; this turn is judged alone.
                return session.markAsSucceeded().set("chatBody", chatBody(session, turn)).set("turn", turn);
            })
            .exec(http("chat (SSE)").post("#{base}/api/chat").header("Authorization", "Bearer #{token}")
                    .header("Accept", "text/event-stream").body(StringBody("#{chatBody}"))
                    .check(status().is(200),
                            regex("event:\\s*done\\s*data:\\s*\\{.*?\"sessionId\":\"" + UUID_RE + "\"").saveAs("sessionId"),
                            regex("event:\\s*done\\s*data:\\s*\\{.*?\"message\":\\{\"id\":\"" + UUID_RE + "\"").saveAs("messageId")))
            .exec(MixedLoadSimulation::acknowledge);

    ChainBuilder history = nextReplica()
            .exec(http("sessions").get("#{base}/api/sessions?limit=20").header("Authorization", "Bearer #{token}")
                    .check(status().is(200)))
            .pause(Duration.ofMillis(200), Duration.ofMillis(800))
            .doIf(session -> session.contains("sessionId")).then(nextReplica()
                    .exec(http("messages").get("#{base}/api/sessions/#{sessionId}/messages?limit=50")
                            .header("Authorization", "Bearer #{token}").check(status().is(200), jsonPath("$.messages[0].id").exists())));

    ChainBuilder search = nextReplica()
            .exec(http("knowledge search").post("#{base}/api/knowledge/search").header("Authorization", "Bearer #{token}")
                    .body(StringBody("{\"query\":\"pump controller reset procedure\",\"knowledgeBaseIds\":[\"" + KB + "\"],\"topK\":5}"))
                    .check(status().is(200), jsonPath("$.results").exists()));

    ScenarioBuilder people = scenario("people")
            .feed(csv(DIR.resolve("users.csv").toString()).circular())
            .exec(nextReplica())
            .exec(http("sign-in").post("#{base}/api/auth/login")
                    .body(StringBody("{\"email\":\"#{email}\",\"password\":\"#{password}\"}"))
                    .check(status().is(200), jsonPath("$.accessToken").saveAs("token")))
            // exitASAP false: a user whose time runs out during a turn still records its acknowledgement.
            .during(Duration.ofSeconds(DURATION), false).on(
                    pause(PAUSE_MIN, PAUSE_MAX), exec(chat),
                    pause(PAUSE_MIN, PAUSE_MAX), exec(stream),
                    pause(PAUSE_MIN, PAUSE_MAX), exec(history),
                    pause(PAUSE_MIN, PAUSE_MAX), exec(search));

    {
        setUp(people.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP)))).protocols(protocol)
                .assertions(global().failedRequests().percent().lt(0.1));
    }

    @Override
    public void after() {
        try {
            Files.write(DIR.resolve("acked.csv"), ACKED);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
