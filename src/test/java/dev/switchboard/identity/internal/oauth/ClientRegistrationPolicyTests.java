package dev.switchboard.identity.internal.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

/** Which redirect URIs open registration accepts: https anywhere, http only on loopback, nothing ambiguous. */
class ClientRegistrationPolicyTests {

    @ParameterizedTest
    @ValueSource(strings = {"https://claude.ai/api/mcp/auth_callback", "https://vscode.dev/redirect", "http://127.0.0.1:33418/callback",
            "http://127.0.0.1/cb", "http://[::1]:8080/cb", "http://localhost:6274/oauth/callback", "HTTPS://App.Example/cb?x=1"})
    void acceptsHttpsAndLoopbackHttp(String uri) {
        assertThat(ClientRegistrationPolicy.acceptable(uri)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/cb", "http://10.0.0.5/cb", "http://127.0.0.1.nip.io/cb", "http://localhost.evil.com/cb",
            "javascript:alert(1)", "data:text/html,hi", "cursor://anysphere.cursor-retrieval/oauth", "/relative/cb", "https:///nohost",
            "https://app.example/cb#fragment", "https://user:pass@app.example/cb", "https://app.example/c b", "file:///etc/passwd",
            "http://0.0.0.0/cb"})
    void refusesEverythingElse(String uri) {
        assertThat(ClientRegistrationPolicy.acceptable(uri)).isFalse();
    }

    @Property
    void anHttpHostIsAcceptedOnlyWhenItIsLoopback(@ForAll @AlphaChars @StringLength(min = 1, max = 30) String host) {
        assertThat(ClientRegistrationPolicy.acceptable("http://" + host + "/cb")).isEqualTo(host.equalsIgnoreCase("localhost"));
        assertThat(ClientRegistrationPolicy.acceptable("https://" + host + "/cb")).isTrue();
    }

    @Property
    void overlongUrisAreRefused(@ForAll @StringLength(min = ClientRegistrationPolicy.MAX_URI_LENGTH) @AlphaChars String path) {
        assertThat(ClientRegistrationPolicy.acceptable("https://app.example/" + path)).isFalse();
    }
}
