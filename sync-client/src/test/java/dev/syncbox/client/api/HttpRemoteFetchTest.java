package dev.syncbox.client.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.sync.LocalBlocks;
import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.hash.ContentHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A download takes a block from another file of the folder only if that file still holds it: the state remembers
 * where blocks lay when files were hashed, and files change or go between then and the download. Against a stand-in
 * for the server's HTTP contract that counts what is fetched.
 */
class HttpRemoteFetchTest {

    @TempDir
    Path folder;

    @RegisterExtension
    final StandInServer server = new StandInServer(this::answer);

    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final Map<String, byte[]> store = new HashMap<>();
    List<ChunkRef> blocks;

    @Test
    void shouldFetchWhatAnotherFileNoLongerHoldsAndReadTheRestLocally() throws IOException {
        byte[] content = new byte[5 * 1024 * 1024];
        new Random(11).nextBytes(content);
        blocks = Chunker.of(ChunkingSpec.fastCdcDefault()).split(content);
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
        for (ChunkRef block : blocks) {
            store.put(block.blockId(), slice(content, block));
        }
        // other.bin held the whole content when it was hashed; since then its first block was edited in place.
        byte[] other = content.clone();
        other[(int) blocks.get(0).offset() + 100] ^= 1;
        Files.write(folder.resolve("other.bin"), other);
        Map<String, List<LocalBlocks.Held>> leads = new HashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            ChunkRef block = blocks.get(i);
            String path = i == 2 ? "/gone.bin" : "/other.bin";
            leads.put(block.blockId(), List.of(new LocalBlocks.Held(path, block.offset(), block.length())));
        }
        Path target = Files.createFile(folder.resolve("download.part"));

        List<ChunkRef> fetched =
                remote(leads).fetch("/new.bin", "f-1", "v-1", ContentHasher.of(content), content.length, null, target);

        assertThat(fetched).isEqualTo(blocks);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(requests)
                .as("the edited block and the one whose file is gone come from the server, the others from other.bin")
                .containsExactlyInAnyOrder(
                        "GET /files/download/f-1/blocks",
                        "GET /blocks/" + blocks.get(0).blockId(),
                        "GET /blocks/" + blocks.get(2).blockId());
    }

    private HttpRemote remote(Map<String, List<LocalBlocks.Held>> leads) {
        ServerClient client = server.client();
        return new HttpRemote(client, new LocalFolder(folder), "device-1", new LocalBlocks() {
            @Override
            public List<String> withContent(String contentHash) {
                return List.of();
            }

            @Override
            public List<Held> block(String blockId) {
                return leads.getOrDefault(blockId, List.of());
            }

            @Override
            public void record(String contentHash, List<ChunkRef> blocks) {}
        });
    }

    private static byte[] slice(byte[] content, ChunkRef block) {
        byte[] bytes = new byte[block.length()];
        System.arraycopy(content, (int) block.offset(), bytes, 0, block.length());
        return bytes;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            byte[] out;
            String type;
            if (path.equals("/files/download/f-1/blocks")) {
                ObjectNode answer = ServerClient.JSON.createObjectNode();
                ArrayNode list = answer.putArray("blocks");
                for (ChunkRef block : blocks) {
                    list.addObject()
                            .put("offset", block.offset())
                            .put("size", block.length())
                            .put("block_id", block.blockId());
                }
                out = ServerClient.JSON.writeValueAsBytes(answer);
                type = "application/json";
            } else if (path.startsWith("/blocks/") && store.containsKey(path.substring("/blocks/".length()))) {
                out = store.get(path.substring("/blocks/".length()));
                type = "application/octet-stream";
            } else {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
        }
    }
}
