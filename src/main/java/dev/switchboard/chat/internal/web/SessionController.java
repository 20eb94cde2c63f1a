package dev.switchboard.chat.internal.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.identity.Callers;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "Sessions")
@SecurityRequirement(name = "bearer")
@RestController
@PreAuthorize("hasAuthority('SCOPE_chat')")
class SessionController {

    private final Sessions sessions;
    private final Clock clock;

    SessionController(Sessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    record SessionView(UUID id, UUID agentId, String title, Instant createdAt, Instant lastActivityAt, Instant expiresAt,
            boolean expired) {
    }

    record Rename(@NotBlank @Size(max = 200) String title) {
    }

    /** A page of sessions; {@code next} only when there may be more. */
    record SessionPage(List<SessionView> sessions,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Pass as cursor= for the next page; absent on the last page.") String next) {
    }

    /** A page of messages; {@code next} only when there may be more. */
    record MessagePage(List<ChatMessage> messages,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Pass as after= for the next page; absent on the last page.") Long next) {
    }

    /** A session and every message, as format=json exports it. */
    record SessionExport(SessionView session, List<ChatMessage> messages) {
    }

    private SessionView view(ChatSession session) {
        return new SessionView(session.id(), session.personaId(), session.title(), session.createdAt(), session.lastActivityAt(),
                session.expiresAt(), session.expiredAt(clock.instant()));
    }

    @Operation(summary = "My sessions", description = "Newest activity first. Page with cursor=<next of the previous page>. "
            + "q= searches: only sessions whose title or a message (yours or the assistant's) contains every word of q, "
            + "each word as a prefix (\"kube\" finds \"Kubernetes\"); keep q the same on every page.")
    @GetMapping("/api/sessions")
    SessionPage list(@RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
            @RequestParam(required = false) @Size(max = 200) String q) {
        Instant before = null;
        UUID beforeId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
                before = Instant.parse(parts[0]);
                beforeId = UUID.fromString(parts[1]);
            }
            catch (RuntimeException ex) {
                throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request", "cursor: use the next value of the previous page.");
            }
        }
        UUID user = Callers.require().userId();
        List<ChatSession> page = q == null || q.isBlank() ? sessions.list(user, before, beforeId, limit)
                : sessions.search(user, q, before, beforeId, limit);
        String next = null;
        if (page.size() == limit) {
            ChatSession last = page.getLast();
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.lastActivityAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return new SessionPage(page.stream().map(this::view).toList(), next);
    }

    @Operation(summary = "One of my sessions")
    @GetMapping("/api/sessions/{id}")
    SessionView show(@PathVariable UUID id) {
        return view(sessions.mine(id));
    }

    @Operation(summary = "A session's messages", description = "Oldest first, every message as stored (failed and "
            + "incomplete ones included). Page with after=<next of the previous page>.")
    @GetMapping("/api/sessions/{id}/messages")
    MessagePage messages(@PathVariable UUID id, @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        List<ChatMessage> page = sessions.messages(id, after, limit);
        return new MessagePage(page, page.size() == limit ? page.getLast().seq() : null);
    }

    @Operation(summary = "Rename a session")
    @PatchMapping("/api/sessions/{id}")
    SessionView rename(@PathVariable UUID id, @Valid @RequestBody Rename rename) {
        return view(sessions.rename(id, rename.title().strip()));
    }

    @Operation(summary = "Delete a session", description = "It disappears at once; its messages are purged by the retention job.")
    @DeleteMapping("/api/sessions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        sessions.delete(id);
    }

    @Operation(summary = "Export a session", description = "format=json (the session and every message) or markdown.")
    @ApiResponse(responseCode = "200", description = "The export, as an attachment", content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = SessionExport.class)),
            @Content(mediaType = "text/markdown", schema = @Schema(type = "string"))})
    @GetMapping("/api/sessions/{id}/export")
    ResponseEntity<?> export(@PathVariable UUID id, @RequestParam(defaultValue = "json") String format) {
        ChatSession session = sessions.mine(id);
        List<ChatMessage> messages = sessions.all(id);
        String filename = "session-" + id;
        if (format.equals("markdown")) {
            return ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + ".md\"")
                    .contentType(new MediaType("text", "markdown", StandardCharsets.UTF_8))
                    .body(Markdown.of(session, messages));
        }
        if (!format.equals("json")) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request", "format: json or markdown.");
        }
        SessionExport body = new SessionExport(view(session), messages);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + ".json\"")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
