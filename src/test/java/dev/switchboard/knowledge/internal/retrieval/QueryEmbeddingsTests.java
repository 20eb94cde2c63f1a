package dev.switchboard.knowledge.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.knowledge.internal.embedding.Embedder;

/** The query-vector cache in front of a model that records what it was asked. */
class QueryEmbeddingsTests {

    /** A model whose vector says which call made it. */
    static final class RecordingModel implements Embedder {

        final List<String> queries = new ArrayList<>();
        String id = "model-a";

        @Override
        public String modelId() {
            return id;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            throw new UnsupportedOperationException("queries only");
        }

        @Override
        public synchronized float[] embedQuery(String query) {
            queries.add(query);
            return new float[] {queries.size(), 0};
        }
    }

    private final RecordingModel model = new RecordingModel();

    @Test
    void aQueryAskedAgainIsNotEmbeddedAgain() {
        QueryEmbeddings embeddings = new QueryEmbeddings(model, 10);

        float[] first = embeddings.embed("How are backups kept?");
        float[] again = embeddings.embed("  How are backups kept?\n");

        assertThat(again).as("the same vector, surrounding white space aside").isSameAs(first);
        assertThat(model.queries).containsExactly("How are backups kept?");
        assertThat(embeddings.embed("How are backups rotated?")).isNotEqualTo(first);
        assertThat(model.queries).hasSize(2);
    }

    @Test
    void anotherModelNeverGetsAVectorOfTheFormer() {
        QueryEmbeddings embeddings = new QueryEmbeddings(model, 10);
        float[] before = embeddings.embed("backups");

        model.id = "model-b";

        assertThat(embeddings.embed("backups")).isNotEqualTo(before);
        assertThat(model.queries).containsExactly("backups", "backups");
    }

    @Test
    void theCacheIsBoundedAndSizeZeroTurnsItOff() {
        QueryEmbeddings bounded = new QueryEmbeddings(model, 2);
        for (int i = 0; i < 50; i++) {
            bounded.embed("query " + i);
        }
        assertThat(bounded.size()).isLessThanOrEqualTo(2);

        QueryEmbeddings off = new QueryEmbeddings(model, 0);
        off.embed("same");
        off.embed("same");
        assertThat(model.queries.stream().filter("same"::equals)).hasSize(2);
        assertThat(off.size()).isZero();
        assertThatThrownBy(() -> new QueryEmbeddings(model, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
