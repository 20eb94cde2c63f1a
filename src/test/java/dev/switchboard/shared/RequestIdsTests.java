package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class RequestIdsTests {

    @ParameterizedTest
    @ValueSource(strings = {"a", "abc-123", "trace_1.2:3", "3f0c2a4e-8c1b-4d55-9d0e-2f6b1d7e9a10"})
    void acceptsWellFormedIds(String id) {
        assertThat(RequestIds.accept(id)).hasValue(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-leading-dash", "has space", "semi;colon", "new\nline", "<script>", "ä"})
    void refusesMalformedIds(String id) {
        assertThat(RequestIds.accept(id)).isEmpty();
    }

    @Property
    void acceptedIdsAreBoundedAndSafe(@ForAll @StringLength(max = 200) String candidate) {
        RequestIds.accept(candidate).ifPresent(id -> {
            assertThat(id).hasSizeBetween(1, RequestIds.MAX_LENGTH);
            assertThat(id).matches("[A-Za-z0-9._:-]+");
        });
    }

    @Property
    void generatedIdsAreAlwaysAccepted() {
        String id = RequestIds.generate();
        assertThat(RequestIds.accept(id)).hasValue(id);
    }

    @Property
    void longerThanTheLimitIsRefused(@ForAll @StringLength(min = 65, max = 300) String candidate) {
        assertThat(RequestIds.accept(candidate)).isEmpty();
    }
}
