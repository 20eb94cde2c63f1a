// An OpenAI-compatible chat provider with a realistic latency for the load runs (bench/load.sh): the first token
// after FIRST_MS, then TOKENS tokens TOKEN_MS apart, streamed (SSE) or all at once (the same total time). Launched as
// a source file: java FakeProvider.java PORT [FIRST_MS] [TOKENS] [TOKEN_MS]. No dependency beyond the JDK.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class FakeProvider {

    static int firstMs, tokens, tokenMs;
    static final AtomicLong served = new AtomicLong();

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        firstMs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        tokens = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        tokenMs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", FakeProvider::handle);
        server.start();
        System.out.printf("fake provider on %d: first token %d ms, %d tokens %d ms apart%n", port, firstMs, tokens, tokenMs);
    }

    static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/models")) {
                send(exchange, 200, "application/json", "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-load\",\"object\":\"model\"}]}");
                return;
            }
            if (!path.endsWith("/chat/completions")) {
                send(exchange, 404, "application/json", "{\"error\":{\"message\":\"unknown path\"}}");
                return;
            }
            served.incrementAndGet();
            boolean stream = body.replace(" ", "").contains("\"stream\":true");
            sleep(firstMs);
            if (!stream) {
                sleep((long) (tokens - 1) * tokenMs);
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < tokens; i++) {
                    text.append("word").append(i).append(' ');
                }
                send(exchange, 200, "application/json", "{\"id\":\"chatcmpl-load\",\"object\":\"chat.completion\",\"created\":1700000000,"
                        + "\"model\":\"gpt-load\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                        + text.toString().trim() + "\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":" + tokens + ",\"total_tokens\":" + (50 + tokens) + "}}");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            write(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (int i = 0; i < tokens; i++) {
                if (i > 0) {
                    sleep(tokenMs);
                }
                write(out, chunk("{\"content\":\"word" + i + " \"}", null));
            }
            write(out, chunk("{}", "\"stop\""));
            write(out, "data: {\"id\":\"chatcmpl-load\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-load\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":" + tokens + ",\"total_tokens\":" + (50 + tokens)
                    + "}}\n\n");
            write(out, "data: [DONE]\n\n");
        }
    }

    static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-load\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-load\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
