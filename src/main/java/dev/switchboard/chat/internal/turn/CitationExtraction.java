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
 * The local responder names them itself; a model's answer cites them as {@code [n]}, and only numbers of
 * passages it was actually given count.
 */
@Component
class CitationExtraction {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3})]");

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
            citations.add(citation(number, passage.id(), passage.source(), "", hits));
        }
        return citations;
    }

    private static MessageCitation citation(int marker, String chunkId, String source, String quote, Map<String, SearchHit> hits) {
        SearchHit hit = hits.get(chunkId);
        return hit == null ? new MessageCitation(marker, null, source, chunkId, "", quote)
                : new MessageCitation(marker, hit.documentId(), hit.documentName(), chunkId, hit.location(), quote);
    }
}
