package dev.syncbox.bench.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** rsync's delta transfer of one file, measured with its own {@code --stats}. */
public final class Rsync {

    private static final Pattern SENT = Pattern.compile("Total bytes sent: ([\\d,]+)");
    private static final Pattern RECEIVED = Pattern.compile("Total bytes received: ([\\d,]+)");

    private Rsync() {}

    /** Bytes sent plus received to bring a destination holding {@code old} up to {@code next}. */
    public static long bytes(byte[] old, byte[] next) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("syncbox-rsync-bench");
        try {
            Path source = Files.createDirectories(dir.resolve("src")).resolve("file.bin");
            Path target = Files.createDirectories(dir.resolve("dst")).resolve("file.bin");
            Files.write(target, old);
            Files.write(source, next);
            // --no-whole-file: local copies default to whole files; --ignore-times: same size and
            // mtime must not let rsync skip the file.
            Process process = new ProcessBuilder(List.of(
                            "rsync",
                            "--no-whole-file",
                            "--ignore-times",
                            "--stats",
                            source.toString(),
                            target.toString()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("rsync failed:\n" + output);
            }
            return number(SENT, output) + number(RECEIVED, output);
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long number(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + pattern + " in rsync output:\n" + output);
        }
        return Long.parseLong(m.group(1).replace(",", ""));
    }
}
