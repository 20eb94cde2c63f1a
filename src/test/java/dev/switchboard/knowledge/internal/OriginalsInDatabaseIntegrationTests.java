package dev.switchboard.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.shared.DataDirectory;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Originals live in the database, in parts, and come back byte for byte; originals that an earlier version kept in
 * the data directory move into the database when read, or at start-up, and are then gone from the disk.
 */
@IntegrationTest
class OriginalsInDatabaseIntegrationTests extends ApiTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataDirectory dataDirectory;

    @Autowired
    LegacyOriginals legacyOriginals;

    Session admin;
    String knowledgeBase;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        // The large file need not be indexed: it fails after parsing, its original stays.
        registry.add("switchboard.knowledge.max-chunks", () -> "40");
    }

    @BeforeEach
    void setUp() {
        admin = accounts.newTenantAdmin();
        knowledgeBase = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Originals\"}"))
                .path("id").asString();
    }

    @Test
    void anOriginalOfSeveralPartsIsKeptInTheDatabaseAndDownloadedByteForByte() throws Exception {
        byte[] content = text(2_600_000);
        JsonNode uploaded = HttpTestClient.json(Uploads.document(http, admin.bearer(), knowledgeBase, "big.txt", content));
        String sha256 = sha256(content);
        List<String> parts = SchemaOwner.strings(jdbc, "select length(bytes) from knowledge_original_parts where sha256 = '" + sha256
                + "' order by part");
        assertThat(parts).containsExactly("1048576", "1048576", String.valueOf(2_600_000 - 2 * 1048576));
        assertThat(download(uploaded.path("id").asString())).isEqualTo(content);
        // Ingestion parses a temporary copy; once it is over (too many chunks here), nothing is left on disk.
        awaitStatus(uploaded.path("id").asString(), "failed");
        assertThat(filesUnder(dataDirectory.root().resolve("documents"))).as("nothing kept on the replica's disk").isEmpty();
    }

    @Test
    void anOriginalLeftOnDiskByAnEarlierVersionMovesIntoTheDatabaseWhenRead() throws Exception {
        byte[] content = "# Leave policy\n\nEveryone gets thirty days of leave.\n".getBytes(StandardCharsets.UTF_8);
        JsonNode uploaded = HttpTestClient.json(Uploads.document(http, admin.bearer(), knowledgeBase, "leave.md", content));
        // Ingested first: the ingestion reads the original too, and would be the one moving it.
        awaitStatus(uploaded.path("id").asString(), "indexed");
        Path legacy = asLeftByAnEarlierVersion(sha256(content), content);

        assertThat(download(uploaded.path("id").asString())).isEqualTo(content);
        assertThat(legacy).doesNotExist();
        assertThat(originalRows(sha256(content))).isEqualTo("1");
    }

    @Test
    void originalsLeftOnDiskMoveIntoTheDatabaseAtStartUpUnlessNoDocumentHasThem() throws Exception {
        byte[] content = "# Travel\n\nTrain tickets are refunded.\n".getBytes(StandardCharsets.UTF_8);
        JsonNode uploaded = HttpTestClient.json(Uploads.document(http, admin.bearer(), knowledgeBase, "travel.md", content));
        awaitStatus(uploaded.path("id").asString(), "indexed");
        String sha256 = sha256(content);
        Path legacy = asLeftByAnEarlierVersion(sha256, content);
        Path orphan = legacyPath("0".repeat(64));
        Files.createDirectories(orphan.getParent());
        Files.writeString(orphan, "no document has this");

        assertThat(legacyOriginals.moveAll()).isGreaterThanOrEqualTo(1);
        assertThat(legacy).doesNotExist();
        assertThat(orphan).exists();
        assertThat(originalRows(sha256)).isEqualTo("1");
        assertThat(download(uploaded.path("id").asString())).isEqualTo(content);
    }

    private void awaitStatus(String documentId, String status) {
        await().atMost(Duration.ofSeconds(180)).until(() -> HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + documentId,
                null)).path("status").asString().equals(status));
    }

    /** Takes the original out of the database and puts it where versions before 0.21 kept it. */
    private Path asLeftByAnEarlierVersion(String sha256, byte[] content) throws IOException {
        SchemaOwner.update(jdbc, "delete from knowledge_originals where tenant_id = '" + admin.tenantId() + "' and sha256 = '" + sha256
                + "'");
        assertThat(originalRows(sha256)).isEqualTo("0");
        Path legacy = legacyPath(sha256);
        Files.createDirectories(legacy.getParent());
        Files.write(legacy, content);
        return legacy;
    }

    private Path legacyPath(String sha256) {
        return dataDirectory.root().resolve("documents").resolve(admin.tenantId().toString()).resolve(sha256.substring(0, 2))
                .resolve(sha256);
    }

    /** How many originals with this content the tenant has, each with at least one part. */
    private String originalRows(String sha256) {
        return SchemaOwner.strings(jdbc, "select count(*) from knowledge_originals o where o.sha256 = '" + sha256 + "' and o.tenant_id = '"
                + admin.tenantId() + "' and exists (select 1 from knowledge_original_parts p where (p.tenant_id, p.sha256) = "
                + "(o.tenant_id, o.sha256))").getFirst();
    }

    private static String sha256(byte[] content) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private byte[] download(String documentId) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/api/documents/" + documentId + "/file"))
                .header("Authorization", admin.bearer()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static List<Path> filesUnder(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** Distinct lines of prose, {@code size} bytes. */
    private static byte[] text(int size) {
        StringBuilder text = new StringBuilder(size + 100);
        for (int line = 0; text.length() < size; line++) {
            text.append("Line ").append(line).append(" of the archive: ").append(UUID.nameUUIDFromBytes(new byte[] {(byte) line,
                    (byte) (line >> 8), (byte) (line >> 16)})).append(".\n");
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }
}
