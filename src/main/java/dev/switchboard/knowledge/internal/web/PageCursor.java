package dev.switchboard.knowledge.internal.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.switchboard.shared.SwitchboardException;

/** Where a page of documents ended: the last document's creation time and id, opaque to clients (base64url). */
record PageCursor(Instant at, UUID id) {

    static PageCursor parse(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            return new PageCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        }
        catch (RuntimeException ex) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request", "cursor: use the next value of the previous page.");
        }
    }

    String encoded() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + id).getBytes(StandardCharsets.UTF_8));
    }
}
