package dev.switchboard.shared;

import org.springframework.util.unit.DataSize;

/**
 * A larger body limit for the requests under one path (uploads), contributed by a module as a bean. Other
 * requests keep {@code switchboard.http.max-body}. A declared length over the limit is refused with 413
 * before anything reads the body; a chunked body under such a path is passed on for its handler to count.
 */
public record BodyLimit(String pathPrefix, DataSize max) {
}
