package dev.switchboard.knowledge.internal.ingestion;

import java.util.UUID;

/** Where documents wait for ingestion: a persistent job per document, started by a worker of some replica. */
public interface IngestionQueue {

    /** Queues the document; when called inside a transaction, the job exists only if that transaction commits. */
    void enqueue(UUID tenantId, UUID documentId);
}
