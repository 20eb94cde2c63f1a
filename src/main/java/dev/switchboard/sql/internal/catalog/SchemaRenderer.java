package dev.switchboard.sql.internal.catalog;

import java.util.ArrayList;
import java.util.List;

import dev.switchboard.llm.LlmRequest;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Column;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.ForeignKey;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Table;

/**
 * Tables as compact DDL-like text for a prompt: one {@code CREATE TABLE} per table, one line per column with its type,
 * {@code NOT NULL}, and its comment (and whether answers mask it) after {@code --}; the primary key and foreign keys
 * last. Tables are written in the order given until the token budget is spent (estimated as the llm module estimates
 * prompts); a final comment says how many did not fit, so the model knows the list is partial.
 */
public final class SchemaRenderer {

    private SchemaRenderer() {
    }

    /** The rendered text and the tables it holds. */
    public record Rendered(String text, List<String> tables, int omitted) {
    }

    public static Rendered render(List<Table> tables, long tokenBudget) {
        StringBuilder text = new StringBuilder();
        List<String> written = new ArrayList<>();
        long used = 0;
        for (Table table : tables) {
            String ddl = ddl(table);
            long tokens = LlmRequest.estimateTokens(ddl);
            if (used + tokens > tokenBudget) {
                continue;
            }
            text.append(ddl);
            used += tokens;
            written.add(table.name());
        }
        int omitted = tables.size() - written.size();
        if (omitted > 0) {
            text.append("-- ").append(omitted).append(omitted == 1 ? " more table is" : " more tables are")
                    .append(" not shown here.\n");
        }
        return new Rendered(text.toString(), List.copyOf(written), omitted);
    }

    /** One table's DDL-like text, ending with a blank line. */
    static String ddl(Table table) {
        StringBuilder ddl = new StringBuilder();
        if (!table.comment().isBlank()) {
            ddl.append("-- ").append(oneLine(table.comment())).append('\n');
        }
        ddl.append("CREATE TABLE ").append(table.name()).append(" (\n");
        List<String[]> lines = new ArrayList<>();
        for (Column column : table.columns()) {
            lines.add(new String[] {"  " + column.name() + " " + column.type() + (column.nullable() ? "" : " NOT NULL"), note(column)});
        }
        if (!table.primaryKey().isEmpty()) {
            lines.add(new String[] {"  PRIMARY KEY (" + String.join(", ", table.primaryKey()) + ")", ""});
        }
        for (ForeignKey key : table.foreignKeys()) {
            lines.add(new String[] {"  FOREIGN KEY (" + String.join(", ", key.columns()) + ") REFERENCES " + key.referencedTable()
                    + " (" + String.join(", ", key.referencedColumns()) + ")", ""});
        }
        for (int i = 0; i < lines.size(); i++) {
            ddl.append(lines.get(i)[0]).append(i < lines.size() - 1 ? "," : "");
            if (!lines.get(i)[1].isEmpty()) {
                ddl.append(" -- ").append(lines.get(i)[1]);
            }
            ddl.append('\n');
        }
        return ddl.append(");\n\n").toString();
    }

    /** What a column's comment says, and whether answers mask it. */
    private static String note(Column column) {
        String comment = oneLine(column.comment());
        if (!column.masked()) {
            return comment;
        }
        return comment.isEmpty() ? "(masked in answers)" : comment + " (masked in answers)";
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
