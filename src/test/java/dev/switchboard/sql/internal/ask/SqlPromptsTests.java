package dev.switchboard.sql.internal.ask;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.llm.LlmMessage;
import dev.switchboard.sql.internal.DatabaseKind;

/** How the statement is read out of a model's reply, and what the model is told. */
class SqlPromptsTests {

    @Test
    void aFencedBlockIsTheStatementAndTheRestTheExplanation() {
        SqlPrompts.Reply reply = SqlPrompts.read("Here it is:\n```sql\nSELECT region, count(*)\nFROM c GROUP BY region;\n```\n"
                + "Counts  customers\nper region.");

        assertThat(reply.sql()).isEqualTo("SELECT region, count(*)\nFROM c GROUP BY region");
        assertThat(reply.explanation()).isEqualTo("Here it is: Counts customers per region.");
    }

    @Test
    void fencesWithOtherLanguageNamesOrOnOneLineAreRead() {
        assertThat(SqlPrompts.read("```PostgreSQL\nSELECT 1\n```").sql()).isEqualTo("SELECT 1");
        assertThat(SqlPrompts.read("```\nSELECT 2\n```").sql()).isEqualTo("SELECT 2");
        assertThat(SqlPrompts.read("```sql SELECT 3```").sql()).isEqualTo("SELECT 3");
        assertThat(SqlPrompts.read("```mariadb\nSELECT 4;;\n```").sql()).isEqualTo("SELECT 4");
    }

    @Test
    void aBareStatementIsReadUpToTheFirstBlankLine() {
        SqlPrompts.Reply reply = SqlPrompts.read("with t as (select 1 as x) select x from t\n\nReturns one.");

        assertThat(reply.sql()).isEqualTo("with t as (select 1 as x) select x from t");
        assertThat(reply.explanation()).isEqualTo("Returns one.");
    }

    @Test
    void aReplyWithoutAStatementHasNone() {
        SqlPrompts.Reply reply = SqlPrompts.read("The schema has no weather data.");

        assertThat(reply.sql()).isNull();
        assertThat(reply.explanation()).isEqualTo("The schema has no weather data.");
        assertThat(SqlPrompts.read("```sql\n```").sql()).isNull();
        assertThat(SqlPrompts.read(null).sql()).isNull();
    }

    @Test
    void thePromptNamesTheDialectTheRowCapAndTheSchemaAndTheCorrectionTheReason() {
        List<LlmMessage> first = SqlPrompts.first(DatabaseKind.MARIADB, "CREATE TABLE t (id int);", 50, "How many?");

        assertThat(first).extracting(LlmMessage::role).containsExactly(LlmMessage.Role.SYSTEM, LlmMessage.Role.USER);
        assertThat(first.getFirst().content()).contains("MariaDB").contains("at most 50 rows").contains("CREATE TABLE t (id int);");
        assertThat(first.get(1).content()).isEqualTo("How many?");

        List<LlmMessage> corrected = SqlPrompts.correction(first, "```sql\nDELETE FROM t\n```", "DELETE FROM t", "only reading");
        assertThat(corrected).hasSize(4);
        assertThat(corrected.get(2).role()).isEqualTo(LlmMessage.Role.ASSISTANT);
        assertThat(corrected.get(3).content()).contains("DELETE FROM t").contains("was refused: only reading");
    }
}
