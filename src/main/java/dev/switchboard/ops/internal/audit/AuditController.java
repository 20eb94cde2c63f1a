package dev.switchboard.ops.internal.audit;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "Audit")
@SecurityRequirement(name = "bearer")
@RestController
@RequestMapping("/api/audit")
@PreAuthorize("hasRole('ADMIN')")
class AuditController {

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    /** A page of the audit log; {@code nextBefore} only when there may be more. */
    record AuditPage(List<AuditLog.Entry> entries,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Pass as before= for the next page; absent on the last page.") Long nextBefore) {
    }

    @Operation(summary = "The tenant's audit log", description = "Newest first. Actions: sign-ins auth.login, "
            + "auth.login_failed (with the reason), auth.login_throttled, auth.refresh_reuse; auth.logout, auth.sessions_ended, "
            + "auth.password_changed, auth.password_change_failed; sign-ups tenant.created; oauth.authorized (an MCP client's "
            + "consent); user.created, user.updated, user.deleted; key.created, key.revoked; provider.created, provider.updated, "
            + "provider.deleted; mcp_server.created, mcp_server.updated, mcp_server.deleted; sql_connection.created, "
            + "sql_connection.updated, sql_connection.deleted; persona.created, persona.updated, persona.restored, "
            + "persona.deleted; sql.asked (a database question, with its SQL and outcome). Filters (all optional, combined): "
            + "action (exact, e.g. auth.login), actor (the actor's e-mail address, ignoring case), from (inclusive) and to "
            + "(exclusive) as ISO-8601 instants. Page with before=<nextBefore of the previous page>, keeping the filters.")
    @GetMapping
    AuditPage entries(@RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @Size(max = 200) String action,
            @RequestParam(required = false) @Size(max = 320) String actor,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request", "from must be before to.");
        }
        List<AuditLog.Entry> entries = log.entries(new AuditLog.Filter(blankToNull(action), blankToNull(actor), from, to, before,
                limit));
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).id() : null;
        return new AuditPage(entries, next);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
