package dev.switchboard.chat.internal.history;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a user typed into the session search, as a PostgreSQL full-text query of the 'simple' configuration: every
 * word required, each of three or more characters as a prefix ("kube" finds "kubernetes", so the list narrows while the
 * user types). Words are runs of letters and digits, so nothing the user types reaches {@code to_tsquery}'s operators.
 */
public final class SessionSearch {

    /** More words than this are ignored: a search is a few words, and each adds an index probe. */
    static final int MAX_WORDS = 8;

    /**
     * Shorter words are matched whole: a one- or two-letter prefix matches a large share of all messages and says little.
     * A prefix matching half of a test corpus's 200,000 messages took 300 ms against 30 ms for a word (docs/chat.md).
     */
    static final int MIN_PREFIX = 3;

    private SessionSearch() {
    }

    /** The query for {@code text}, or empty when it has no word to search for. */
    public static Optional<String> query(String text) {
        String query = Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(word -> !word.isEmpty())
                .distinct()
                .limit(MAX_WORDS)
                .map(word -> word.length() < MIN_PREFIX ? word : word + ":*")
                .collect(Collectors.joining(" & "));
        return query.isEmpty() ? Optional.empty() : Optional.of(query);
    }
}
