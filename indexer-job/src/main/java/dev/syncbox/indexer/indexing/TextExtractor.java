package dev.syncbox.indexer.indexing;

import dev.syncbox.core.search.IndexTerms;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.apache.tika.Tika;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Text out of text files, PDFs and office documents, by Apache Tika's parsers for those formats (docs/search.md):
 * up to {@code max-chars} characters of files up to {@code max-bytes}.
 */
@Component
class TextExtractor {

    private static final Set<String> CATEGORIES = Set.of("text", "document", "spreadsheet", "presentation");

    private final Tika tika = new Tika();
    private final long maxBytes;

    TextExtractor(
            @Value("${syncbox.search.content.max-bytes:16777216}") long maxBytes,
            @Value("${syncbox.search.content.max-chars:100000}") int maxChars) {
        this.maxBytes = maxBytes;
        tika.setMaxStringLength(maxChars);
    }

    /** Whether a file of this name and size has content worth reading for the index. */
    boolean wanted(String name, long size) {
        String extension = IndexTerms.extension(name);
        return size > 0 && size <= maxBytes && CATEGORIES.contains(IndexTerms.category(extension, false));
    }

    /** The text of the content, at most {@code max-chars} characters; {@code null} when Tika finds none. */
    String extract(String name, InputStream content) throws IOException {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
        try {
            String text = tika.parseToString(content, metadata).strip();
            return text.isEmpty() ? null : text;
        } catch (TikaException e) {
            throw new IOException("Tika could not read " + name + ": " + e.getMessage(), e);
        }
    }
}
