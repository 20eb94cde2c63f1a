package bench.support;

import java.util.Collection;

/**
 * The verdict against a target. A target is met only when the figure is within it and no request of the measured
 * set failed: percentiles are taken over the requests that succeeded, so a run that lost requests says so instead.
 */
public final class Verdicts {

    private Verdicts() {
    }

    /** {@code met}, {@code **missed**}, or {@code **not met: N failed requests**} when any failed. */
    public static String verdict(boolean within, long failed) {
        if (failed > 0) {
            return "**not met: " + failed + " failed request" + (failed == 1 ? "" : "s") + "**";
        }
        return within ? "met" : "**missed**";
    }

    /** The verdict for the samples of the measured set (a sample that is not {@code ok} counts as failed). */
    public static String verdict(boolean within, Collection<Load.Sample> samples) {
        return verdict(within, samples.stream().filter(s -> !s.ok()).count());
    }

}
