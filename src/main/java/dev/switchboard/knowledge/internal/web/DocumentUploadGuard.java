package dev.switchboard.knowledge.internal.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.knowledge.internal.KnowledgeBases;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.RequestPaths;

/**
 * Decides a document upload before its body is read: Spring resolves multipart requests lazily
 * ({@code spring.servlet.multipart.resolve-lazily}), so without this a caller who may not upload would still have
 * the whole body parsed and written to temporary files before the controller's authorisation refused it. Checked
 * here, after authentication: a caller (401), the admin role and the {@code knowledge:write} scope (403, the
 * controller's own rule), and the knowledge base when it is declared in the query string (400 malformed, 404
 * unknown). A refusal asks the client to close the connection, so the unread body is not swallowed either.
 */
class DocumentUploadGuard extends OncePerRequestFilter {

    static final String PATH = "/api/documents";
    private static final String KNOWLEDGE_BASE = "knowledgeBaseId";

    private final KnowledgeBases bases;
    private final ProblemResponder problems;

    DocumentUploadGuard(KnowledgeBases bases, ProblemResponder problems) {
        this.bases = bases;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !PATH.equals(RequestPaths.of(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ProblemDetail> refusal = refusal(request);
        if (refusal.isPresent()) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            problems.send(request, response, refusal.get());
            return;
        }
        chain.doFilter(request, response);
    }

    private Optional<ProblemDetail> refusal(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.of(Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "Uploading a document needs a signed-in admin or an API key with the knowledge:write scope."));
        }
        // The rule of KnowledgeController.WRITE; when issue 12 point 4 gives "acts as admin" one home, call it here too.
        if (!has(authentication, "ROLE_ADMIN") || !has(authentication, "SCOPE_knowledge:write")) {
            return Optional.of(Problems.of(HttpStatus.FORBIDDEN, "forbidden",
                    "Uploading documents needs the admin role and the knowledge:write scope."));
        }
        Optional<String> declared = queryParameter(request, KNOWLEDGE_BASE);
        if (declared.isEmpty()) {
            return Optional.empty();
        }
        UUID knowledgeBase;
        try {
            knowledgeBase = UUID.fromString(declared.get());
        }
        catch (IllegalArgumentException ex) {
            return Optional.of(Problems.of(HttpStatus.BAD_REQUEST, "validation",
                    "knowledgeBaseId: not a knowledge base id (a UUID)."));
        }
        if (bases.find(knowledgeBase).isEmpty()) {
            return Optional.of(Problems.of(HttpStatus.NOT_FOUND, "not-found", "There is no knowledge base " + knowledgeBase + "."));
        }
        return Optional.empty();
    }

    private static boolean has(Authentication authentication, String authority) {
        for (GrantedAuthority granted : authentication.getAuthorities()) {
            if (authority.equals(granted.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A parameter of the query string only: {@code getParameter} would parse the multipart body to find it.
     */
    static Optional<String> queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return Optional.of(equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
