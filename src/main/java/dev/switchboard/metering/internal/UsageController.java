package dev.switchboard.metering.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.identity.ApiKeyOwners;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "Usage")
@SecurityRequirement(name = "bearer")
@RestController
class UsageController {

    private final UsageQueries queries;
    private final BufferedUsageRecorder recorder;
    private final ApiKeyOwners keyOwners;

    UsageController(UsageQueries queries, BufferedUsageRecorder recorder, ApiKeyOwners keyOwners) {
        this.queries = queries;
        this.recorder = recorder;
        this.keyOwners = keyOwners;
    }

    /** Requests and LLM tokens in {@code [from, to)}, one row per group. */
    record UsageReport(Instant from, Instant to,
            @Schema(allowableValues = {
                    "day", "key", "user", "persona"}) String groupBy, List<UsageQueries.Row> rows) {
    }

    @Operation(summary = "The tenant's usage", description = "Requests and LLM tokens between from and to (ISO-8601, "
            + "default: the last 30 days), grouped by day, key, user or persona. By persona, requests are chat turns (errors: turns no target answered) "
            + "and the tokens those of their model calls.")
    @GetMapping("/api/usage")
    @PreAuthorize("hasRole('ADMIN')")
    UsageReport usage(@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "day") String groupBy) {
        UsageQueries.Grouping grouping = switch (groupBy) {
            case "day" -> UsageQueries.Grouping.DAY;
            case "key" -> UsageQueries.Grouping.KEY;
            case "user" -> UsageQueries.Grouping.USER;
            case "persona" -> UsageQueries.Grouping.PERSONA;
            default -> throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request",
                    "groupBy must be day, key, user or persona.");
        };
        return report(from, to, grouping, null);
    }

    @Operation(summary = "One API key's usage", description = "For the key's owner and admins.")
    @GetMapping("/api/keys/{id}/usage")
    UsageReport keyUsage(@PathVariable UUID id, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to) {
        Caller caller = Callers.require();
        if (keyOwners.ownerOf(id).filter(owner -> caller.actsAsAdmin() || owner.equals(caller.userId())).isEmpty()) {
            throw new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no API key " + id + ".");
        }
        return report(from, to, UsageQueries.Grouping.DAY, id);
    }

    private UsageReport report(Instant from, Instant to, UsageQueries.Grouping grouping, UUID keyId) {
        Instant end = to != null ? to : Instant.now();
        Instant start = from != null ? from : end.minus(30, ChronoUnit.DAYS);
        if (!start.isBefore(end)) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request", "from must be before to.");
        }
        recorder.flush();
        List<UsageQueries.Row> rows = queries.aggregate(start, end, grouping, keyId);
        return new UsageReport(start, end, grouping.name().toLowerCase(Locale.ROOT), rows);
    }
}
