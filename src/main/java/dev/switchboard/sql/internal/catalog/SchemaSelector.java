package dev.switchboard.sql.internal.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.switchboard.llm.SentenceSimilarity;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Column;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Table;

/**
 * Chooses the tables of a catalogue too large for a prompt that are relevant to a question, and renders them.
 * <p>
 * Each table is described by its name, comment, column names and column comments (identifiers split into words:
 * {@code customer_id} is "customer id"). Two rankings are fused by reciprocal rank: BM25 over the descriptions
 * (Lucene, English analysis with stemming, an in-memory index per question) finds the tables whose words the question
 * uses; the embedding similarity the knowledge module provides ({@link SentenceSimilarity}, bge-small by default) finds
 * those that mean what it asks in other words. The best {@code maxTables} are kept, then the tables their foreign keys
 * join them to (parents first), so the model can write the joins; the renderer then keeps them in that order within
 * the token budget.
 */
@Component
public class SchemaSelector {

    /** The usual reciprocal-rank-fusion constant (Cormack et al. 2009); the knowledge module's fusion uses it too. */
    static final int RRF_K = 60;

    /** A description is cut here: enough for names and comments, and it bounds the embedding work per table. */
    static final int MAX_DESCRIPTION = 600;

    /**
     * Lucene's English stop words plus the words questions are made of ("what", "how many", "per", "each", "show"):
     * in a table description they carry no meaning, yet a short one that happens to hold "what" or "per" would
     * otherwise outrank the table a question is about (seen on the 200-table test schema: "What is the average salary
     * per department?" ranked "Currency conversion rates per day" above the salaries).
     */
    static final CharArraySet STOP_WORDS = stopWords();

    private final Supplier<SentenceSimilarity> similarity;

    @Autowired
    SchemaSelector(ObjectProvider<SentenceSimilarity> similarity) {
        this(() -> similarity.getIfAvailable(() -> SentenceSimilarity.NONE));
    }

    private SchemaSelector(Supplier<SentenceSimilarity> similarity) {
        this.similarity = similarity;
    }

    /** A selector ranking by {@code similarity} as well as BM25 ({@link SentenceSimilarity#NONE}: BM25 alone). */
    static SchemaSelector using(SentenceSimilarity similarity) {
        return new SchemaSelector(() -> similarity);
    }

    /**
     * The schema text for a question: the whole catalogue when it fits in {@code tokenBudget}, otherwise the tables
     * chosen for the question.
     */
    public SchemaRenderer.Rendered schemaFor(SchemaCatalog catalog, String question, long tokenBudget, int maxTables) {
        SchemaRenderer.Rendered whole = SchemaRenderer.render(catalog.tables(), tokenBudget);
        if (whole.omitted() == 0) {
            return whole;
        }
        return SchemaRenderer.render(select(catalog, question, maxTables), tokenBudget);
    }

    /** The tables most relevant to the question (at most {@code maxTables}), followed by their foreign-key neighbours. */
    public List<Table> select(SchemaCatalog catalog, String question, int maxTables) {
        List<Table> tables = catalog.tables();
        if (tables.size() <= maxTables) {
            return tables;
        }
        List<String> descriptions = tables.stream().map(SchemaSelector::description).toList();
        double[] fused = new double[tables.size()];
        addRanks(fused, bm25(descriptions, question));
        List<Double> similarities = similarity.get().similarities(question, descriptions);
        if (similarities.stream().anyMatch(value -> value != 0)) {
            addRanks(fused, similarities.stream().mapToDouble(Double::doubleValue).toArray());
        }
        List<Integer> ranked = IntStream.range(0, tables.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer index) -> -fused[index]).thenComparing(index -> index)).toList();
        List<Table> seeds = ranked.stream().limit(maxTables).map(tables::get).toList();
        return withNeighbours(catalog, seeds);
    }

    /** Adds each table's reciprocal rank under {@code scores} (higher is better; ties share the order of the catalogue). */
    private static void addRanks(double[] fused, double[] scores) {
        List<Integer> order = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer index) -> -scores[index]).thenComparing(index -> index)).toList();
        for (int rank = 0; rank < order.size(); rank++) {
            int index = order.get(rank);
            if (scores[index] > 0) {
                fused[index] += 1.0 / (RRF_K + rank + 1);
            }
        }
    }

    private static List<Table> withNeighbours(SchemaCatalog catalog, List<Table> seeds) {
        Set<Table> chosen = new LinkedHashSet<>(seeds);
        for (Table seed : seeds) {
            seed.foreignKeys().forEach(key -> catalog.table(key.referencedTable()).ifPresent(chosen::add));
        }
        Set<String> seedNames = new HashSet<>();
        seeds.forEach(seed -> seedNames.add(seed.name().toLowerCase(Locale.ROOT)));
        for (Table table : catalog.tables()) {
            if (table.foreignKeys().stream().anyMatch(key -> seedNames.contains(key.referencedTable().toLowerCase(Locale.ROOT)))) {
                chosen.add(table);
            }
        }
        return List.copyOf(chosen);
    }

    /** BM25 scores of the descriptions for the question (0 for a description that shares no word with it). */
    static double[] bm25(List<String> descriptions, String question) {
        double[] scores = new double[descriptions.size()];
        try (Analyzer analyzer = new EnglishAnalyzer(STOP_WORDS); ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
                for (int i = 0; i < descriptions.size(); i++) {
                    Document document = new Document();
                    document.add(new TextField("text", descriptions.get(i), Field.Store.NO));
                    document.add(new StoredField("index", i));
                    writer.addDocument(document);
                }
            }
            Query query = new QueryBuilder(analyzer).createBooleanQuery("text", words(question));
            if (query == null) {
                return scores;
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                for (ScoreDoc hit : searcher.search(query, descriptions.size()).scoreDocs) {
                    int index = searcher.storedFields().document(hit.doc).getField("index").numericValue().intValue();
                    scores[index] = hit.score;
                }
            }
        }
        catch (IOException ex) {
            // An in-memory index does no I/O that can fail.
            throw new UncheckedIOException(ex);
        }
        return scores;
    }

    private static CharArraySet stopWords() {
        CharArraySet words = new CharArraySet(EnglishAnalyzer.getDefaultStopSet(), true);
        words.addAll(List.of("what", "which", "who", "whom", "whose", "when", "where", "why", "how", "many", "much", "per",
                "each", "every", "all", "any", "some", "list", "show", "give", "find", "tell", "me", "us", "we", "our", "i",
                "my", "do", "does", "did", "have", "has", "had", "can", "could", "would", "should", "most", "least", "more",
                "less", "than", "from", "last", "first"));
        return CharArraySet.unmodifiableSet(words);
    }

    /** A table in words: its name, comment, and each column's name and comment. */
    static String description(Table table) {
        StringBuilder text = new StringBuilder(words(table.name()));
        if (!table.comment().isBlank()) {
            text.append(". ").append(table.comment());
        }
        text.append(". Columns:");
        Map<String, Boolean> seen = new HashMap<>();
        for (Column column : table.columns()) {
            if (seen.put(column.name(), true) == null) {
                text.append(' ').append(words(column.name()));
                if (!column.comment().isBlank()) {
                    text.append(" (").append(column.comment()).append(')');
                }
                text.append(',');
            }
        }
        String description = text.toString();
        return description.length() > MAX_DESCRIPTION ? description.substring(0, MAX_DESCRIPTION) : description;
    }

    /** Identifiers as words: {@code sales.order_lines} and {@code orderLines} become "sales order lines", "order Lines". */
    static String words(String text) {
        return text.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("[._$]+", " ");
    }
}
