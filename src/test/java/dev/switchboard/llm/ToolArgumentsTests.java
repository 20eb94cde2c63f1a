package dev.switchboard.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** What a tool accepts as arguments, and that every refusal names the argument and what it needs. */
class ToolArgumentsTests {

    @Test
    void textIsRequiredNonBlankAndBounded() {
        ToolArguments arguments = ToolArguments.of(Map.of("query", "holidays", "blank", "  ", "number", 3));
        assertThat(arguments.text("query", 10)).isEqualTo("holidays");
        assertThatThrownBy(() -> arguments.text("query", 5)).isInstanceOf(InvalidToolArguments.class)
                .hasMessage("query: at most 5 characters (this one has 8).");
        assertThatThrownBy(() -> arguments.text("blank", 5)).hasMessage("blank: required, a non-empty string.");
        assertThatThrownBy(() -> arguments.text("number", 5)).hasMessage("number: required, a non-empty string.");
        assertThatThrownBy(() -> arguments.text("missing", 5)).hasMessage("missing: required, a non-empty string.");
        assertThat(arguments.optionalText("missing", 5)).isNull();
    }

    @Test
    void integersAreWholeAndInRangeWithADefault() {
        Map<String, Object> values = new HashMap<>();
        values.put("topK", 50);
        values.put("float", 2.0);
        values.put("fraction", 2.5);
        values.put("text", "3");
        values.put("small", 0);
        values.put("absent", null);
        ToolArguments arguments = ToolArguments.of(values);
        assertThat(arguments.integer("topK", 1, 50, 8)).isEqualTo(50);
        assertThat(arguments.integer("float", 1, 50, 8)).isEqualTo(2);
        assertThat(arguments.integer("absent", 1, 50, 8)).isEqualTo(8);
        for (String name : List.of("fraction", "text", "small")) {
            assertThatThrownBy(() -> arguments.integer(name, 1, 50, 8)).hasMessage(name + ": a whole number from 1 to 50.");
        }
    }

    @Test
    void idsAreUuidsAndMalformedOnesAreQuotedShort() {
        UUID id = UUID.randomUUID();
        ToolArguments arguments = ToolArguments.of(Map.of("ids", List.of(id.toString(), " " + id + " "), "one", id.toString(),
                "bad", List.of("x".repeat(500)), "empty", List.of(), "scalar", id.toString()));
        assertThat(arguments.ids("ids", 20)).containsExactly(id, id);
        assertThat(arguments.optionalId("one")).isEqualTo(id);
        assertThat(arguments.optionalId("missing")).isNull();
        assertThatThrownBy(() -> arguments.ids("bad", 20)).hasMessageStartingWith("bad: '" + "x".repeat(60) + "…' is not an id");
        assertThatThrownBy(() -> arguments.ids("empty", 20)).hasMessage("empty: a list of 1 to 20 ids.");
        assertThatThrownBy(() -> arguments.ids("scalar", 20)).hasMessage("scalar: a list of 1 to 20 ids.");
        assertThatThrownBy(() -> arguments.ids("ids", 1)).hasMessage("ids: a list of 1 to 1 ids.");
    }

    @Test
    void noArgumentsAtAllIsAnEmptySet() {
        ToolArguments arguments = ToolArguments.of(null);
        assertThat(arguments.has("query")).isFalse();
        assertThatThrownBy(() -> arguments.text("query", 10)).isInstanceOf(InvalidToolArguments.class);
    }

    @Test
    void modelWrittenArgumentsMustBeAJsonObject() {
        assertThat(ToolArguments.parse("{\"query\": \"holidays\"}", "{}").text("query", 10)).isEqualTo("holidays");
        assertThat(ToolArguments.parse("", "{}").has("query")).isFalse();
        assertThat(ToolArguments.parse("null", "{}").has("query")).isFalse();
        for (String notAnObject : List.of("not json", "[1, 2]", "\"query\"", "{\"query\": ")) {
            assertThatThrownBy(() -> ToolArguments.parse(notAnObject, "{\"query\": \"...\"}"))
                    .isInstanceOf(InvalidToolArguments.class)
                    .hasMessage("The arguments are not a JSON object: send {\"query\": \"...\"}.");
        }
    }
}
