package dev.switchboard.knowledge.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.switchboard.Switchboard;
import dev.switchboard.support.TestDatabaseInitializer;

/** The evaluation command end to end on a small corpus with known answers, through the real pipeline. */
@ExtendWith(OutputCaptureExtension.class)
class EvalRetrievalCommandTests {

    @TempDir
    Path directory;

    @Test
    void evaluatesASmallCorpus(CapturedOutput output) throws Exception {
        Path corpus = Files.writeString(directory.resolve("corpus.jsonl"), String.join("\n",
                "{\"_id\":\"d1\",\"title\":\"Vitamin D\",\"text\":\"Vitamin D deficiency is linked to weaker bones and fractures.\"}",
                "{\"_id\":\"d2\",\"title\":\"Coffee\",\"text\":\"Drinking coffee raises alertness through caffeine.\"}",
                "{\"_id\":\"d3\",\"title\":\"Exercise\",\"text\":\"Regular aerobic exercise lowers resting heart rate.\"}",
                "{\"_id\":\"d4\",\"title\":\"Sleep\",\"text\":\"Sleep deprivation impairs memory consolidation.\"}"));
        Path queries = Files.writeString(directory.resolve("queries.jsonl"), String.join("\n",
                "{\"_id\":\"q1\",\"text\":\"Does a lack of vitamin D cause bone fractures?\"}",
                "{\"_id\":\"q2\",\"text\":\"What effect does caffeine have on alertness?\"}",
                "{\"_id\":\"q3\",\"text\":\"Does not sleeping hurt memory?\"}"));
        Path qrels = Files.writeString(directory.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td4\t1\n");
        List<String> command = new ArrayList<>(List.of("eval-retrieval", "--corpus", corpus.toString(), "--queries",
                queries.toString(), "--qrels", qrels.toString(), "--baselines"));
        command.addAll(List.of(TestDatabaseInitializer.freshDatabaseArguments()));
        String[] arguments = Switchboard.evalArguments(command.toArray(String[]::new));
        int exit = SpringApplication.exit(SpringApplication.run(Switchboard.class, arguments));
        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("ingested 4 documents").contains("queries=3").contains("Recall@100=1.0000")
                .containsPattern("BM25 alone: queries=3 Recall@100=[0-9.]+ nDCG@10=[0-9.]+")
                .containsPattern("dense alone: queries=3 Recall@100=1.0000 nDCG@10=[0-9.]+");
        assertThat(output.getOut().strip()).endsWith("nDCG@10=1.0000");
    }
}
