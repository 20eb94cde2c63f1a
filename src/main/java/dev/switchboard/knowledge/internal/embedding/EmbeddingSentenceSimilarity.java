package dev.switchboard.knowledge.internal.embedding;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.llm.SentenceSimilarity;

/**
 * Sentence similarity from the knowledge base's embedding model (the local bge-small by default, already loaded for
 * search): the question embedded as a query, the sentences as documents, compared by cosine. When the model fails
 * (a remote provider down) it answers zeros, so the extractive responder falls back to shared words.
 */
public final class EmbeddingSentenceSimilarity implements SentenceSimilarity {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingSentenceSimilarity.class);

    private final Embedder embedder;

    public EmbeddingSentenceSimilarity(Embedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public List<Double> similarities(String question, List<String> sentences) {
        if (sentences.isEmpty()) {
            return List.of();
        }
        try {
            float[] query = embedder.embedQuery(question);
            List<Double> similarities = new ArrayList<>(sentences.size());
            for (float[] sentence : embedder.embedDocuments(sentences)) {
                similarities.add(cosine(query, sentence));
            }
            return similarities;
        }
        catch (RuntimeException failure) {
            log.warn("Sentence similarity unavailable ({}); the extractive answer ranks by shared words", failure.getMessage());
            return SentenceSimilarity.NONE.similarities(question, sentences);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }
}
