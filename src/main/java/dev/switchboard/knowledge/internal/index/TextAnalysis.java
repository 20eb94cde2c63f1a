package dev.switchboard.knowledge.internal.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * How chunk text is cut into BM25 terms. Part of the index format: the same analysis must index and query, so
 * changing it means re-indexing.
 */
public enum TextAnalysis {

    /** Unicode words, lower-cased, English stop words removed, no stemming. */
    STANDARD,
    /** Lucene's EnglishAnalyzer: possessives, stop words, Porter stemming (what Pyserini's BM25 does). */
    ENGLISH_PORTER,
    /** As {@link #ENGLISH_PORTER} with the Krovetz stemmer (dictionary-based, stems less aggressively) and accents folded. */
    ENGLISH_KSTEM;

    /** A new analyzer (thread-safe, reusable). */
    public Analyzer analyzer() {
        return switch (this) {
            case STANDARD -> new StandardAnalyzer(EnglishAnalyzer.getDefaultStopSet());
            case ENGLISH_PORTER -> english(true);
            case ENGLISH_KSTEM -> english(false);
        };
    }

    private static Analyzer english(boolean porter) {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream result = new EnglishPossessiveFilter(source);
                result = new LowerCaseFilter(result);
                result = new StopFilter(result, EnglishAnalyzer.getDefaultStopSet());
                result = porter ? new PorterStemFilter(result) : new KStemFilter(new ASCIIFoldingFilter(result));
                return new TokenStreamComponents(source, result);
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new LowerCaseFilter(in);
            }
        };
    }
}
