package dev.switchboard.knowledge;

import java.time.Instant;
import java.util.UUID;

/** A named collection of documents that personas answer from. */
public record KnowledgeBase(UUID id, String name, String description, Instant createdAt) {
}
