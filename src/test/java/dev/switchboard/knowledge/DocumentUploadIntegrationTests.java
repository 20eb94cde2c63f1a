package dev.switchboard.knowledge;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Uploads obey max-upload across all parts, also when sent chunked; one file part per upload; a caller who may not
 * upload (a member, a chat-only key) or names an unknown knowledge base is refused before the body is read — no
 * multipart temporary file is ever written (every part goes to disk here: threshold 0).
 */
@IntegrationTest
class DocumentUploadIntegrationTests extends ApiTestSupport {

    static final Path MULTIPART_DIR = temporaryDirectory();

    Session admin;
    String knowledgeBase;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("switchboard.knowledge.max-upload", () -> "100KB");
        registry.add("spring.servlet.multipart.location", MULTIPART_DIR::toString);
        registry.add("spring.servlet.multipart.file-size-threshold", () -> "0");
    }

    static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("switchboard-multipart-");
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @BeforeEach
    void setUp() {
        admin = accounts.newTenantAdmin();
        knowledgeBase = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Uploads\"}"))
                .path("id").asString();
    }

    @Test
    void aChunkedUploadOverTheLimitAcrossItsPartsIsRefused() {
        // Each part is under the limit; together they are over it.
        byte[] body = multipart(part("file", "notes.txt", "a".repeat(90 * 1024)), part("comment", null, "b".repeat(90 * 1024)));
        HttpResponse<String> response = http.send(uploadRequest(admin.bearer())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());
        assertThat(assertProblem(response, 413, "payload-too-large").path("detail").asString()).contains("switchboard.knowledge.max-upload")
                .contains("all its parts");
    }

    @Test
    void twoFilePartsAreRefused() {
        byte[] body = multipart(part("file", "one.txt", "First file."), part("file", "two.txt", "Second file."));
        HttpResponse<String> response = http.send(uploadRequest(admin.bearer()).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
        assertThat(assertProblem(response, 400, "validation").path("detail").asString())
                .contains("one file per request");
        HttpResponse<String> otherName = http.send(uploadRequest(admin.bearer()).POST(HttpRequest.BodyPublishers.ofByteArray(
                multipart(part("file", "one.txt", "First file."), part("extra", "two.txt", "Second file.")))).build());
        assertProblem(otherName, 400, "validation");
    }

    @Test
    void oneFileUnderTheLimitIsAccepted() {
        HttpResponse<String> response = http.send(uploadRequest(admin.bearer()).POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(multipart(part("file", "notes.txt", "Plain words.\n\nMore words."))))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    @Test
    void theApiDocumentsTheUploadWithoutTheRawRequest() {
        JsonNode upload = HttpTestClient.json(http.get("/api/docs/openapi.json")).path("paths").path("/api/documents").path("post");
        assertThat(upload.path("parameters").findValuesAsString("name")).containsExactly("knowledgeBaseId");
        assertThat(upload.path("description").asString()).contains("query string").contains("one `file` part");
    }

    @Test
    void aMemberIsRefusedBeforeTheBodyIsRead() throws IOException {
        Session member = accounts.newUser(admin, "MEMBER");
        assertRefusedBeforeTheBody(member.bearer(), knowledgeBase, "403", "forbidden");
    }

    @Test
    void aChatOnlyKeyIsRefusedBeforeTheBodyIsRead() throws IOException {
        String key = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"chat\",\"scopes\":[\"chat\"]}"))
                .path("key").asString();
        assertRefusedBeforeTheBody("Bearer " + key, knowledgeBase, "403", "forbidden");
    }

    @Test
    void anUnknownKnowledgeBaseIsRefusedBeforeTheBodyIsRead() throws IOException {
        assertRefusedBeforeTheBody(admin.bearer(), UUID.randomUUID().toString(), "404", "not-found");
    }

    /**
     * Sends the headers and the first 50 KB of a chunked body, never the rest: only a server that decides before
     * reading the body can answer, and no part may have reached the multipart directory.
     */
    void assertRefusedBeforeTheBody(String authorization, String knowledgeBaseId, String status, String slug) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            // A hang guard only: a server that waits for the body never answers.
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            String boundary = "guard" + UUID.randomUUID();
            out.write(("POST /api/documents?knowledgeBaseId=" + knowledgeBaseId + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: " + authorization + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] start = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n" + "c".repeat(50 * 1024)).getBytes(StandardCharsets.US_ASCII);
            out.write((Integer.toHexString(start.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(start);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 " + status).contains("application/problem+json")
                    .contains("urn:switchboard:problem:" + slug);
        }
        try (Stream<Path> files = Files.list(MULTIPART_DIR)) {
            assertThat(files.toList()).as("multipart temporary files").isEmpty();
        }
    }

    /** The status line, headers and as much of the body as arrives before the server closes. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0;) {
            response.write(buffer, 0, n);
            if (response.toString(StandardCharsets.UTF_8).contains("}")) {
                break;
            }
        }
        return response.toString(StandardCharsets.UTF_8);
    }

    HttpRequest.Builder uploadRequest(String authorization) {
        return http.request("/api/documents?knowledgeBaseId=" + knowledgeBase).header("Authorization", authorization)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    }

    static final String BOUNDARY = "----switchboard-upload-test";

    static String part(String name, String fileName, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (fileName == null ? "" : "; filename=\"" + fileName + "\"") + "\r\n"
                + (fileName == null ? "" : "Content-Type: text/plain\r\n") + "\r\n" + content + "\r\n";
    }

    static byte[] multipart(String... parts) {
        return (String.join("", parts) + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
