package dev.switchboard.knowledge.internal.index;

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
}
