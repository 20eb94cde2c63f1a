package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.switchboard.knowledge.Embeddings;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.OpenAiSdk;
import tools.jackson.databind.JsonNode;

/**
 * The official OpenAI Java SDK asking {@code /v1/embeddings} for vectors of the knowledge index's own model (the
 * in-process bge-small): floats and base64 decode to the vectors the model gives in process, the model is listed by
 * {@code /v1/models}, and refusals keep OpenAI's error body.
 */
@IntegrationTest
class OpenAiEmbeddingsIntegrationTests extends ApiTestSupport {

    static final List<String> TEXTS = List.of("The cat sat on the mat.", "Quarterly revenue grew by four percent.",
            "Holidays are booked through the HR portal.");

    @Autowired
    Embeddings embeddings;

    Session admin;
    String key;
    OpenAIClient openai;

    @BeforeEach
    void setUp() {
        admin = accounts.newTenantAdmin();
        key = accounts.apiKey(admin, "{\"name\":\"sdk\"}");
        openai = client(key);
    }

    @AfterEach
    void close() {
        openai.close();
    }

    OpenAIClient client(String apiKey) {
        return OpenAiSdk.client(port, apiKey);
    }

    @Test
    void floatAndBase64VectorsAreTheModelsOwn() {
        List<float[]> expected = embeddings.embed(TEXTS);

        CreateEmbeddingResponse floats = openai.embeddings().create(EmbeddingCreateParams.builder().model(embeddings.model())
                .inputOfArrayOfStrings(TEXTS).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        CreateEmbeddingResponse base64 = openai.embeddings().create(EmbeddingCreateParams.builder().model(embeddings.model())
                .inputOfArrayOfStrings(TEXTS).encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());

        for (CreateEmbeddingResponse response : List.of(floats, base64)) {
            assertThat(response.model()).isEqualTo("bge-small-en-v1.5-q");
            assertThat(response.data()).hasSize(3);
            assertThat(response.usage().promptTokens()).isPositive();
            assertThat(response.usage().totalTokens()).isEqualTo(response.usage().promptTokens());
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(response.data().get(i).index()).isEqualTo(i);
                List<Float> vector = response.data().get(i).embedding();
                assertThat(vector).hasSize(384);
                for (int d = 0; d < vector.size(); d++) {
                    assertThat(vector.get(d)).isCloseTo(expected.get(i)[d], within(1e-6f));
                }
            }
        }
        HttpResponse<String> raw = post(key, "{\"model\":\"bge-small-en-v1.5-q\",\"input\":\"one\",\"encoding_format\":\"base64\"}");
        assertThat(HttpTestClient.json(raw).path("data").get(0).path("embedding").isString()).as("base64 is sent as a string")
                .isTrue();
    }

    @Test
    void aSingleStringIsOneVectorAndItsTokensAreRecordedAsUsage() {
        CreateEmbeddingResponse response = openai.embeddings().create(EmbeddingCreateParams.builder().model(embeddings.model())
                .input("Just one text.").build());
        assertThat(response.data()).hasSize(1);
        assertThat(response.data().getFirst().embedding()).hasSize(384);

        JsonNode byUser = HttpTestClient.json(accounts.send(admin, "GET", "/api/usage?groupBy=user", null));
        JsonNode own = byUser.path("rows").valueStream().filter(row -> row.path("group").asString().equals(admin.userId().toString()))
                .findFirst().orElseThrow();
        assertThat(own.path("tokensIn").asLong()).as(byUser.toString()).isEqualTo(response.usage().promptTokens());
    }

    @Test
    void theModelsListNamesTheEmbeddingModelBesideThePersonas() {
        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"greeter\",\"name\":\"Greeter\",\"instructions\":\"Greet.\"}");
        List<Model> models = openai.models().list().data();
        assertThat(models).extracting(Model::id).contains("greeter", "bge-small-en-v1.5-q");

        JsonNode listed = HttpTestClient.json(http.get("/v1/models", "Authorization", "Bearer " + key)).path("data");
        for (JsonNode model : listed) {
            String kind = model.path("switchboard").path("kind").asString();
            assertThat(kind).isEqualTo(model.path("id").asString().equals("bge-small-en-v1.5-q") ? "embedding" : "agent");
        }
    }

    @Test
    void aKeyWithoutKnowledgeReadIsRefused() {
        String chatKey = accounts.apiKey(admin, "{\"name\":\"chat\",\"scopes\":[\"chat\"]}");
        OpenAIClient chatOnly = client(chatKey);
        try {
            assertThatThrownBy(() -> chatOnly.embeddings().create(EmbeddingCreateParams.builder().model(embeddings.model())
                    .input("hi").build())).isInstanceOf(PermissionDeniedException.class);
        }
        finally {
            chatOnly.close();
        }
        String readerKey = accounts.apiKey(admin, "{\"name\":\"reader\",\"scopes\":"
                + "[\"knowledge:read\"]}");
        assertThat(post(readerKey, "{\"model\":\"bge-small-en-v1.5-q\",\"input\":\"hi\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void badRequestsAreOpenAiErrorsNamingTheParameter() {
        assertThat(rejected("{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}", 404)).isEqualTo("model");
        assertThat(rejected("{\"model\":\"bge-small-en-v1.5-q\",\"input\":[1,2,3]}", 400)).isEqualTo("input[0]");
        assertThat(rejected("{\"model\":\"bge-small-en-v1.5-q\",\"input\":[]}", 400)).isEqualTo("input");
        assertThat(rejected("{\"model\":\"bge-small-en-v1.5-q\",\"input\":\"hi\",\"encoding_format\":\"int8\"}", 400))
                .isEqualTo("encoding_format");
        assertThat(rejected("{\"model\":\"bge-small-en-v1.5-q\",\"input\":\"hi\",\"dimensions\":256}", 400)).isEqualTo("dimensions");
        assertThat(rejected("{\"model\":\"bge-small-en-v1.5-q\",\"input\":\"hi\",\"truncate\":true}", 400)).isEqualTo("truncate");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= 256; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        assertThat(rejected("{\"model\":\"bge-small-en-v1.5-q\",\"input\":[" + many + "]}", 400)).isEqualTo("input");
        assertThat(rejected("{\"model\":\"bge-small-en-v1.5-q\",\"input\":\"" + "a".repeat(32_001) + "\"}", 400)).isEqualTo("input");
    }

    HttpResponse<String> post(String apiKey, String body) {
        return http.send(http.request("/v1/embeddings").header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    String rejected(String body, int status) {
        return OpenAiSdk.invalidRequestParam(post(key, body), status);
    }
}
