package dev.switchboard.ops.internal.doctor;

import static dev.switchboard.ops.internal.doctor.Answers.unexpected;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

/**
 * What a caller with the operator's API key meets: the admin area's refusal of a non-admin, a chat round trip,
 * the MCP server's tool list and the providers' health. Each says "skipped", and why, when the key cannot check it.
 */
final class CallerChecks {

    static final String NO_KEY = "needs --api-key";

    /** Tools named in the MCP check's reason before "…". */
    private static final int TOOLS_NAMED = 5;

    private CallerChecks() {
    }

    static List<DoctorCheck> all() {
        return List.of(DoctorCheck.of("403 for non-admin", CallerChecks::adminAreaRefused),
                DoctorCheck.of("chat round trip", CallerChecks::chatRoundTrip),
                DoctorCheck.of("MCP tools listed", CallerChecks::mcpTools),
                DoctorCheck.of("provider health", CallerChecks::providerHealth));
    }

    static CheckResult adminAreaRefused(String name, Deployment deployment) throws Deployment.Unreachable {
        if (!deployment.options().hasKey()) {
            return CheckResult.skip(name, NO_KEY + " of a member, or a key without the admin scope");
        }
        HttpResponse<String> response = deployment.send(deployment.withKey("/api/users").GET().build());
        return switch (response.statusCode()) {
            case 403 -> CheckResult.pass(name, "GET /api/users with the key answered 403");
            case 200 -> CheckResult.skip(name, "the key acts as admin (GET /api/users answered 200); pass a member's key or "
                    + "a key without the admin scope to check");
            case 401 -> keyRefused(name, response);
            default -> CheckResult.fail(name, "GET /api/users with the key " + unexpected(response) + " (expected 403)");
        };
    }

    /** The first agent the key may use answers a message (the turn is kept as a session of the key's owner). */
    static CheckResult chatRoundTrip(String name, Deployment deployment) throws Deployment.Unreachable {
        if (!deployment.options().hasKey()) {
            return CheckResult.skip(name, NO_KEY + " with the chat scope");
        }
        HttpResponse<String> agents = deployment.send(deployment.withKey("/api/agents").GET().build());
        if (agents.statusCode() == 403) {
            return CheckResult.skip(name, "the key has no chat scope (GET /api/agents answered 403)");
        }
        if (agents.statusCode() != 200) {
            return agents.statusCode() == 401 ? keyRefused(name, agents)
                    : CheckResult.fail(name, "GET /api/agents " + unexpected(agents));
        }
        Optional<String> agent = Answers.json(agents.body()).map(list -> list.path("agents").path(0).path("slug"))
                .filter(JsonNode::isString).map(JsonNode::asString);
        if (agent.isEmpty()) {
            return CheckResult.skip(name, "the key may use no agent (GET /api/agents is empty); create a persona to check");
        }
        String message = Answers.toJson(Map.of("agent", agent.get(), "message",
                "This is a deployment check. Please answer with one short sentence."));
        long started = System.nanoTime();
        HttpResponse<String> reply = deployment.send(deployment.withKey("/api/chat").header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(message)).build());
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (reply.statusCode() != 200) {
            return CheckResult.fail(name, "POST /api/chat to " + agent.get() + " " + unexpected(reply));
        }
        JsonNode body = Answers.json(reply.body()).orElse(null);
        if (body == null || body.path("message").path("content").asString("").isBlank()) {
            return CheckResult.fail(name, "POST /api/chat to " + agent.get() + " answered 200 without a message");
        }
        return CheckResult.pass(name, "agent " + agent.get() + " answered through " + body.path("target").asString("?") + " in "
                + millis + " ms");
    }

    /** {@code tools/list} on the stateless Streamable HTTP server: one POST, no session. */
    static CheckResult mcpTools(String name, Deployment deployment) throws Deployment.Unreachable {
        if (!deployment.options().hasKey()) {
            return CheckResult.skip(name, NO_KEY + " with the mcp scope");
        }
        HttpResponse<String> response = deployment.send(deployment.withKey("/api/mcp").header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build());
        if (response.statusCode() == 403) {
            return CheckResult.skip(name, "the key has no mcp scope (POST /api/mcp answered 403)");
        }
        if (response.statusCode() != 200) {
            return response.statusCode() == 401 ? keyRefused(name, response)
                    : CheckResult.fail(name, "POST /api/mcp tools/list " + unexpected(response));
        }
        JsonNode tools = Answers.json(jsonRpcMessage(response.body())).map(rpc -> rpc.path("result").path("tools"))
                .orElse(null);
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return CheckResult.fail(name, "POST /api/mcp tools/list answered 200 without tools" + Answers.describe(response));
        }
        String names = tools.valueStream().limit(TOOLS_NAMED).map(tool -> tool.path("name").asString("?"))
                .collect(Collectors.joining(", "));
        return CheckResult.pass(name, tools.size() + " tools: " + names + (tools.size() > TOOLS_NAMED ? ", …" : ""));
    }

    /** The JSON-RPC message of a response the server sent as JSON or as one Server-Sent Event. */
    static String jsonRpcMessage(String body) {
        if (body.stripLeading().startsWith("{")) {
            return body;
        }
        return body.lines().filter(line -> line.startsWith("data:")).map(line -> line.substring(5).strip())
                .collect(Collectors.joining("\n"));
    }

    /** Every provider's circuit breakers on the replica that answered; an open one fails. Admins only. */
    static CheckResult providerHealth(String name, Deployment deployment) throws Deployment.Unreachable {
        if (!deployment.options().hasKey()) {
            return CheckResult.skip(name, NO_KEY + " of an admin with the admin scope");
        }
        HttpResponse<String> response = deployment.send(deployment.withKey("/api/providers/health").GET().build());
        if (response.statusCode() == 403) {
            return CheckResult.skip(name, "admins only (GET /api/providers/health answered 403); pass an admin's key with "
                    + "the admin scope to check");
        }
        if (response.statusCode() != 200) {
            return response.statusCode() == 401 ? keyRefused(name, response)
                    : CheckResult.fail(name, "GET /api/providers/health " + unexpected(response));
        }
        JsonNode providers = Answers.json(response.body()).map(list -> list.path("providers")).orElse(null);
        if (providers == null || !providers.isArray()) {
            return CheckResult.fail(name, "GET /api/providers/health answered 200 without a provider list");
        }
        if (providers.isEmpty()) {
            return CheckResult.fail(name, "no LLM provider is configured (switchboard.llm.providers or POST /api/providers)");
        }
        String states = providers.valueStream().map(p -> p.path("id").asString("?") + " " + p.path("state").asString("?"))
                .collect(Collectors.joining(", "));
        boolean open = providers.valueStream().anyMatch(p -> "open".equals(p.path("state").asString("")));
        return open ? CheckResult.fail(name, "a circuit breaker is open: " + states) : CheckResult.pass(name, states);
    }

    static CheckResult keyRefused(String name, HttpResponse<String> response) {
        return CheckResult.fail(name, "the API key was refused: " + unexpected(response));
    }
}
