package dev.switchboard.identity.internal.web;

import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.identity.LoginThrottle;
import dev.switchboard.identity.internal.IdentityProperties;
import dev.switchboard.identity.internal.SecurityEvents;
import dev.switchboard.identity.internal.account.User;
import dev.switchboard.identity.internal.account.UserAccounts;
import dev.switchboard.identity.internal.token.TokenPair;
import dev.switchboard.identity.internal.token.TokenSessions;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.tenancy.TenantManagement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "Authentication")
@RestController
@RequestMapping("/api/auth")
class AuthController {

    private final TokenSessions sessions;
    private final UserAccounts accounts;
    private final TenantManagement tenants;
    private final IdentityProperties properties;
    private final CookieCsrfTokenRepository csrf;
    private final ObjectProvider<LoginThrottle> throttle;

    AuthController(TokenSessions sessions, UserAccounts accounts, TenantManagement tenants, IdentityProperties properties,
            CookieCsrfTokenRepository csrf, ObjectProvider<LoginThrottle> throttle) {
        this.csrf = csrf;
        this.throttle = throttle;
        this.sessions = sessions;
        this.accounts = accounts;
        this.tenants = tenants;
        this.properties = properties;
    }

    /**
     * @param cookie start a browser session (cookies) instead of returning the tokens
     * @param remember with {@code cookie}: keep the session across browser restarts for the refresh token's lifetime
     */
    record LoginRequest(@NotBlank @Size(max = 320) String email, @NotBlank @Size(max = 1024) String password,
            Boolean cookie, Boolean remember) {
    }

    record RefreshRequest(@Size(max = 200) String refreshToken) {
    }

    /** A browser sign-in: the tokens are in httpOnly cookies; the CSRF token is for the X-CSRF-Token header. */
    record BrowserSession(String csrfToken, long expiresIn) {
    }

    record LogoutRequest(@Size(max = 200) String refreshToken) {
    }

    record SignupRequest(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit") String tenant,
            @NotBlank @Email @Size(max = 320) String email,
            @NotBlank @Size(max = 1024) String password) {
    }

    record ChangePasswordRequest(@NotBlank @Size(max = 1024) String currentPassword,
            @NotBlank @Size(max = 1024) String newPassword) {
    }

    record TenantView(UUID id, String slug, String name) {
    }

    record Me(UUID id, String email, String role, TenantView tenant) {
    }

    record NewTenant(UUID id, String slug) {
    }

    /** What sign-up created: the tenant and its first admin. */
    record SignupResult(NewTenant tenant, UserView user) {
    }

    @Operation(summary = "Sign in with e-mail and password", description = "Returns a JWT access token and a single-use refresh token.")
    @ApiResponse(responseCode = "200", description = "The tokens; with cookie: true a browser session (the tokens in "
            + "httpOnly cookies) instead.", content = @Content(schema = @Schema(oneOf = {TokenPair.class, BrowserSession.class})))
    @PostMapping("/login")
    Object login(@Valid @RequestBody LoginRequest request, HttpServletRequest http, HttpServletResponse response) {
        TokenPair tokens = issued(sessions.login(request.email(), request.password()));
        if (Boolean.TRUE.equals(request.cookie())) {
            return new BrowserSession(BrowserSessions.start(http, response, tokens, properties, csrf,
                    Boolean.TRUE.equals(request.remember())), tokens.expiresIn());
        }
        return tokens;
    }

    @Operation(summary = "Exchange a refresh token for new tokens", description = "The presented token is used up; "
            + "presenting it again revokes every token of its family.")
    @ApiResponse(responseCode = "200", description = "New tokens; a browser session when the refresh token came from "
            + "its cookie.", content = @Content(schema = @Schema(oneOf = {TokenPair.class, BrowserSession.class})))
    @PostMapping("/refresh")
    Object refresh(@Valid @RequestBody(required = false) RefreshRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        String presented = request != null && request.refreshToken() != null && !request.refreshToken().isBlank()
                ? request.refreshToken() : null;
        if (presented == null) {
            String fromCookie = BrowserSessions.cookie(http, BrowserSessions.REFRESH_COOKIE).orElseThrow(() -> new SwitchboardException(
                    HttpStatus.BAD_REQUEST, "bad-request", "Send the refreshToken."));
            TokenPair tokens = issued(sessions.refresh(fromCookie));
            return new BrowserSession(BrowserSessions.renew(http, response, tokens, properties, csrf), tokens.expiresIn());
        }
        return issued(sessions.refresh(presented));
    }

    @Operation(summary = "Sign out", description = "With a refresh token: ends that sign-in. Authenticated without "
            + "one: ends every session of the caller, access tokens included (an API key needs the admin scope: 403).")
    @PostMapping("/logout")
    ResponseEntity<Void> logout(@Valid @RequestBody(required = false) LogoutRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        BrowserSessions.end(response);
        Optional<String> cookieToken = BrowserSessions.cookie(http, BrowserSessions.REFRESH_COOKIE);
        if (request != null && request.refreshToken() != null && !request.refreshToken().isBlank()) {
            sessions.logout(request.refreshToken());
        }
        else if (cookieToken.isPresent()) {
            sessions.logout(cookieToken.get());
        }
        else {
            Caller caller = Callers.current().orElseThrow(() -> new SwitchboardException(HttpStatus.BAD_REQUEST,
                    "bad-request", "Send the refresh token to sign out, or call with an access token to end every session."));
            accounts.endSessions(caller.userId());
        }
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Change your password", security = @SecurityRequirement(name = "bearer"), description = "From a "
            + "signed-in session (not an API key). Checks the current password (400 wrong-password; attempts are "
            + "throttled like sign-ins) and the password policy (400 weak-password), then ends every session of yours, "
            + "this one included: sign in again with the new password. API keys stay valid.")
    @PostMapping("/password")
    ResponseEntity<Void> changePassword(@Valid @RequestBody ChangePasswordRequest request, HttpServletResponse response) {
        Caller caller = Callers.require();
        LoginThrottle gate = throttle.getIfAvailable();
        Optional<LoginThrottle.Throttled> throttled = gate == null ? Optional.empty()
                : gate.check(caller.email(), SecurityEvents.clientAddress());
        if (throttled.isPresent()) {
            throw tooManyAttempts(throttled.get());
        }
        if (accounts.changePassword(caller.userId(), request.currentPassword(), request
                .newPassword()) == UserAccounts.PasswordChange.WRONG_PASSWORD) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "wrong-password",
                    "currentPassword is not your current password.");
        }
        BrowserSessions.end(response);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "The caller", security = @SecurityRequirement(name = "bearer"))
    @GetMapping("/me")
    Me me() {
        Caller caller = Callers.require();
        TenantView tenant = tenants.current().map(t -> new TenantView(t.id(), t.slug(), t.name())).orElse(null);
        return new Me(caller.userId(), caller.email(), caller.role().name(), tenant);
    }

    @Operation(summary = "Create a tenant with its first admin", description = "Off unless switchboard.identity.signup-enabled=true.")
    @PostMapping("/signup")
    ResponseEntity<SignupResult> signup(@Valid @RequestBody SignupRequest request) {
        if (!properties.signupEnabled()) {
            throw new SwitchboardException(HttpStatus.FORBIDDEN, "signup-disabled",
                    "Sign-up is disabled on this server; ask an administrator for an account.");
        }
        User admin = accounts.createTenantWithAdmin(request.tenant(), request.tenant(), request.email(), request.password());
        return ResponseEntity.status(HttpStatus.CREATED).body(new SignupResult(
                new NewTenant(admin.tenantId(), request.tenant()), UserView.of(admin)));
    }

    private static SwitchboardException tooManyAttempts(LoginThrottle.Throttled why) {
        SwitchboardException refusal = new SwitchboardException(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
                "Too many sign-in attempts " + why.reason() + "; retry after " + why.retryAfterSeconds() + " s.");
        refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(why.retryAfterSeconds()));
        refusal.getHeaders().set("RateLimit-Limit", String.valueOf(why.limit()));
        refusal.getHeaders().set("RateLimit-Remaining", "0");
        refusal.getHeaders().set("RateLimit-Reset", String.valueOf(why.resetSeconds()));
        return refusal;
    }

    private static TokenPair issued(TokenSessions.Outcome outcome) {
        return switch (outcome) {
            case TokenSessions.Outcome.Issued issued -> issued.tokens();
            case TokenSessions.Outcome.Throttled throttled -> throw tooManyAttempts(throttled.why());
            case TokenSessions.Outcome.Refused refused -> {
                SwitchboardException refusal = new SwitchboardException(HttpStatus.UNAUTHORIZED, "invalid-credentials",
                        refused.reason());
                refusal.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, ProblemSecurityHandlers.CHALLENGE);
                throw refusal;
            }
        };
    }
}
