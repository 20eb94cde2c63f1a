package dev.switchboard.identity.internal.oauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import tools.jackson.databind.json.JsonMapper;

/**
 * Errors of the authorization endpoint (RFC 6749 section 4.1.2.1). Once the client and its redirect URI are known
 * good, the error goes back to the client on the redirect URI, with the state (Spring Security's behaviour). Before
 * that — an unknown client, a redirect URI it did not register, a malformed request — nothing may be redirected, and
 * the browser gets a 400 with OAuth's error document ({@code error}, {@code error_description}) instead of a bare
 * servlet error.
 */
final class AuthorizationErrorResponse implements AuthenticationFailureHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
        OAuth2AuthorizationCodeRequestAuthenticationToken authorization = exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException code
                ? code.getAuthorizationCodeRequestAuthentication() : null;
        if (authorization == null || !StringUtils.hasText(authorization.getRedirectUri())) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put(OAuth2ParameterNames.ERROR, error.getErrorCode());
            body.put(OAuth2ParameterNames.ERROR_DESCRIPTION, StringUtils.hasText(error.getDescription()) ? error.getDescription()
                    : "The authorization request is not valid (" + error.getErrorCode() + "); it cannot be sent back to the application.");
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setHeader("Cache-Control", "no-store");
            response.getOutputStream().write(JSON.writeValueAsBytes(body));
            return;
        }
        UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(authorization.getRedirectUri())
                .queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
        if (StringUtils.hasText(error.getDescription())) {
            redirect.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, UriUtils.encode(error.getDescription(), StandardCharsets.UTF_8));
        }
        if (StringUtils.hasText(error.getUri())) {
            redirect.queryParam(OAuth2ParameterNames.ERROR_URI, UriUtils.encode(error.getUri(), StandardCharsets.UTF_8));
        }
        if (StringUtils.hasText(authorization.getState())) {
            redirect.queryParam(OAuth2ParameterNames.STATE, UriUtils.encode(authorization.getState(), StandardCharsets.UTF_8));
        }
        response.sendRedirect(redirect.build(true).toUriString());
    }
}
