package dev.switchboard.llm.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.llm.Citation;
import dev.switchboard.llm.Passage;
import dev.switchboard.llm.SentenceSimilarity;

/**
 * The target {@code local:extractive}: answers without a language model by quoting, verbatim and with
 * citations, the sentences of the given passages that answer the question best — by meaning (the embedding
 * model's similarity of sentence and question, {@link SentenceSimilarity}) and by the question's words they share.
 * It says so plainly, adds nothing of its own beyond that framing, and with nothing to quote says it cannot answer
 * and how to configure a provider.
 * <p>
 * <b>Ranking.</b> A sentence scores its similarity plus {@link #WORD_WEIGHT} × the share of the question's words
 * it contains (plural and past-tense endings stripped, so "signs" matches "signed"). By shared words alone, in a
 * section about expense claims the sentences that repeat "expense" and "claims" outrank the one that says who signs
 * them; by meaning alone, a sentence that paraphrases the question can outrank the one with the name asked for. On
 * the answer-quality set ({@code AnswerQualityTests}, on the passages of each search) the answering sentence is
 * among the quotes for 87 % of short questions, 92 % of keyword queries and 99 % of statements by unstemmed shared
 * words alone, and for 97 %, 93 % and 100 % with both. The weight, 0.5, was not swept: the similarity alone ranks
 * the expense-claims example right, and 0.5 keeps a sentence with every word of the question ahead of one that
 * merely paraphrases it. A sentence is a candidate when it shares a word with the question or is at least
 * {@link #MIN_SIMILARITY} similar to it; the passages themselves already passed the search's relevance decision.
 */
public final class LocalExtractiveResponder {

    static final String NOTICE = "No language model produced this answer; it quotes the passages of your documents "
            + "that match the question best.";
    static final String NOTHING_TO_QUOTE = "I cannot answer this: no language model is configured (or none answered), "
            + "and there are no documents to quote from. An administrator can add a provider "
            + "(switchboard.llm.providers, or POST /api/providers) or give this persona a knowledge base.";
    static final String NO_MATCH = "No language model produced this answer, and none of the passages found matches "
            + "the question, so I cannot answer it.";

    static final int MAX_QUOTES = 3;
    static final int MAX_QUOTES_PER_PASSAGE = 2;
    static final int MAX_SENTENCE_LENGTH = 600;
    static final double WORD_WEIGHT = 0.5;
    static final double MIN_SIMILARITY = 0.6;

    /** A line that starts a block of its own: a heading, a list item, a quote or a table row. */
    private static final Pattern BLOCK_START = Pattern.compile("^(?:#{1,6}\\s|[-*+]\\s|>|\\||\\d{1,3}[.)]\\s)");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]{2,}");
    private static final Set<String> STOPWORDS = Set.of("the", "a", "an", "and", "or", "of", "to", "in", "on", "at",
            "by", "for", "with", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those",
            "what", "which", "who", "whom", "how", "why", "when", "where", "do", "does", "did", "can", "could", "should",
            "would", "will", "about", "from", "as", "into", "than", "then", "there", "their", "me", "my", "you", "your",
            "we", "our", "they", "them", "he", "she", "his", "her", "not", "no", "yes", "if", "so");

    public record Answer(String content, List<Citation> citations) {
    }

    private record Candidate(Passage passage, String sentence, int position, double score) {
    }

    private final SentenceSimilarity similarity;

    /** Ranks by shared words alone. */
    public LocalExtractiveResponder() {
        this(SentenceSimilarity.NONE);
    }

    public LocalExtractiveResponder(SentenceSimilarity similarity) {
        this.similarity = similarity;
    }

    public Answer answer(String question, List<Passage> passages) {
        if (passages == null || passages.isEmpty()) {
            return new Answer(NOTHING_TO_QUOTE, List.of());
        }
        List<Candidate> chosen = choose(question, passages);
        if (chosen.isEmpty()) {
            return new Answer(NO_MATCH, List.of());
        }
        StringBuilder content = new StringBuilder(NOTICE);
        List<Citation> citations = new ArrayList<>();
        Map<String, Integer> markers = new HashMap<>();
        for (Candidate candidate : chosen) {
            int marker = markers.computeIfAbsent(candidate.passage().id(), id -> markers.size() + 1);
            content.append("\n\n\u201c").append(candidate.sentence()).append("\u201d [").append(marker).append(']');
            citations.add(new Citation(marker, candidate.passage().id(), candidate.passage().source(), candidate.sentence()));
        }
        return new Answer(content.toString(), List.copyOf(citations));
    }

    private List<Candidate> choose(String question, List<Passage> passages) {
        Set<String> terms = terms(question);
        List<Passage> sources = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        for (Passage passage : passages) {
            for (String sentence : sentences(passage.text() == null ? "" : passage.text())) {
                if (sentence.length() <= MAX_SENTENCE_LENGTH) {
                    sources.add(passage);
                    sentences.add(sentence);
                }
            }
        }
        List<Double> similarities = sentences.isEmpty() ? List.of() : similarity.similarities(question, sentences);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            Set<String> words = terms(sentences.get(i));
            long shared = terms.stream().filter(words::contains).count();
            double meaning = similarities.get(i);
            if (shared > 0 || meaning >= MIN_SIMILARITY) {
                double score = meaning + WORD_WEIGHT * shared / Math.max(1, terms.size());
                candidates.add(new Candidate(sources.get(i), sentences.get(i), i, score));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparingInt(Candidate::position));
        List<Candidate> chosen = new ArrayList<>();
        Map<String, Integer> perPassage = new HashMap<>();
        for (Candidate candidate : candidates) {
            if (chosen.size() == MAX_QUOTES) {
                break;
            }
            if (perPassage.merge(candidate.passage().id(), 1, Integer::sum) <= MAX_QUOTES_PER_PASSAGE) {
                chosen.add(candidate);
            }
        }
        return chosen;
    }

    /**
     * The sentences of a passage, verbatim: each ends at {@code .}, {@code !} or {@code ?} (with any that follow), or
     * at a line break that ends a block — a blank line, or a heading, list item, quote or table row on either side
     * of it. A line break inside a paragraph (hard-wrapped text) does not end a sentence, so a sentence wrapped over
     * two lines is quoted whole.
     */
    static List<String> sentences(String text) {
        List<String> found = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == '!' || c == '?') {
                int end = i + 1;
                while (end < text.length() && ".!?".indexOf(text.charAt(end)) >= 0) {
                    end++;
                }
                addStripped(found, text.substring(start, end));
                start = end;
                i = end - 1;
            }
            else if (c == '\n' && endsBlock(text, i)) {
                addStripped(found, text.substring(start, i));
                start = i + 1;
            }
        }
        addStripped(found, text.substring(start));
        return found;
    }

    private static boolean endsBlock(String text, int newline) {
        String line = text.substring(text.lastIndexOf('\n', newline - 1) + 1, newline).strip();
        int nextEnd = text.indexOf('\n', newline + 1);
        String next = text.substring(newline + 1, nextEnd < 0 ? text.length() : nextEnd).strip();
        return line.isEmpty() || next.isEmpty() || BLOCK_START.matcher(line).find() || BLOCK_START.matcher(next).find();
    }

    private static void addStripped(List<String> sentences, String sentence) {
        String stripped = sentence.strip();
        if (!stripped.isEmpty()) {
            sentences.add(stripped);
        }
    }

    static Set<String> terms(String text) {
        Set<String> terms = new LinkedHashSet<>();
        Matcher words = WORD.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        while (words.find()) {
            if (!STOPWORDS.contains(words.group())) {
                terms.add(stem(words.group()));
            }
        }
        return terms;
    }

    /**
     * The word without its commonest English inflections, so that "signs", "signed" and "sign" or "claims" and
     * "claim" count as the same word (a light stemmer: plural and past-tense endings only).
     */
    static String stem(String word) {
        if (word.length() > 4 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (word.length() > 4 && word.endsWith("ed")) {
            return word.substring(0, word.length() - 2);
        }
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
