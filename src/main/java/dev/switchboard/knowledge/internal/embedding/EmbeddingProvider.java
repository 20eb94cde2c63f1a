package dev.switchboard.knowledge.internal.embedding;

/** Where embeddings come from: the in-process model, or a remote provider by its wire format. */
public enum EmbeddingProvider {

    /** bge-small-en-v1.5 in process (ONNX); no network. */
    LOCAL,
    /** OpenAI's {@code POST {base-url}/embeddings}, also any compatible server (vLLM, LM Studio, llama.cpp, TEI…). */
    OPENAI,
    /** Ollama's {@code POST {base-url}/api/embed}. */
    OLLAMA,
    /** Gemini's {@code POST {base-url}/v1beta/models/{model}:batchEmbedContents}. */
    GEMINI;

    /** The name used in settings and model ids ({@code openai}). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
