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

/**
 * The target {@code local:extractive}: answers without a language model by quoting, verbatim and with
 * citations, the sentences of the given passages that share the most words with the question. It says so
 * plainly, adds nothing of its own beyond that framing, and with nothing to quote says it cannot answer and
 * how to configure a provider.
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

    private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+(?:[.!?]+|$)");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]{2,}");
    private static final Set<String> STOPWORDS = Set.of("the", "a", "an", "and", "or", "of", "to", "in", "on", "at",
            "by", "for", "with", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those",
            "what", "which", "who", "whom", "how", "why", "when", "where", "do", "does", "did", "can", "could", "should",
            "would", "will", "about", "from", "as", "into", "than", "then", "there", "their", "me", "my", "you", "your",
            "we", "our", "they", "them", "he", "she", "his", "her", "not", "no", "yes", "if", "so");

    public record Answer(String content, List<Citation> citations) {
    }

    private record Candidate(Passage passage, String sentence, int position, int score) {
    }

    public Answer answer(String question, List<Passage> passages) {
        if (passages == null || passages.isEmpty()) {
            return new Answer(NOTHING_TO_QUOTE, List.of());
        }
        Set<String> terms = terms(question);
        List<Candidate> chosen = choose(terms, passages);
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

    private static List<Candidate> choose(Set<String> terms, List<Passage> passages) {
        List<Candidate> candidates = new ArrayList<>();
        int position = 0;
        for (Passage passage : passages) {
            Matcher sentences = SENTENCE.matcher(passage.text() == null ? "" : passage.text());
            while (sentences.find()) {
                String sentence = sentences.group().strip();
                if (sentence.isEmpty() || sentence.length() > MAX_SENTENCE_LENGTH) {
                    continue;
                }
                Set<String> words = terms(sentence);
                int score = (int) terms.stream().filter(words::contains).count();
                if (score > 0) {
                    candidates.add(new Candidate(passage, sentence, position++, score));
                }
            }
        }
        candidates.sort(Comparator.comparingInt(Candidate::score).reversed().thenComparingInt(Candidate::position));
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

    static Set<String> terms(String text) {
        Set<String> terms = new LinkedHashSet<>();
        Matcher words = WORD.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        while (words.find()) {
            if (!STOPWORDS.contains(words.group())) {
                terms.add(words.group());
            }
        }
        return terms;
    }
}
