package dev.switchboard.knowledge.internal.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Unit-length vectors: the index compares by dot product, which equals cosine only for them. */
public final class Vectors {

    private Vectors() {
    }

    /**
     * The vector itself when already of unit length (the usual case), else a normalised copy.
     *
     * @throws IllegalArgumentException for a vector without direction (all zeros, or not finite)
     */
    public static float[] unitLength(float[] vector) {
        double squares = 0;
        for (float component : vector) {
            squares += (double) component * component;
        }
        if (squares == 0 || !Double.isFinite(squares)) {
            throw new IllegalArgumentException("A vector without direction (all zeros or not finite)");
        }
        if (Math.abs(squares - 1) < 1e-4) {
            return vector;
        }
        float[] unit = new float[vector.length];
        double norm = Math.sqrt(squares);
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    /** The vector as the chunk rows store it: float4 values, little-endian. */
    public static byte[] toBytes(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return bytes.array();
    }

    /** A vector stored by {@link #toBytes}. */
    public static float[] fromBytes(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("A stored vector of " + bytes.length + " bytes is not a whole number of float4 values");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
