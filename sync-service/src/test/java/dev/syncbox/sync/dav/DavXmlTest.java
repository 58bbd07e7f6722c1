package dev.syncbox.sync.dav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class DavXmlTest {

    private static Element parse(String text) {
        return DavXml.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseDocumentTypesSoNoEntityIsEverExpanded() {
        String external = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<d:propfind xmlns:d=\"DAV:\"><d:prop>&x;</d:prop></d:propfind>";
        String billionLaughs =
                "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>" + "<p>&b;</p>";
        for (String body : new String[] {external, billionLaughs}) {
            assertThatThrownBy(() -> parse(body))
                    .isInstanceOf(SyncboxException.class)
                    .extracting(e -> ((SyncboxException) e).code())
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
        }
    }

    @Test
    void shouldAnswerMalformedXmlWithInvalidRequestAndAnEmptyBodyWithNothing() {
        assertThatThrownBy(() -> parse("<d:propfind xmlns:d=\"DAV:\">")).isInstanceOf(SyncboxException.class);
        assertThat(DavXml.parse(new byte[0])).isNull();
        assertThat(parse("  \n")).isNull();
    }

    @Test
    void shouldKeepNamespacesInAPropertyValueSoItMeansTheSameUnderAnotherParent() throws Exception {
        Element root = parse("<d:set xmlns:d=\"DAV:\" xmlns:z=\"urn:z\" xmlns=\"urn:default\">"
                + "<z:p>text <z:b attr=\"1\">bold</z:b><plain/> \uD83D\uDE00</z:p></d:set>");
        String inner = DavXml.inner(DavXml.children(root).get(0));
        assertThat(inner).contains("xmlns:z=\"urn:z\"").contains("xmlns=\"urn:default\"");

        StringWriter text = new StringWriter();
        DavXml.Out out = DavXml.writer(text);
        out.root("prop");
        out.start("urn:other", "p");
        out.raw(inner);
        out.xml().writeEndElement();
        out.end();
        Element again = parse(text.toString());
        Element p = DavXml.children(again).get(0);
        assertThat(DavXml.child(p, "urn:z", "b").getTextContent()).isEqualTo("bold");
        assertThat(DavXml.child(p, "urn:default", "plain")).isNotNull();
        assertThat(p.getTextContent()).isEqualTo("text bold \uD83D\uDE00");
    }
}
