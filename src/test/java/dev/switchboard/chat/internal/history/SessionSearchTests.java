package dev.switchboard.chat.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** What the session search sends to PostgreSQL: words only, required together, longer ones as prefixes. */
class SessionSearchTests {

    @Test
    void everyWordIsRequiredAndLongerOnesArePrefixes() {
        assertThat(SessionSearch.query("Kube DEPLOYMENT")).hasValue("kube:* & deployment:*");
        assertThat(SessionSearch.query("an  é-mail, 3.5 Grüße")).hasValue("an & é & mail:* & 3 & 5 & grüße:*");
        assertThat(SessionSearch.query("word word Word")).hasValue("word:*");
    }

    @Test
    void operatorsAndPunctuationAreNotPassedOn() {
        assertThat(SessionSearch.query("a & b | !c:* ' (\\")).hasValue("a & b & c");
        assertThat(SessionSearch.query("!!! ... ")).isEmpty();
        assertThat(SessionSearch.query("")).isEmpty();
    }

    @Test
    void atMostEightWords() {
        assertThat(SessionSearch.query("one two three four five six seven eight nine ten").orElseThrow().split(" & "))
                .hasSize(SessionSearch.MAX_WORDS);
    }

    /** Whatever is typed, the query is words of letters and digits joined by & (PostgreSQL's syntax and nothing more). */
    @Property
    void theQueryIsOnlyWordsAndAnds(@ForAll String typed) {
        SessionSearch.query(typed).ifPresent(query -> assertThat(query).matches("[\\p{L}\\p{N}]+(:\\*)?( & [\\p{L}\\p{N}]+(:\\*)?)*"));
    }
}
