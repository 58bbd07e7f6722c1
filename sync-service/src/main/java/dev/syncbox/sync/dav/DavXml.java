package dev.syncbox.sync.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * XML in and out of WebDAV: request bodies parsed by a namespace-aware DOM that refuses DTDs (so no entity, internal
 * or external, is ever expanded), answers written by StAX. A parse failure is a 400 problem like any bad request.
 */
final class DavXml {

    static final String DAV = "DAV:";
    static final String OC = "http://owncloud.org/ns";
    static final String NC = "http://nextcloud.org/ns";
    static final String OCS = "http://open-collaboration-services.org/ns";

    private static final DocumentBuilderFactory PARSERS = parsers();
    private static final XMLOutputFactory WRITERS = XMLOutputFactory.newFactory();

    private DavXml() {}

    private static DocumentBuilderFactory parsers() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setExpandEntityReferences(false);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The XML parser cannot be made safe", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }

    /** A request body's root element; {@code null} for an empty body. */
    static Element parse(byte[] body) {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        try {
            DocumentBuilder builder = PARSERS.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(new ByteArrayInputStream(body));
            return document.getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "The request body is not well-formed XML");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean is(Node node, String namespace, String localName) {
        return node instanceof Element e
                && localName.equals(e.getLocalName())
                && namespace.equals(e.getNamespaceURI() == null ? "" : e.getNamespaceURI());
    }

    static String namespace(Element e) {
        return e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
    }

    /** The child elements of {@code parent}, in order. */
    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static Element child(Element parent, String namespace, String localName) {
        for (Element e : children(parent)) {
            if (is(e, namespace, localName)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The content of {@code element} as XML text: its children serialized one by one, each element carrying the
     * namespace declarations it needs, so the text can be put back under any parent and mean the same.
     */
    static String inner(Element element) {
        StringWriter out = new StringWriter();
        NodeList nodes = element.getChildNodes();
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            for (int i = 0; i < nodes.getLength(); i++) {
                transformer.transform(new DOMSource(nodes.item(i)), new StreamResult(out));
            }
        } catch (TransformerException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A property value cannot be serialized");
        }
        return out.toString();
    }

    /** A StAX writer over {@code out}, with raw XML insertable through {@link #raw}. */
    static Out writer(Writer out) {
        try {
            return new Out(WRITERS.createXMLStreamWriter(out), out);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A StAX writer and the writer under it, for the stored XML of dead properties and lock owners. */
    record Out(XMLStreamWriter xml, Writer target) {

        /** Writes already serialized XML at the current position (the open start tag is closed first). */
        void raw(String text) throws XMLStreamException {
            xml.writeCharacters("");
            xml.flush();
            try {
                target.write(text);
                target.flush();
            } catch (IOException e) {
                throw new XMLStreamException(e);
            }
        }

        /** An element in {@code namespace}: DAV, ownCloud and Nextcloud by their prefixes, others declared on it. */
        void start(String namespace, String localName) throws XMLStreamException {
            switch (namespace) {
                case DAV -> xml.writeStartElement("d", localName, DAV);
                case OC -> xml.writeStartElement("oc", localName, OC);
                case NC -> xml.writeStartElement("nc", localName, NC);
                case "" -> {
                    xml.writeStartElement(localName);
                    xml.writeDefaultNamespace("");
                }
                default -> {
                    xml.writeStartElement("x", localName, namespace);
                    xml.writeNamespace("x", namespace);
                }
            }
        }

        void empty(String namespace, String localName) throws XMLStreamException {
            start(namespace, localName);
            xml.writeEndElement();
        }

        void text(String namespace, String localName, String text) throws XMLStreamException {
            start(namespace, localName);
            xml.writeCharacters(text);
            xml.writeEndElement();
        }

        /** The root element with the usual prefixes declared. */
        void root(String localName) throws XMLStreamException {
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("d", localName, DAV);
            xml.writeNamespace("d", DAV);
            xml.writeNamespace("oc", OC);
            xml.writeNamespace("nc", NC);
            xml.writeNamespace("s", "http://sabredav.org/ns");
        }

        void end() throws XMLStreamException {
            xml.writeEndDocument();
            xml.flush();
        }
    }
}
