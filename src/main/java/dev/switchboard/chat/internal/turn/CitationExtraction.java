package dev.switchboard.chat.internal.turn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.switchboard.llm.Citation;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.Passage;

/**
 * Stage 7: which passages the answer relies on. The local responder names them itself; a model's answer
 * cites them as {@code [n]}, and only numbers of passages it was actually given count.
 */
@Component
class CitationExtraction {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3})]");

    List<Citation> citations(LlmResult result, List<Passage> passages) {
        if (!result.citations().isEmpty()) {
            return result.citations();
        }
        Set<Integer> numbers = new LinkedHashSet<>();
        Matcher markers = MARKER.matcher(result.content());
        while (markers.find()) {
            int number = Integer.parseInt(markers.group(1));
            if (number >= 1 && number <= passages.size()) {
                numbers.add(number);
            }
        }
        List<Citation> citations = new ArrayList<>();
        for (int number : numbers) {
            Passage passage = passages.get(number - 1);
            citations.add(new Citation(number, passage.id(), passage.source(), ""));
        }
        return citations;
    }
}
