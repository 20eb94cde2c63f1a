package dev.switchboard.knowledge.internal.retrieval;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
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
 * evaluation with other fusion or BM25 settings, or with chunk sizes that leave most abstracts whole, then costs
 * no embedding. Only for the evaluation harness; one file per model (the model id is in its name), so a text's
 * vector is found by model and text. Delete the file to start afresh.
 */
final class VectorCache {

    private static final int BATCH = 256;

    private final Path file;
    private final Map<String, float[]> vectors = new HashMap<>();

    VectorCache(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                while (true) {
                    String key = in.readUTF();
                    float[] vector = new float[in.readInt()];
                    for (int i = 0; i < vector.length; i++) {
                        vector[i] = in.readFloat();
                    }
                    vectors.put(key, vector);
                }
            }
            catch (EOFException end) {
                // the whole file was read (a torn last entry from an interrupted run is dropped)
            }
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
        Files.createDirectories(file.getParent());
        try (OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
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
