package dev.switchboard.llm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An ordered list of targets tried one after the other until one answers. The local extractive responder
 * always comes last, added here when the configuration does not name it, so that every chain answers.
 */
public record Chain(List<Target> targets) {

    public Chain {
        List<Target> ordered = new ArrayList<>(new LinkedHashSet<>(targets));
        ordered.remove(Target.LOCAL_EXTRACTIVE);
        ordered.add(Target.LOCAL_EXTRACTIVE);
        targets = List.copyOf(ordered);
    }

    /** Parses {@code a:m1, b:m2}; blank means only the local extractive responder. */
    public static Chain parse(String text) {
        List<Target> targets = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    targets.add(Target.parse(part.strip()));
                }
            }
        }
        return new Chain(targets);
    }

    @Override
    public String toString() {
        return String.join(",", targets.stream().map(Target::toString).toList());
    }
}
