package dev.switchboard.sql.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CellValuesTests {

    private final CellValues cells = new CellValues(20);

    @Test
    void shortTextIsKeptAsItIs() {
        assertThat(this.cells.text("twenty characters!!!")).isEqualTo("twenty characters!!!");
        assertThat(this.cells.text(null)).isNull();
    }

    @Test
    void longTextIsCutWithAMarkerSayingHowMuchWasLeftOut() {
        String cut = this.cells.text("x".repeat(1_000));
        assertThat(cut).startsWith("x".repeat(20) + "…").endsWith("[980 more characters]");
        assertThat(cut.length()).isLessThan(60);
    }

    @Test
    void aBoundTooSmallForTheMarkerIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CellValues(3));
    }

}
