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
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.knowledge.internal.KnowledgeBases;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.RequestPaths;

/**
 * Decides a document upload before its body is read: Spring resolves multipart requests lazily
 * ({@code spring.servlet.multipart.resolve-lazily}), so nothing has parsed or written the body when this runs. Who
 * may upload (401, 403) is decided earlier, by Spring Security's area rules ({@code ApiAreas}: the admin role and
 * the {@code knowledge:write} scope), which read no body either; this filter checks the knowledge base declared in
 * the query string (400 malformed, 404 unknown). A refusal asks the client to close the connection, so the unread
 * body is not swallowed.
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
