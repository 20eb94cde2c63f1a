package dev.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * An ingestion stopped part-way, as the crash and replica tests stage it: a manual long enough to be caught in the
 * middle of its embedding, the wait for that moment, and what the database holds of it once another run finished it.
 */
public final class InterruptedIngestion {

    private InterruptedIngestion() {
    }

    /** A Markdown manual of {@code procedures} sections of six steps each (about one chunk a section). */
    public static byte[] manual(String title, int procedures) {
        StringBuilder markdown = new StringBuilder("# ").append(title).append("\n\n");
        for (int section = 1; section <= procedures; section++) {
            markdown.append("## Procedure ").append(section).append("\n\n");
            for (int paragraph = 1; paragraph <= 6; paragraph++) {
                markdown.append("Step ").append(paragraph).append(" of procedure ").append(section)
                        .append(": check the valve pressure, record the reading in the log, and compare it with the ")
                        .append("reference value for unit ").append(section * 7 + paragraph)
                        .append(". If the difference exceeds five percent, stop the line and call the shift supervisor.\n\n");
            }
        }
        return markdown.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Waits (polling {@code document}, the document's API answer) until it is being embedded with some chunks done and
     * some left; fails at once when it is indexed or failed first (the interruption would come too late).
     */
    public static void awaitPartWayEmbedded(Callable<JsonNode> document) {
        await("the document is part-way embedded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(document, state -> {
                    assertThat(state.path("status").asString()).as("interrupted mid-embedding").isNotIn("indexed", "failed");
                    int done = state.path("chunksDone").asInt();
                    return state.path("status").asString().equals("embedding") && done > 0 && done < state.path("chunksTotal").asInt();
                });
    }

    /**
     * The document's chunk rows as {@code rows/ordinals/vectors/attempts}: how many rows, distinct ordinals and vectors
     * there are, and how many times its job ran; read as the schema owner (past row-level security).
     */
    public static String chunkRows(ConfigurableApplicationContext context, String documentId) {
        return SchemaOwner.value(context, "select count(*) || '/' || count(distinct c.ordinal) || '/' || "
                + "count(c.embedding) || '/' || max(d.attempts) from knowledge_chunks c join knowledge_documents d on d.id = c.document_id "
                + "where d.id = '" + documentId + "'");
    }
}
