package dev.switchboard.shared.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class QueryStringsPropertyTests {

    record Parameter(String name, String value) {
    }

    @Property(tries = 300)
    void everyValueIsMaskedAndEveryNameKept(@ForAll("parameters") List<Parameter> parameters) {
        String query = parameters.stream().map(p -> p.name() + "=" + p.value()).collect(Collectors.joining("&"));

        String masked = QueryStrings.masked(query);

        assertThat(masked).isEqualTo(parameters.stream().map(p -> p.name() + "=" + QueryStrings.MASK)
                .collect(Collectors.joining("&")));
    }

    @Property(tries = 100)
    void aLongQueryIsCutButNeverShowsAValue(@ForAll("parameters") List<Parameter> parameters) {
        String query = parameters.stream().map(p -> p.name() + "=SECRET" + p.value()).collect(Collectors.joining("&"))
                .repeat(20);

        assertThat(QueryStrings.masked(query)).doesNotContain("SECRET").hasSizeLessThanOrEqualTo(513);
    }

    @Property(tries = 50)
    void namesWithoutValuesStayAsTheyAre(@ForAll("names") String name) {
        assertThat(QueryStrings.masked(name + "&" + name + "=x")).isEqualTo(name + "&" + name + "=" + QueryStrings.MASK);
    }

    @Provide
    Arbitrary<List<Parameter>> parameters() {
        Arbitrary<String> values = Arbitraries.strings().withChars("abcXYZ019-_.~%+/=").ofMinLength(1).ofMaxLength(40)
                .filter(value -> !value.contains("&"));
        return Combinators.combine(names(), values).as(Parameter::new).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz_").ofMinLength(1).ofMaxLength(16);
    }
}
