package dev.switchboard.identity.internal.oauth;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import dev.switchboard.identity.internal.IdentityProperties;
import dev.switchboard.identity.internal.SecurityProperties;
import dev.switchboard.identity.internal.token.TokenSessions;
import dev.switchboard.identity.internal.web.BrowserSessions;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The sign-in page of the authorization flow: a server-rendered form (no script) for the e-mail address and password.
 * Signing in here is signing in to Switchboard — the same checks, throttling and audit as {@code POST /api/auth/login},
 * and the same browser session (cookies) — after which the browser goes on to the authorization request it came
 * from. Only an authorization request of this server is a place to go on to, so the page cannot be used to send
 * users elsewhere.
 */
@Hidden
@Controller
class SignInController {

    /** Where the browser may be sent after signing in: the authorization endpoint, with its query. */
    private static final Pattern CONTINUE = Pattern.compile("/oauth2/authorize\\?[A-Za-z0-9\\-._~%!$&'()*+,;=:@/?]{1,4000}");

    private final TokenSessions sessions;
    private final IdentityProperties identity;
    private final SecurityProperties security;
    private final CookieCsrfTokenRepository csrf;
    private final RegisteredClientRepository clients;

    SignInController(TokenSessions sessions, IdentityProperties identity, SecurityProperties security,
            CookieCsrfTokenRepository csrf, RegisteredClientRepository clients) {
        this.sessions = sessions;
        this.identity = identity;
        this.security = security;
        this.csrf = csrf;
        this.clients = clients;
    }

    @GetMapping(OAuthPaths.SIGN_IN)
    String page(@RequestParam(name = "continue", required = false) String next, HttpServletResponse response, Model model) {
        return render(model, response, safe(next), null, null);
    }

    @PostMapping(OAuthPaths.SIGN_IN)
    String signIn(@RequestParam(name = "continue", required = false) String next,
            @RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        String target = safe(next);
        if (email.isBlank() || password.isEmpty() || email.length() > 320 || password.length() > 1024) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return render(model, response, target, email, "Enter your e-mail address and password.");
        }
        return switch (sessions.login(email.strip(), password)) {
            case TokenSessions.Outcome.Issued issued -> {
                BrowserSessions.start(request, response, issued.tokens(), identity, csrf);
                if (target == null) {
                    model.addAttribute("signedIn", true);
                    yield "oauth/sign-in";
                }
                yield "redirect:" + target;
            }
            case TokenSessions.Outcome.Refused refused -> {
                response.setStatus(HttpStatus.UNAUTHORIZED.value());
                yield render(model, response, target, email, refused.reason());
            }
            case TokenSessions.Outcome.Throttled throttled -> {
                response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
                response.setHeader("Retry-After", String.valueOf(Math.max(1, throttled.why().retryAfterSeconds())));
                yield render(model, response, target, email, "Too many attempts to sign in. Wait a little and try again.");
            }
        };
    }

    private String render(Model model, HttpServletResponse response, String target, String email, String error) {
        RegisteredClient client = target == null ? null : clientOf(target);
        FormActionPolicy.apply(response, security.contentSecurityPolicy(), client);
        model.addAttribute("continue", target);
        model.addAttribute("clientName", client == null ? null : client.getClientName());
        model.addAttribute("email", email);
        model.addAttribute("error", error);
        return "oauth/sign-in";
    }

    private RegisteredClient clientOf(String target) {
        String clientId = UriComponentsBuilder.fromUriString(target).build().getQueryParams().getFirst("client_id");
        return clientId == null ? null : clients.findByClientId(clientId);
    }

    /** The continuation if it is an authorization request of this server; otherwise none. */
    static String safe(String next) {
        return next != null && CONTINUE.matcher(next).matches() ? next : null;
    }
}
