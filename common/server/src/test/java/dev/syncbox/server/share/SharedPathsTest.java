package dev.syncbox.server.share;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedPathsTest {

    @Test
    void rebasesBySegments() {
        assertThat(SharedPaths.rebase("/Work/Team/a/b.txt", "/Work/Team", "/Team"))
                .isEqualTo("/Team/a/b.txt");
        assertThat(SharedPaths.rebase("/Work/Team", "/Work/Team", "/Team")).isEqualTo("/Team");
        assertThat(SharedPaths.rebase("/Work/Team/a", "/Work/Team", "/")).isEqualTo("/a");
        assertThat(SharedPaths.rebase("/", "/", "/Team (2)")).isEqualTo("/Team (2)");
        assertThat(SharedPaths.rebase("/x/y", "/", "/Team")).isEqualTo("/Team/x/y");
    }

    @Test
    void withinIsCaseInsensitiveAndSegmentWise() {
        assertThat(SharedPaths.within("/work/TEAM/a", "/Work/Team")).isTrue();
        assertThat(SharedPaths.within("/Work/Team", "/Work/Team")).isTrue();
        assertThat(SharedPaths.within("/Work/Teams", "/Work/Team")).isFalse();
        assertThat(SharedPaths.within(null, "/Work/Team")).isFalse();
    }
}
