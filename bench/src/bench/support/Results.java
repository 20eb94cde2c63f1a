package bench.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes bench/RESULTS.md: the latest entry of each benchmark at the top, under a summary table linking to each, and
 * every earlier entry below, newest first. A benchmark is the script its entry names ({@code command: `bench/x.sh`}),
 * or the entry's title when it names none.
 * <p>
 * {@code java -cp target/test-classes bench.support.Results bench/RESULTS.md < entry.md} adds an entry (markdown
 * starting with a {@code ## Title — yyyy-mm-dd} heading); without an entry on standard input ({@code --rebuild}) it
 * only rewrites the file in this order.
 */
public final class Results {

    static final String LATEST = "## Latest entry of each benchmark";

    static final String HISTORY = "# History";

    static final Pattern DATE = Pattern.compile("— (\\d{4}-\\d{2}-\\d{2})\\s*$");

    /** The script a {@code command:} line runs, or the test class it names ({@code -Dtest=...}). */
    static final Pattern SCRIPT = Pattern.compile("command: [^\\n]*?(?:bench/([\\w-]+)\\.sh|-Dtest=([\\w-]+))");

    /** One entry: its heading, its lines (the heading included), the benchmark it belongs to and its date. */
    record Entry(String title, String date, String benchmark, String text) {

        static Entry of(String text) {
            String heading = text.lines().findFirst().orElseThrow().substring(3).strip();
            Matcher date = DATE.matcher(heading);
            String title = date.find() ? heading.substring(0, date.start()).strip() : heading;
            Matcher script = SCRIPT.matcher(text);
            String benchmark = !script.find() ? title : script.group(1) != null ? script.group(1) : script.group(2);
            return new Entry(title, date.reset().find() ? date.group(1) : "", benchmark, text.strip());
        }

        String anchor() {
            return "latest-" + this.benchmark.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        }

    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String entry = args.length > 1 && args[1].equals("--rebuild") ? "" : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(file, write(Files.exists(file) ? Files.readString(file) : "", entry));
    }

    /** The file rewritten with {@code entry} (blank: none) added as the newest. */
    static String write(String current, String entry) {
        List<Entry> chronological = new ArrayList<>();
        List<Entry> latest = new ArrayList<>();
        List<Entry> history = new ArrayList<>();
        boolean inHistory = false;
        boolean legacy = !current.contains(HISTORY + "\n");
        for (String block : blocks(current)) {
            if (block.startsWith(HISTORY + "\n") || block.equals(HISTORY)) {
                inHistory = true;
            }
            else if (block.startsWith("## ") && !block.startsWith(LATEST)) {
                (inHistory || legacy ? history : latest).add(Entry.of(block));
            }
        }
        if (!legacy) {
            history = history.reversed(); // newest first in the file
        }
        chronological.addAll(history);
        latest = new ArrayList<>(latest.reversed()); // newest first in the file; dates break no ties within a day
        latest.sort(Comparator.comparing(Entry::date));
        chronological.addAll(latest);
        if (!entry.isBlank()) {
            if (!entry.strip().startsWith("## ")) {
                throw new IllegalArgumentException("an entry starts with a '## Title — yyyy-mm-dd' heading");
            }
            chronological.add(Entry.of(entry.strip()));
        }
        Map<String, Entry> newest = new LinkedHashMap<>();
        for (Entry e : chronological) {
            newest.put(e.benchmark(), e);
        }
        List<Entry> top = new ArrayList<>(newest.values());
        top.sort(Comparator.comparingInt((Entry e) -> chronological.indexOf(e)).reversed());
        StringBuilder out = new StringBuilder("""
                # Benchmark results

                Written by the scripts in this directory (see [README.md](README.md)) through `bench.support.Results`: the latest \
                entry of each benchmark first, then every earlier entry, newest first. Each entry names the date, the machine as \
                the run read it, the command, the figures and a ratio against a baseline measured in the same run.

                """);
        out.append(LATEST).append("\n\n| benchmark | script | date |\n|---|---|---|\n");
        for (Entry e : top) {
            out.append("| [").append(e.title().replace("|", "\\|")).append("](#").append(e.anchor()).append(") | ")
                    .append(e.benchmark().equals(e.title()) ? "—" : e.text().contains("bench/" + e.benchmark() + ".sh") ? "`bench/" + e
                            .benchmark() + ".sh`" : "`" + e.benchmark() + "`").append(" | ").append(e.date())
                    .append(" |\n");
        }
        for (Entry e : top) {
            out.append("\n<a id=\"").append(e.anchor()).append("\"></a>\n\n").append(e.text()).append('\n');
        }
        out.append('\n').append(HISTORY).append("\n\nEarlier entries, newest first.\n");
        List<Entry> older = new ArrayList<>(chronological);
        older.removeAll(top);
        for (Entry e : older.reversed()) {
            out.append('\n').append(e.text()).append('\n');
        }
        return out.toString();
    }

    /** The file cut before each heading of level one or two; anchors written by {@link #write} are dropped. */
    static List<String> blocks(String text) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if ((line.startsWith("## ") || line.startsWith("# ")) && !current.isEmpty()) {
                blocks.add(current.toString().strip());
                current.setLength(0);
            }
            if (!line.startsWith("<a id=\"latest-")) {
                current.append(line).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            blocks.add(current.toString().strip());
        }
        return blocks;
    }

}
