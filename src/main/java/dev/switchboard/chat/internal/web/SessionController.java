package dev.switchboard.chat.internal.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

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

import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.identity.Callers;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
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

    record Rename(String title) {
    }

    private SessionView view(ChatSession session) {
        return new SessionView(session.id(), session.personaId(), session.title(), session.createdAt(), session.lastActivityAt(),
                session.expiresAt(), session.expiredAt(clock.instant()));
    }

    @Operation(summary = "My sessions", description = "Newest activity first. Page with cursor=<next of the previous page>.")
    @GetMapping("/api/sessions")
    Map<String, Object> list(@RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
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
        List<ChatSession> page = sessions.list(Callers.require().userId(), before, beforeId, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sessions", page.stream().map(this::view).toList());
        if (page.size() == limit) {
            ChatSession last = page.getLast();
            body.put("next", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.lastActivityAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8)));
        }
        return body;
    }

    @Operation(summary = "One of my sessions")
    @GetMapping("/api/sessions/{id}")
    SessionView show(@PathVariable UUID id) {
        return view(sessions.mine(id));
    }

    @Operation(summary = "A session's messages", description = "Oldest first, every message as stored (failed and "
            + "incomplete ones included). Page with after=<next of the previous page>.")
    @GetMapping("/api/sessions/{id}/messages")
    Map<String, Object> messages(@PathVariable UUID id, @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        List<ChatMessage> page = sessions.messages(id, after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messages", page);
        if (page.size() == limit) {
            body.put("next", page.getLast().seq());
        }
        return body;
    }

    @Operation(summary = "Rename a session")
    @PatchMapping("/api/sessions/{id}")
    SessionView rename(@PathVariable UUID id, @RequestBody Rename rename) {
        String title = rename == null || rename.title() == null ? "" : rename.title().strip();
        if (title.isEmpty() || title.length() > 200) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "title: 1-200 characters.");
        }
        return view(sessions.rename(id, title));
    }

    @Operation(summary = "Delete a session", description = "It disappears at once; its messages are purged by the retention job.")
    @DeleteMapping("/api/sessions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        sessions.delete(id);
    }

    @Operation(summary = "Export a session", description = "format=json (the session and every message) or markdown.")
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session", view(session));
        body.put("messages", messages);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + ".json\"")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
