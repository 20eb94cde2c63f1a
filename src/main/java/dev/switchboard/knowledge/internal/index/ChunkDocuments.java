package dev.switchboard.knowledge.internal.index;

import java.nio.ByteBuffer;
import java.util.UUID;

import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/** The Lucene document of a chunk and back: field names and what each field is for. */
final class ChunkDocuments {

    /** Exact-match keys (indexed, stored): filters, upsert and deletion terms. */
    static final String TENANT = "tenant_id";
    static final String KNOWLEDGE_BASE = "knowledge_base_id";
    static final String DOCUMENT = "document_id";
    static final String CHUNK = "chunk_id";
    /**
     * The chunk id again, as 16 bytes of doc values: a candidate's id without decompressing its stored fields, so a
     * search reads the stored fields of the hits it keeps only. Chunks written before it have none (their ids come
     * from the stored fields).
     */
    static final String CHUNK_KEY = "chunk_key";
    /** Stored only: what a hit shows. */
    static final String DOCUMENT_NAME = "document_name";
    static final String ORDINAL = "ordinal";
    static final String LOCATION = "location";
    /** Analysed for BM25 and stored for citations. */
    static final String TEXT = "text";
    /**
     * The embedding: HNSW, dot product (vectors are unit length, so it is their cosine). One field per model
     * ({@code vector.<model id>}): a field has one dimension, and models never share a space.
     */
    static final String VECTOR_PREFIX = "vector.";

    private ChunkDocuments() {
    }

    static Document toDocument(IndexedChunk chunk) {
        Document document = new Document();
        document.add(new StringField(TENANT, chunk.tenantId().toString(), Field.Store.YES));
        document.add(new StringField(KNOWLEDGE_BASE, chunk.knowledgeBaseId().toString(), Field.Store.YES));
        document.add(new StringField(DOCUMENT, chunk.documentId().toString(), Field.Store.YES));
        document.add(new StringField(CHUNK, chunk.chunkId().toString(), Field.Store.YES));
        document.add(new BinaryDocValuesField(CHUNK_KEY, new BytesRef(uuidBytes(chunk.chunkId()))));
        document.add(new StoredField(DOCUMENT_NAME, nullToEmpty(chunk.documentName())));
        document.add(new StoredField(ORDINAL, chunk.ordinal()));
        document.add(new StoredField(LOCATION, nullToEmpty(chunk.location())));
        document.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
        document.add(new KnnFloatVectorField(vectorField(chunk.model()), Vectors.unitLength(chunk.vector()),
                VectorSimilarityFunction.DOT_PRODUCT));
        return document;
    }

    /** The vector field of a model's embeddings. */
    static String vectorField(String model) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("An indexed vector needs the id of the model that made it");
        }
        return VECTOR_PREFIX + model;
    }

    static ChunkHit toHit(Document document, double score) {
        return new ChunkHit(UUID.fromString(document.get(CHUNK)), UUID.fromString(document.get(DOCUMENT)), document.get(DOCUMENT_NAME),
                UUID.fromString(document.get(KNOWLEDGE_BASE)), document.getField(ORDINAL).numericValue().intValue(),
                document.get(LOCATION), document.get(TEXT), score);
    }

    static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    static UUID uuid(BytesRef bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
