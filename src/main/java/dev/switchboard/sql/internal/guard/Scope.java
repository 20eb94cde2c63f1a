package dev.switchboard.sql.internal.guard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.switchboard.sql.internal.TableAccess;

/**
 * The names visible at one level of a query: the common table expressions its WITH clause declares, the
 * tables and derived tables its FROM clause introduces, and the output names of its select list (which only a
 * bare ORDER BY item may use). A reference is resolved innermost-first, as the engines do, so a CTE shadows a
 * table of the same name only inside the WITH that declares it.
 */
final class Scope {

    /** A FROM item: a base table from the allow-list, or a derived table whose body was checked on its own. */
    record Source(String referenceName, String qualifiedName, TableAccess table) {

        boolean base() {
            return this.table != null;
        }

    }

    private final Scope parent;

    private final Set<String> commonTables = new HashSet<>();

    private final List<Source> sources = new ArrayList<>();

    private final Map<String, Boolean> outputNames = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    void declareCommonTable(String name) {
        this.commonTables.add(name);
    }

    boolean isCommonTable(String name) {
        return this.commonTables.contains(name) || (this.parent != null && this.parent.isCommonTable(name));
    }

    void add(Source source) {
        this.sources.add(source);
    }

    void addOutputName(String name) {
        this.outputNames.put(name, Boolean.TRUE);
    }

    boolean isOutputName(String name) {
        return this.outputNames.containsKey(name);
    }

    /** The sources of this level only (for {@code *}). */
    List<Source> ownSources() {
        return List.copyOf(this.sources);
    }

    /** Every source a column may resolve to: this level's, then each enclosing level's (correlation). */
    List<Source> visibleSources() {
        List<Source> all = new ArrayList<>(this.sources);
        if (this.parent != null) {
            all.addAll(this.parent.visibleSources());
        }
        return all;
    }

    /** The innermost source named {@code qualifier} (an alias, a table name or {@code schema.table}). */
    Optional<Source> find(String qualifier) {
        for (Source source : this.sources) {
            if (qualifier.equals(source.referenceName()) || qualifier.equals(source.qualifiedName())) {
                return Optional.of(source);
            }
        }
        return this.parent == null ? Optional.empty() : this.parent.find(qualifier);
    }

}
