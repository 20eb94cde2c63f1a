package dev.switchboard.chat.internal.turn;

import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.metering.TokenQuota;
import dev.switchboard.shared.SwitchboardException;

/**
 * Stage 9 (around generation): the turn's worst case is reserved against the caller's daily token quota
 * before the model is called — so concurrent turns cannot overspend — and settled with the tokens used.
 */
@Component
class TurnMetering {

    private final TokenQuota quota;

    TurnMetering(TokenQuota quota) {
        this.quota = quota;
    }

    Optional<TokenQuota.Reservation> reserve(Caller caller, long tokens) {
        TokenQuota.Result result = quota.reserve(caller, tokens);
        if (!result.granted()) {
            SwitchboardException refused = new SwitchboardException(HttpStatus.TOO_MANY_REQUESTS, "token-quota-exceeded",
                    "This turn needs up to " + tokens + " tokens and your daily token quota has not that many left; retry in "
                            + result.decision().retryAfterSeconds() + " seconds or ask for a higher tier.");
            refused.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(result.decision().retryAfterSeconds()));
            throw refused;
        }
        return result.reservation();
    }

    void settle(Optional<TokenQuota.Reservation> reservation, long used) {
        reservation.ifPresent(r -> quota.settle(r, used));
    }
}
