package dev.syncbox.sync.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.search.FileQuery;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class FileSearchCursorTest {

    @Property(tries = 500)
    void aCursorGivesBackThePositionItWasMadeFrom(
            @ForAll @DoubleRange(min = 0, max = 1000) double score, @ForAll long modifiedAt) {
        FileQuery.After after = new FileQuery.After(score, modifiedAt, "01JD5XQ0K5V0000000000000AB");

        assertThat(FileSearch.after(FileSearch.cursor(after))).isEqualTo(after);
    }

    @Test
    void shouldRefuseWhatIsNotASearchCursor() {
        for (String bad : new String[] {
            "",
            "garbage",
            "s1.",
            "s1.!!!",
            "s1.MTox",
            "s1.Tk:aN",
            "s1.MToyOmFiYw",
            "s2.MToyOjAxSkQ1WFEwSzVWMDAwMDAwMDAwMDAwMEFC"
        }) {
            assertThatThrownBy(() -> FileSearch.after(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CURSOR));
        }
    }
}
