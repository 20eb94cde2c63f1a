package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestPathsTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/metrics                    | /metrics",
            "/%6detrics                  | /metrics",
            "/%6D%65trics                | /metrics",
            "/%61pi/auth/me              | /api/auth/me",
            "/api/%70ersonas/x%20y       | /api/personas/x y",
            "/api//auth///me             | /api/auth/me",
            "/api/./auth/me              | /api/auth/me",
            "/api/x/../auth/me           | /api/auth/me",
            "/../../metrics              | /metrics",
            "/api/auth/me;jsessionid=abc | /api/auth/me",
            "/api;x=1/auth/me            | /api/auth/me",
            "/api/auth/me/               | /api/auth/me/",
            "/API/Auth/Me                | /API/Auth/Me",
            "/                           | /",
            "/caf%C3%A9                  | /café"})
    void normalisesLikeRouting(String raw, String normalised) {
        assertThat(RequestPaths.normalise(raw)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api%2Fauth/me", "/api%2fauth", "/%2E%2E/metrics", "/api/%2e/x", "/api%5Cx", "/a\\b",
            "/api/%25 61", "/api/%2561", "/api//x", "/api/./x", "/api/../metrics", "/api/x/..", "/x;jsessionid=1",
            "/x;a=b", "/x%3Bjsessionid=1", "/x%00", "/x%0a", "/x%", "/x%6", "/x%zz", "/x%C3", "/x%FF"})
    void namesAmbiguousForms(String raw) {
        assertThat(RequestPaths.ambiguity(raw)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/metrics", "/%6detrics", "/%61pi/auth/me", "/api/auth/me/", "/API/x",
            "/caf%C3%A9", "/api/x%20y", "/api/a.b/c..d"})
    void acceptsPlainForms(String raw) {
        assertThat(RequestPaths.ambiguity(raw)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"/app/%61pi/x | /app | /api/x", "/%61pi/x | '' | /api/x"})
    void stripsTheContextPath(String uri, String context, String expected) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setContextPath(context);
        assertThat(RequestPaths.of(request)).isEqualTo(expected);
    }
}
