package dev.switchboard.identity.internal.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class PasswordHashingSlotsTests {

    private final MutableClock clock = MutableClock.stoppedAt(Instant.parse("2026-12-05T00:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void refusesBeyondTheBoundWith503AndRetryAfter() {
        PasswordHashingSlots slots = new PasswordHashingSlots(2, Duration.ZERO, clock, meters);
        try (PasswordHashingSlots.Slot first = slots.acquire(); PasswordHashingSlots.Slot second = slots.acquire()) {
            assertThatThrownBy(slots::acquire).isInstanceOfSatisfying(SwitchboardException.class, busy -> {
                assertThat(busy.getStatusCode().value()).isEqualTo(503);
                assertThat(busy.getBody().getType().toString()).endsWith(PasswordHashingSlots.BUSY);
                assertThat(busy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            });
            assertThat(meters.get("switchboard.password_hashing.in_flight").gauge().value()).isEqualTo(2);
        }
        assertThat(meters.get("switchboard.password_hashing.refused").counter().count()).isEqualTo(1);
        assertThat(meters.get("switchboard.password_hashing.in_flight").gauge().value()).isZero();
        assertThat(meters.get("switchboard.password_hashing.peak").gauge().value()).isEqualTo(2);
        try (PasswordHashingSlots.Slot again = slots.acquire()) {
            assertThat(slots.inFlight()).isEqualTo(1);
        }
    }

    @Test
    void retryAfterFollowsTheMeasuredHashTime() {
        PasswordHashingSlots slots = new PasswordHashingSlots(1, Duration.ZERO, clock, meters);
        try (PasswordHashingSlots.Slot slot = slots.acquire()) {
            clock.advance(Duration.ofSeconds(4));
        }
        assertThat(slots.retryAfterSeconds()).isEqualTo(4);
        try (PasswordHashingSlots.Slot held = slots.acquire()) {
            assertThatThrownBy(slots::acquire).isInstanceOfSatisfying(SwitchboardException.class,
                    busy -> assertThat(busy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("4"));
        }
    }

    @Test
    void aWaiterGetsTheSlotWhenItIsReleased() throws Exception {
        PasswordHashingSlots slots = new PasswordHashingSlots(1, Duration.ofMinutes(5), clock, meters);
        PasswordHashingSlots.Slot held = slots.acquire();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
                try (PasswordHashingSlots.Slot slot = slots.acquire()) {
                    return slots.inFlight();
                }
            }, threads);
            await().until(() -> slots.waiting() == 1);
            assertThat(meters.get("switchboard.password_hashing.waiting").gauge().value()).isEqualTo(1);
            assertThat(waiter).isNotDone();
            held.close();
            assertThat(waiter.get()).isEqualTo(1);
        }
        assertThat(slots.peak()).isEqualTo(1);
        assertThat(slots.waiting()).isZero();
    }

    @Test
    void aBoundedEncoderHashesInASlot() {
        PasswordHashingSlots slots = new PasswordHashingSlots(1, Duration.ZERO, clock, meters);
        int[] seen = new int[1];
        BoundedPasswordEncoder encoder = new BoundedPasswordEncoder(new org.springframework.security.crypto.password.PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                seen[0] = slots.inFlight();
                return "hash:" + raw;
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                seen[0] = slots.inFlight();
                return encoded.equals("hash:" + raw);
            }
        }, slots);
        assertThat(encoder.encode("secret")).isEqualTo("hash:secret");
        assertThat(seen[0]).isEqualTo(1);
        seen[0] = 0;
        assertThat(encoder.matches("secret", "hash:secret")).isTrue();
        assertThat(seen[0]).isEqualTo(1);
        try (PasswordHashingSlots.Slot held = slots.acquire()) {
            assertThatThrownBy(() -> encoder.matches("secret", "hash:secret")).isInstanceOf(SwitchboardException.class);
        }
        assertThat(slots.inFlight()).isZero();
    }
}
