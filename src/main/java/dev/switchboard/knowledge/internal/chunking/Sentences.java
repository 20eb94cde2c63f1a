package dev.switchboard.knowledge.internal.chunking;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits text at sentence boundaries (Unicode rules, English), and overlong sentences at word boundaries. */
final class Sentences {

    private Sentences() {
    }

    static List<String> split(String text) {
        BreakIterator boundaries = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        boundaries.setText(text);
        List<String> sentences = new ArrayList<>();
        int start = boundaries.first();
        for (int end = boundaries.next(); end != BreakIterator.DONE; start = end, end = boundaries.next()) {
            String sentence = text.substring(start, end).strip();
            if (!sentence.isEmpty()) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }

    /** Cuts a sentence longer than {@code limit} tokens into word runs of at most {@code limit} tokens. */
    static List<String> splitWords(String sentence, int limit, TokenCounter tokens) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int used = 0;
        for (String word : sentence.split("\\s+")) {
            int cost = tokens.count(word);
            if (used + cost > limit && !part.isEmpty()) {
                parts.add(part.toString());
                part.setLength(0);
                used = 0;
            }
            part.append(part.isEmpty() ? "" : " ").append(word);
            used += cost;
        }
        if (!part.isEmpty()) {
            parts.add(part.toString());
        }
        return parts;
    }
}
