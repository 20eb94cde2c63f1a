package dev.switchboard.sql.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.sql.internal.catalog.SchemaCatalog.Column;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.ForeignKey;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Table;

class SchemaRendererTests {

    static final Table ORDERS = new Table("sales.orders", "Orders placed\nby customers", List.of(
            new Column("id", "integer", false, "", false),
            new Column("customer_id", "integer", false, "", false),
            new Column("card_number", "text", true, "Payment card", true),
            new Column("note", "text", true, "", true)),
            List.of("id"), List.of(new ForeignKey(List.of("customer_id"), "sales.customers", List.of("id"))));

    @Test
    void aTableIsCompactDdlWithCommentsMasksAndKeys() {
        assertThat(SchemaRenderer.ddl(ORDERS)).isEqualTo("""
                -- Orders placed by customers
                CREATE TABLE sales.orders (
                  id integer NOT NULL,
                  customer_id integer NOT NULL,
                  card_number text, -- Payment card (masked in answers)
                  note text, -- (masked in answers)
                  PRIMARY KEY (id),
                  FOREIGN KEY (customer_id) REFERENCES sales.customers (id)
                );

                """);
    }

    @Test
    void tablesBeyondTheBudgetAreLeftOutAndCounted() {
        Table small = new Table("t", "", List.of(new Column("a", "int", true, "", false)), List.of(), List.of());

        SchemaRenderer.Rendered rendered = SchemaRenderer.render(List.of(small, ORDERS, small), 20);

        assertThat(rendered.tables()).containsExactly("t", "t");
        assertThat(rendered.omitted()).isEqualTo(1);
        assertThat(rendered.text()).endsWith("-- 1 more table is not shown here.\n");
    }
}
