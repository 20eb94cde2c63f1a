package dev.switchboard.llm.internal.provider;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The wire protocols Switchboard speaks, each through its Spring AI client. */
public enum ProviderKind {

    /** OpenAI chat completions, and every server that speaks them (vLLM, llama.cpp, LM Studio, Groq…). */
    OPENAI("https://api.openai.com/v1", true),
    /** Anthropic messages. */
    ANTHROPIC("https://api.anthropic.com", true),
    /** Google Gemini (generateContent). */
    GEMINI("https://generativelanguage.googleapis.com", true),
    /** Ollama's /api/chat. */
    OLLAMA("http://localhost:11434", false);

    private final String defaultBaseUrl;
    private final boolean needsApiKey;

    ProviderKind(String defaultBaseUrl, boolean needsApiKey) {
        this.defaultBaseUrl = defaultBaseUrl;
        this.needsApiKey = needsApiKey;
    }

    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    public boolean needsApiKey() {
        return needsApiKey;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ProviderKind of(String id) {
        for (ProviderKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown provider kind '" + id + "'; use openai, anthropic, gemini or ollama");
    }
}
