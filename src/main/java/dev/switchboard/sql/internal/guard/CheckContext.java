package dev.switchboard.sql.internal.guard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;

/**
 * The state of one analysis: the policy, the allow-list by name, every syntax node the rules looked at (so that
 * {@link NodeCoverage} can prove nothing was skipped) and the result positions of masked columns.
 */
final class CheckContext {

    private final GuardPolicy policy;

    private final Map<String, TableAccess> tables = new LinkedHashMap<>();

    private final Set<Object> checked = Collections.newSetFromMap(new IdentityHashMap<>());

    private final List<Integer> maskedOutputs = new ArrayList<>();

    CheckContext(GuardPolicy policy) {
        this.policy = policy;
        for (TableAccess access : policy.tables()) {
            this.tables.put(access.normalizedTable(), access);
        }
    }

    DatabaseKind kind() {
        return this.policy.kind();
    }

    Optional<TableAccess> table(String normalizedName) {
        return Optional.ofNullable(this.tables.get(normalizedName));
    }

    String readableTables() {
        return this.tables.isEmpty() ? "none" : this.tables.values().stream().map(TableAccess::table)
                .limit(30).collect(Collectors.joining(", "));
    }

    void checked(Object node) {
        this.checked.add(node);
    }

    boolean wasChecked(Object node) {
        return this.checked.contains(node);
    }

    void maskedOutput(int position) {
        this.maskedOutputs.add(position);
    }

    List<Integer> maskedOutputs() {
        return List.copyOf(this.maskedOutputs);
    }

}
