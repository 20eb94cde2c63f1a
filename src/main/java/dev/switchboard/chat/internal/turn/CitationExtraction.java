package dev.switchboard.chat.internal.turn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.switchboard.chat.internal.history.MessageCitation;
import dev.switchboard.knowledge.SearchHit;
import dev.switchboard.llm.Citation;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.Passage;

/**
 * Stage 7: which passages the answer relies on, named exactly (document id and name, chunk, page or section).
 * The local responder names them itself, with its quote; a model's answer cites them as {@code [n]}, and only numbers
 * of passages it was actually given count, each with the opening of its passage as the quote.
 */
@Component
class CitationExtraction {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3})]");

    /** Characters of a passage shown under an answer: two or three lines, enough to recognise it. */
    static final int EXCERPT = 240;

    List<MessageCitation> citations(LlmResult result, List<Passage> passages, Map<String, SearchHit> hits) {
        List<MessageCitation> citations = new ArrayList<>();
        if (!result.citations().isEmpty()) {
            for (Citation citation : result.citations()) {
                citations.add(citation(citation.marker(), citation.passageId(), citation.source(), citation.quote(), hits));
            }
            return citations;
        }
        Set<Integer> numbers = new LinkedHashSet<>();
        Matcher markers = MARKER.matcher(result.content());
        while (markers.find()) {
            int number = Integer.parseInt(markers.group(1));
            if (number >= 1 && number <= passages.size()) {
                numbers.add(number);
            }
        }
        for (int number : numbers) {
            Passage passage = passages.get(number - 1);
            citations.add(citation(number, passage.id(), passage.source(), excerpt(passage.text()), hits));
        }
        return citations;
    }

    /**
     * A model's {@code [n]} quotes nothing itself, so its citation shows the opening of the passage it was given (the
     * whole passage is a click away, {@code GET /api/knowledge/chunks/{chunkId}}): up to {@value #EXCERPT} characters,
     * cut at a word.
     */
    static String excerpt(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        if (flat.length() <= EXCERPT) {
            return flat;
        }
        int cut = flat.lastIndexOf(' ', EXCERPT);
        return flat.substring(0, cut > EXCERPT / 2 ? cut : EXCERPT) + "\u2026";
    }

    private static MessageCitation citation(int marker, String chunkId, String source, String quote, Map<String, SearchHit> hits) {
        SearchHit hit = hits.get(chunkId);
        return hit == null ? new MessageCitation(marker, null, source, chunkId, "", quote)
                : new MessageCitation(marker, hit.documentId(), hit.documentName(), chunkId, hit.location(), quote);
    }
}
