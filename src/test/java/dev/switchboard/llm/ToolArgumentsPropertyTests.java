package dev.switchboard.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Whatever a client sends, reading an argument either yields a value within the tool's bounds or refuses it with
 * {@link InvalidToolArguments} — a short message naming the argument — and never fails in any other way (which would
 * reach the client as "the tool failed unexpectedly" instead of something it can correct).
 */
class ToolArgumentsPropertyTests {

    @Property
    void anIdIsParsedOrRefusedByName(@ForAll String value) {
        ToolArguments arguments = ToolArguments.of(Map.of("knowledgeBaseIds", List.of(value), "sessionId", value));
        Throwable listFailure = catchThrowable(() -> assertThat(arguments.ids("knowledgeBaseIds", 20)).hasSize(1));
        Throwable oneFailure = catchThrowable(() -> assertThat(arguments.optionalId("sessionId")).isInstanceOf(UUID.class));
        assertRefusedByName(listFailure, "knowledgeBaseIds");
        assertRefusedByName(oneFailure, "sessionId");
    }

    @Property
    void aNumberIsInRangeOrRefusedByName(@ForAll double value) {
        ToolArguments arguments = ToolArguments.of(Map.of("topK", value));
        Throwable failure = catchThrowable(() -> assertThat(arguments.integer("topK", 1, 50, 8)).isBetween(1, 50));
        assertRefusedByName(failure, "topK");
    }

    @Property
    void aTextIsBoundedOrRefusedByName(@ForAll String value) {
        ToolArguments arguments = ToolArguments.of(Map.of("query", value));
        Throwable failure = catchThrowable(() -> assertThat(arguments.text("query", 100)).isNotBlank().hasSizeLessThanOrEqualTo(100));
        assertRefusedByName(failure, "query");
    }

    private static void assertRefusedByName(Throwable failure, String argument) {
        if (failure != null) {
            assertThat(failure).isInstanceOf(InvalidToolArguments.class);
            assertThat(failure.getMessage()).startsWith(argument + ":").hasSizeLessThan(argument.length() + 160);
        }
    }
}
