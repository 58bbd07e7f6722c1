package dev.syncbox.sync.nextcloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OcsTest {

    @Test
    void shouldWriteNextcloudsQuotaWithTwoDecimals() {
        assertThat(OcsController.quota(1, 3))
                .containsEntry("free", 2L)
                .containsEntry("used", 1L)
                .containsEntry("total", 3L)
                .containsEntry("relative", 33.33)
                .containsEntry("quota", 3L);
    }

    @Test
    void shouldCountAnOverfullAccountAsAllUsed() {
        assertThat(OcsController.quota(150, 100))
                .containsEntry("free", 0L)
                .containsEntry("total", 150L)
                .containsEntry("relative", 100.0)
                .containsEntry("quota", 100L);
        assertThat(OcsController.quota(0, 0)).containsEntry("relative", 0.0);
    }

    @Test
    void shouldWriteXmlAsNextcloudDoesListsAsElementsAndBooleansAsPhpPrintsThem() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("types", List.of("SHA256", "MD5"));
        data.put("on", true);
        data.put("off", false);
        data.put("name", "a <b> & \"c\"");

        String xml = new String(Ocs.xml(Map.of("statuscode", 100), data), StandardCharsets.UTF_8);

        assertThat(xml)
                .contains("<ocs><meta><statuscode>100</statuscode></meta><data>")
                .contains("<types><element>SHA256</element><element>MD5</element></types>")
                .contains("<on>1</on>")
                .contains("<off></off>")
                .contains("<name>a &lt;b&gt; &amp; \"c\"</name>");
    }
}
