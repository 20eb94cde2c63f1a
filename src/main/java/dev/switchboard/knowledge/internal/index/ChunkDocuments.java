package dev.switchboard.knowledge.internal.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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
    /**
     * What the chunk was written from, as 16 bytes of doc values ({@link #fingerprint}): the index follower leaves a chunk
     * alone when the index already holds it exactly as its row is, instead of writing it a second time. Chunks written
     * before it have none, so they are written again once.
     */
    static final String FINGERPRINT = "fingerprint";
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
        document.add(new BinaryDocValuesField(FINGERPRINT, new BytesRef(fingerprint(chunk))));
        document.add(new StoredField(DOCUMENT_NAME, nullToEmpty(chunk.documentName())));
        document.add(new StoredField(ORDINAL, chunk.ordinal()));
        document.add(new StoredField(LOCATION, nullToEmpty(chunk.location())));
        document.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
        document.add(new KnnFloatVectorField(vectorField(chunk.model()), Vectors.unitLength(chunk.vector()),
                VectorSimilarityFunction.DOT_PRODUCT));
        return document;
    }

    /**
     * The first 16 bytes of the SHA-256 of everything the chunk's document is made of (ids, name, ordinal, location,
     * text, model, vector): equal fingerprints mean an equal document.
     */
    static byte[] fingerprint(IndexedChunk chunk) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every JDK has SHA-256", ex);
        }
        ByteBuffer fixed = ByteBuffer.allocate(4 * 16 + 4 + 4 * chunk.vector().length);
        for (UUID id : new UUID[] {chunk.tenantId(), chunk.knowledgeBaseId(), chunk.documentId(), chunk.chunkId()}) {
            fixed.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        }
        fixed.putInt(chunk.ordinal());
        for (float value : chunk.vector()) {
            fixed.putFloat(value);
        }
        digest.update(fixed.array());
        for (String text : new String[] {chunk.documentName(), chunk.location(), chunk.text(), chunk.model()}) {
            // length-prefixed, and null apart from empty: no two different field lists make the same bytes
            byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
            digest.update(ByteBuffer.allocate(4).putInt(text == null ? -1 : bytes.length).array());
            digest.update(bytes);
        }
        return Arrays.copyOf(digest.digest(), 16);
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
