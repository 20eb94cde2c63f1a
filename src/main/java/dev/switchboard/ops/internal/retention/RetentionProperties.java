package dev.switchboard.ops.internal.retention;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long rows that only matter for a while are kept ({@code switchboard.retention}); chat sessions have their
 * own {@code switchboard.chat.retention}.
 *
 * @param interval how often the retention job runs (on every replica; batches never collide)
 * @param batch rows deleted per transaction
 * @param refreshTokens how long a refresh token is kept after it expired or was revoked
 * @param auditEvents how long audit events are kept
 * @param usage how long usage rows (per minute) are kept
 * @param oauthAuthorizations how long an OAuth authorization is kept after all its tokens expired
 * @param oauthClients how long a dynamically registered OAuth client is kept while nobody has authorized it
 */
@Validated
@ConfigurationProperties("switchboard.retention")
record RetentionProperties(
        @NotNull @DefaultValue("PT1H") Duration interval,
        @Min(1) @Max(100_000) @DefaultValue("1000") int batch,
        @NotNull @DefaultValue("P7D") Duration refreshTokens,
        @NotNull @DefaultValue("P365D") Duration auditEvents,
        @NotNull @DefaultValue("P400D") Duration usage,
        @NotNull @DefaultValue("P1D") Duration oauthAuthorizations,
        @NotNull @DefaultValue("P1D") Duration oauthClients) {

    RetentionProperties {
        positive("interval", interval);
        positive("refresh-tokens", refreshTokens);
        positive("audit-events", auditEvents);
        positive("usage", usage);
        positive("oauth-authorizations", oauthAuthorizations);
        positive("oauth-clients", oauthClients);
    }

    /** The retention named by a task's {@link dev.switchboard.shared.RetentionTask#setting()}. */
    Duration of(String setting) {
        return switch (setting) {
            case "refresh-tokens" -> refreshTokens;
            case "audit-events" -> auditEvents;
            case "usage" -> usage;
            case "oauth-authorizations" -> oauthAuthorizations;
            case "oauth-clients" -> oauthClients;
            default -> throw new IllegalStateException("No setting switchboard.retention." + setting
                    + " for a retention task; add it to RetentionProperties");
        };
    }

    private static void positive(String name, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new IllegalArgumentException("switchboard.retention." + name + " must be positive, e.g. P30D, was " + value);
        }
    }
}
