package bench.support;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Profiles.*;
import static bench.support.Sessions.*;

import java.util.Arrays;

/**
 * Percentiles of measured latencies (nearest rank on a sorted copy).
 */
public final class Percentiles {

    public static double pct(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1))];
    }

}
