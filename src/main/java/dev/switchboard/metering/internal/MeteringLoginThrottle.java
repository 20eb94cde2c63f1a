package dev.switchboard.metering.internal;

import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.LoginThrottle;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sign-in attempts per client address (an IPv6 client by its /64, see {@link ClientAddressKey}) and per
 * account: password guessing is throttled with 429 from either side, whether the account exists or not (so
 * the answer reveals nothing).
 */
@Component
class MeteringLoginThrottle implements LoginThrottle {

    private final RateLimiter limiter;
    private final Limit perAddress;
    private final Limit perAccount;
    private final MeterRegistry meters;

    MeteringLoginThrottle(RateLimiter limiter, MeteringProperties properties, MeterRegistry meters) {
        this.limiter = limiter;
        this.perAddress = Limit.perMinute("login-address", properties.loginPerAddressPerMinute());
        this.perAccount = Limit.perMinute("login-account", properties.loginPerAccountPerMinute());
        this.meters = meters;
    }

    @Override
    public Optional<Throttled> check(String email, String address) {
        RateDecision byAddress = limiter.consume(perAddress, ClientAddressKey.of(address), 1);
        if (!byAddress.allowed()) {
            return refused(byAddress, "from this address");
        }
        RateDecision byAccount = limiter.consume(perAccount, email.strip().toLowerCase(Locale.ROOT), 1);
        return byAccount.allowed() ? Optional.empty() : refused(byAccount, "for this account");
    }

    private Optional<Throttled> refused(RateDecision decision, String reason) {
        meters.counter("switchboard.rate_limit.rejections", "limit", decision.limit().name()).increment();
        return Optional.of(new Throttled(decision.retryAfterSeconds(), decision.limit().capacity(),
                decision.resetSeconds(), reason));
    }
}
