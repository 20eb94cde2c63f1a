package dev.switchboard.metering.internal;

import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Callers;
import dev.switchboard.llm.ModelCallQuota;
import dev.switchboard.metering.TokenQuota;

/** {@link ModelCallQuota} for the signed-in caller, by the same rule as chat turns ({@link TokenQuota#reserveOrRefuse}). */
@Component
class CallerModelQuota implements ModelCallQuota {

    private final TokenQuota quota;

    CallerModelQuota(TokenQuota quota) {
        this.quota = quota;
    }

    @Override
    public Reserved reserve(long tokens, String what) {
        Optional<TokenQuota.Reservation> reservation = Callers.current()
                .flatMap(caller -> quota.reserveOrRefuse(caller, tokens, what));
        return used -> reservation.ifPresent(r -> quota.settle(r, used));
    }
}
