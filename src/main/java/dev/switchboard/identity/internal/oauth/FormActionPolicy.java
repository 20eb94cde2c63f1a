package dev.switchboard.identity.internal.oauth;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The Content-Security-Policy of the sign-in and consent pages. Their forms end in a redirect to the client's
 * redirect URI, and browsers apply {@code form-action} to every redirect after a form submission, so the policy's
 * {@code 'self'} would stop the flow at its last step. These two pages widen {@code form-action} to the origins of the
 * client's registered redirect URIs, and nothing else.
 */
final class FormActionPolicy {

    private static final Pattern FORM_ACTION = Pattern.compile("form-action\\s+([^;]*)");

    private FormActionPolicy() {
    }

    static void apply(HttpServletResponse response, String policy, RegisteredClient client) {
        if (client == null) {
            return;
        }
        Matcher formAction = FORM_ACTION.matcher(policy);
        if (!formAction.find()) {
            return;
        }
        Set<String> sources = new LinkedHashSet<>(Arrays.asList(formAction.group(1).strip().split("\\s+")));
        client.getRedirectUris().forEach(uri -> sources.add(origin(URI.create(uri))));
        response.setHeader("Content-Security-Policy", formAction.replaceFirst(Matcher.quoteReplacement(
                "form-action " + String.join(" ", sources))));
    }

    private static String origin(URI uri) {
        // Loopback redirect URIs may use any port (RFC 8252 section 7.3).
        String port = ClientRegistrationPolicy.isLoopback(uri) ? ":*" : uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + port;
    }
}
