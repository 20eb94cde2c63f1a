package dev.switchboard.llm.internal.provider;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.google.genai.GoogleGenAiChatModel;
import org.springframework.ai.google.genai.GoogleGenAiChatOptions;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.ollama.management.ModelManagementOptions;
import org.springframework.ai.ollama.management.PullModelStrategy;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.DefaultResponseErrorHandler;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.openai.client.OpenAIClientAsyncImpl;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.core.Timeout;
import dev.switchboard.shared.OutboundConnections;
import io.micrometer.observation.ObservationRegistry;
import okhttp3.OkHttpClient;

/**
 * Builds the Spring AI client for one provider and model. Every client is built with its own retries
 * switched off (the router retries, across targets) and with the provider's timeouts where the client takes
 * them; the router enforces the first-token and total timeouts itself as well. Every client goes over the
 * {@link ProviderConnections} of its kind (the pools embeddings use too), through {@link OutboundConnections}.
 */
public final class ChatModelFactory {

    /** Spring AI's own retry template, told never to retry. */
    private static final RetryTemplate NO_RETRIES = new RetryTemplate(RetryPolicy.builder().maxRetries(0).build());

    private final ProviderConnections connections;

    public ChatModelFactory(ProviderConnections connections) {
        this.connections = connections;
    }

    /** The shared client with the provider's timeouts: connect, and between bytes the whole total. */
    private OkHttpClient okHttp(ProviderSpec.Timeouts timeouts) {
        return connections.okHttp(timeouts.connect(), timeouts.total());
    }

    /** The direct OpenAI wire of an OpenAI-kind provider, on the shared client with the provider's timeouts. */
    public OpenAiWire openAiWire(ProviderSpec provider) {
        return new OpenAiWire(okHttp(provider.timeouts()), provider.baseUrl(), provider.apiKey());
    }

    public ChatModel create(ProviderSpec provider, String model) {
        return switch (provider.kind()) {
            case OPENAI -> openAi(provider, model);
            case ANTHROPIC -> anthropic(provider, model);
            case GEMINI -> gemini(provider, model);
            case OLLAMA -> ollama(provider, model);
        };
    }

    private ChatModel openAi(ProviderSpec provider, String model) {
        ProviderSpec.Timeouts timeouts = provider.timeouts();
        // OpenAI-compatible servers without authentication still get a (meaningless) key: the SDK wants one.
        String apiKey = provider.apiKey() == null || provider.apiKey().isBlank() ? "none" : provider.apiKey();
        ClientOptions clientOptions = ClientOptions.builder()
                .httpClient(new OkHttpOpenAiTransport(okHttp(timeouts)))
                .baseUrl(provider.baseUrl())
                .apiKey(apiKey)
                .timeout(Timeout.builder().connect(timeouts.connect()).read(timeouts.total()).request(timeouts.total()).build())
                .maxRetries(0)
                .build();
        OpenAiChatOptions options = OpenAiChatOptions.builder()
                .baseUrl(provider.baseUrl())
                .apiKey(apiKey)
                .model(model)
                .streamUsage(true)
                .timeout(timeouts.total())
                .maxRetries(0)
                .build();
        return OpenAiChatModel.builder()
                .openAiClient(new OpenAIClientImpl(clientOptions))
                .openAiClientAsync(new OpenAIClientAsyncImpl(clientOptions))
                .options(options)
                .observationRegistry(ObservationRegistry.NOOP)
                .build();
    }

    private ChatModel anthropic(ProviderSpec provider, String model) {
        AnthropicChatOptions options = AnthropicChatOptions.builder()
                .baseUrl(provider.baseUrl())
                .apiKey(provider.apiKey())
                .model(model)
                .maxTokens(4096)
                .timeout(provider.timeouts().total())
                .maxRetries(0)
                .build();
        ProviderSpec.Timeouts timeouts = provider.timeouts();
        return AnthropicChatModel.builder()
                .options(options)
                .observationRegistry(ObservationRegistry.NOOP)
                // Spring AI's client resolves unchecked and follows redirects; the checked one answers instead.
                .httpClientBuilderCustomizer(http -> http.timeout(com.anthropic.core.Timeout.builder()
                        .connect(timeouts.connect())
                        .read(timeouts.total())
                        .request(timeouts.total())
                        .build())
                        .interceptor(new CheckedTransportInterceptor(okHttp(timeouts))))
                .build();
    }

    private ChatModel gemini(ProviderSpec provider, String model) {
        Client client = Client.builder()
                .apiKey(provider.apiKey())
                .clientOptions(com.google.genai.types.ClientOptions.builder().customHttpClient(okHttp(provider.timeouts())).build())
                .httpOptions(HttpOptions.builder()
                        .baseUrl(provider.baseUrl())
                        .timeout(Math.toIntExact(provider.timeouts().total().toMillis()))
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                        .build())
                .build();
        return GoogleGenAiChatModel.builder()
                .genAiClient(client)
                .options(GoogleGenAiChatOptions.builder().model(model).build())
                .retryTemplate(NO_RETRIES)
                .observationRegistry(ObservationRegistry.NOOP)
                .build();
    }

    private ChatModel ollama(ProviderSpec provider, String model) {
        ProviderSpec.Timeouts timeouts = provider.timeouts();
        HttpClient http = connections.jdk(timeouts.connect());
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(timeouts.total());
        OllamaApi api = OllamaApi.builder()
                .baseUrl(provider.baseUrl())
                .restClientBuilder(RestClient.builder().requestFactory(requests))
                .webClientBuilder(WebClient.builder().clientConnector(new JdkClientHttpConnector(http)))
                // Spring's handler keeps the status and headers (Retry-After) on the exception.
                .responseErrorHandler(new DefaultResponseErrorHandler())
                .build();
        return OllamaChatModel.builder()
                .ollamaApi(api)
                .options(OllamaChatOptions.builder().model(model).build())
                .modelManagementOptions(new ModelManagementOptions(PullModelStrategy.NEVER, List.of(),
                        Duration.ofMinutes(5), 0))
                .retryTemplate(NO_RETRIES)
                .observationRegistry(ObservationRegistry.NOOP)
                .build();
    }
}
