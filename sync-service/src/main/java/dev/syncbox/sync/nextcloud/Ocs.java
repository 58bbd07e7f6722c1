package dev.syncbox.sync.nextcloud;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nextcloud's OCS envelope, {@code {"ocs": {"meta": {...}, "data": ...}}}, which its clients unwrap. Two API versions
 * share it and differ in the success code ({@code 100} under {@code /ocs/v1.php/}, {@code 200} under {@code
 * /ocs/v2.php/}). As at Nextcloud, {@code format=json} or {@code format=xml} in the query chooses the format, else an
 * {@code Accept} naming JSON, else XML; the clients ask for JSON, older tools for XML. XML is written with StAX:
 * lists as {@code <element>} children, booleans as PHP prints them ({@code 1} or empty).
 */
final class Ocs {

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private Ocs() {}

    /** {@code data} in a successful envelope, in the format the request asks for. */
    static ResponseEntity<byte[]> ok(HttpServletRequest request, Map<String, Object> data, JsonMapper json) {
        boolean v2 = request.getRequestURI().startsWith("/ocs/v2.php/");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("status", "ok");
        meta.put("statuscode", v2 ? 200 : 100);
        meta.put("message", "OK");
        if (wantsJson(request)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("meta", meta);
            body.put("data", data);
            return ResponseEntity.ok()
                    .contentType(new MediaType(MediaType.APPLICATION_JSON, java.nio.charset.StandardCharsets.UTF_8))
                    .body(json.writeValueAsBytes(Map.of("ocs", body)));
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, "application/xml; charset=utf-8")
                .body(xml(meta, data));
    }

    static boolean wantsJson(HttpServletRequest request) {
        String format = request.getParameter("format");
        if (format != null) {
            return format.equalsIgnoreCase("json");
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("application/json");
    }

    static byte[] xml(Map<String, Object> meta, Object data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XML.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("ocs");
            element(xml, "meta", meta);
            element(xml, "data", data);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot write an OCS answer", e);
        }
        return out.toByteArray();
    }

    private static void element(XMLStreamWriter xml, String name, Object value) throws XMLStreamException {
        xml.writeStartElement(name);
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                element(xml, entry.getKey().toString(), entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                element(xml, "element", item);
            }
        } else if (value instanceof Boolean flag) {
            xml.writeCharacters(flag ? "1" : "");
        } else if (value != null) {
            xml.writeCharacters(value.toString());
        }
        xml.writeEndElement();
    }
}
