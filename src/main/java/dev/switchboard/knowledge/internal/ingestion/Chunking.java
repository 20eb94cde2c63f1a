package dev.switchboard.knowledge.internal.ingestion;

import java.util.List;

import dev.switchboard.knowledge.internal.chunking.Chunk;
import dev.switchboard.knowledge.internal.parsing.ParsedDocument;

/** The chunking step of ingestion: a parsed document into ordered chunks (deterministic for the same input). */
@FunctionalInterface
public interface Chunking {

    List<Chunk> chunk(ParsedDocument document);
}
