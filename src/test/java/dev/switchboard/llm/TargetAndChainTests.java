package dev.switchboard.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

class TargetAndChainTests {

    @Test
    void parsesTargetsWhoseModelsContainColons() {
        assertThat(Target.parse("local:llama3.1:8b")).isEqualTo(new Target("local", "llama3.1:8b"));
        assertThat(Target.parse(" primary : gpt-4o ")).isEqualTo(new Target("primary", "gpt-4o"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gpt-4o", ":gpt-4o", "primary:", "Primary:gpt", "pri mary:gpt", "p:gpt 4"})
    void refusesMalformedTargets(String text) {
        assertThatThrownBy(() -> Target.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLocalResponderAlwaysComesLastAndOnce() {
        Chain chain = Chain.parse("primary:gpt-4o, local:extractive, backup:claude-sonnet-4,primary:gpt-4o");
        assertThat(chain.targets()).extracting(Target::toString)
                .containsExactly("primary:gpt-4o", "backup:claude-sonnet-4", "local:extractive");
        assertThat(Chain.parse("").targets()).containsExactly(Target.LOCAL_EXTRACTIVE);
        assertThat(Chain.parse(null).toString()).isEqualTo("local:extractive");
    }

    @Property
    void formattingAndParsingRoundTrip(@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 20) String provider,
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 30) String model) {
        Target target = new Target(provider.toLowerCase(), model);
        assertThat(Target.parse(target.toString())).isEqualTo(target);
        assertThat(Chain.parse(new Chain(java.util.List.of(target)).toString()).targets()).startsWith(target);
    }
}
