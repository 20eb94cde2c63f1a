package dev.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.switchboard.Switchboard;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.LuceneChunkIndex;
import dev.switchboard.support.TestDatabaseInitializer;

/**
 * The index choice at start-up on a PostgreSQL without the vector extension (the embedded server, or the machine's
 * under CI): {@code auto} indexes with Lucene and says so once; {@code pgvector} refuses to start and says what is
 * missing. The pgvector index itself is tested on PGlite ({@code PgVectorChunkIndexTests}).
 */
@ExtendWith(OutputCaptureExtension.class)
class KnowledgeIndexChoiceIntegrationTests {

    @Test
    void autoIndexesWithLuceneWhenTheDatabaseHasNoVectorExtension(CapturedOutput output) {
        try (ConfigurableApplicationContext app = start("auto")) {
            assertThat(offersVector(app)).as("this test needs a PostgreSQL without pgvector").isFalse();
            assertThat(app.getBean(ChunkIndex.class)).isInstanceOf(LuceneChunkIndex.class);
        }
        assertThat(output.getAll().lines().filter(line -> line.contains("Knowledge index: ")).toList()).singleElement().asString()
                .contains("Lucene under").contains("switchboard.knowledge.index=auto and the database has no vector extension");
    }

    @Test
    void pgvectorRefusesToStartWithoutTheExtensionAndSaysWhy() {
        assertThatThrownBy(() -> start("pgvector").close()).rootCause()
                .hasMessageContaining("switchboard.knowledge.index=pgvector needs the PostgreSQL extension vector (pgvector)")
                .hasMessageContaining("this PostgreSQL server does not have it")
                .hasMessageContaining("set switchboard.knowledge.index to lucene (or auto)");
    }

    private static ConfigurableApplicationContext start(String index) {
        List<String> arguments = new ArrayList<>(List.of(TestDatabaseInitializer.freshDatabaseArguments()));
        arguments.add("--server.port=0");
        arguments.add("--switchboard.knowledge.index=" + index);
        return new SpringApplicationBuilder(Switchboard.class).run(arguments.toArray(String[]::new));
    }

    private static boolean offersVector(ConfigurableApplicationContext app) {
        return Boolean.TRUE.equals(app.getBean(JdbcTemplate.class).queryForObject(
                "select exists (select 1 from pg_available_extensions where name = 'vector')", Boolean.class));
    }
}
