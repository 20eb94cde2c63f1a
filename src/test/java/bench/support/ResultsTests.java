package bench.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How bench/RESULTS.md is written: the latest entry of each benchmark on top, earlier ones below, newest first. */
class ResultsTests {

    private static String entry(String title, String date, String script, String figure) {
        return "## " + title + " — " + date + "\n\n- command: `bench/" + script + ".sh`\n- figure: " + figure + "\n";
    }

    @Test
    void aFileInAppendOrderGetsTheLatestEntryOfEachBenchmarkOnTopAndTheRestBelowNewestFirst() {
        String legacy = "# Benchmark results\n\nAppended, newest at the bottom.\n\n" + entry("Guard", "2026-11-01", "sql-guard", "a") + "\n"
                + entry("Start-up", "2026-11-02", "startup", "b") + "\n" + entry("Guard", "2026-11-03", "sql-guard", "c") + "\n";

        String written = Results.write(legacy, "");

        assertThat(written).containsSubsequence("## Latest entry of each benchmark",
                "[Guard](#latest-sql-guard) | `bench/sql-guard.sh` | 2026-11-03",
                "[Start-up](#latest-startup) | `bench/startup.sh` | 2026-11-02", "<a id=\"latest-sql-guard\"></a>", "figure: c",
                "<a id=\"latest-startup\"></a>", "figure: b", "# History", "figure: a");
        assertThat(written.split("figure: c", -1)).hasSize(2);
        assertThat(Results.write(written, "")).isEqualTo(written);
    }

    @Test
    void aNewEntryReplacesItsBenchmarksLatestAndMovesThatOneToTheTopOfTheHistory() {
        String first = Results.write("", entry("Guard", "2026-11-01", "sql-guard", "a"));
        String before = Results.write(first, entry("Start-up", "2026-11-02", "startup", "b"));
        String twice = Results.write(before, entry("Guard", "2026-12-01", "sql-guard", "new"));

        assertThat(twice).containsSubsequence("[Guard](#latest-sql-guard) | `bench/sql-guard.sh` | 2026-12-01", "[Start-up]", "figure: new",
                "figure: b", "# History");
        assertThat(twice.substring(twice.indexOf("# History"))).contains("figure: a").doesNotContain("figure: new", "figure: b");
    }

    @Test
    void aTargetIsMetOnlyWithinItAndWithoutAFailedRequest() {
        assertThat(Verdicts.verdict(true, 0)).isEqualTo("met");
        assertThat(Verdicts.verdict(false, 0)).isEqualTo("**missed**");
        assertThat(Verdicts.verdict(true, 1)).isEqualTo("**not met: 1 failed request**");
        assertThat(Verdicts.verdict(false, 3)).isEqualTo("**not met: 3 failed requests**");
    }

}
