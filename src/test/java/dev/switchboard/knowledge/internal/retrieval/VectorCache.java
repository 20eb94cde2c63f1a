package dev.switchboard.knowledge.internal.retrieval;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Embeddings already computed, by SHA-256 of the embedded text, in an append-only file: re-running the SciFact
 * evaluation with other fusion or BM25 settings, or the answer-quality tests, then costs no embedding. Only for the
 * evaluation harness and those tests; one file per model (the model id is in its name), so a text's vector is found
 * by model and text. Delete the file to start afresh.
 * <p>
 * Several builds on one machine may share a file (a CI run beside a developer's): each append and the initial read
 * hold an exclusive lock on it, an entry is written in one piece, and an entry torn by a killed run is cut off when
 * the file is next read, so that what follows it stays readable.
 */
final class VectorCache {

    private static final int BATCH = 256;

    /** Hex SHA-256: what every key is; anything else means the file is torn at that point. */
    private static final int KEY_LENGTH = 64;

    private static final int MAX_DIMENSION = 4_096;

    private final Path file;
    private final Map<String, float[]> vectors = new HashMap<>();

    VectorCache(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            long valid = read(new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel))));
            if (valid < channel.size()) {
                channel.truncate(valid);
            }
        }
    }

    /** Reads entries until the end or the first torn one; returns the length of the readable part. */
    private long read(DataInputStream in) throws IOException {
        long valid = 0;
        try {
            while (true) {
                String key = in.readUTF();
                int dimension = in.readInt();
                if (key.length() != KEY_LENGTH || dimension <= 0 || dimension > MAX_DIMENSION) {
                    return valid;
                }
                float[] vector = new float[dimension];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = in.readFloat();
                }
                vectors.put(key, vector);
                valid += 2 + KEY_LENGTH + 4 + 4L * dimension;
            }
        }
        catch (EOFException | UTFDataFormatException end) {
            return valid;
        }
    }

    int size() {
        return vectors.size();
    }

    /**
     * The vectors of the texts, embedding only the ones not cached, a batch at a time, each batch appended to the
     * file as soon as it is done (an interrupted run keeps what it embedded).
     */
    List<float[]> vectors(List<String> texts, Function<List<String>, List<float[]>> embed) throws IOException {
        List<String> missing = texts.stream().filter(text -> !vectors.containsKey(key(text))).distinct().toList();
        for (int from = 0; from < missing.size(); from += BATCH) {
            List<String> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
            append(batch, embed.apply(batch));
        }
        List<float[]> result = new ArrayList<>(texts.size());
        for (String text : texts) {
            result.add(vectors.get(key(text)));
        }
        return result;
    }

    private void append(List<String> texts, List<float[]> computed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int i = 0; i < texts.size(); i++) {
                String key = key(texts.get(i));
                vectors.put(key, computed.get(i));
                out.writeUTF(key);
                out.writeInt(computed.get(i).length);
                for (float component : computed.get(i)) {
                    out.writeFloat(component);
                }
            }
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND); FileLock ignored = channel.lock()) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static String key(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
