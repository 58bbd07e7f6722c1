package dev.syncbox.bench.throughput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's limit: {@code pgbench -N} (the TPC-B-like script without the teller and branch updates, so a
 * small write transaction of one insert and one update) with 16 clients, against its own database in the
 * project's PostgreSQL, initialised by {@code bench/throughput.sh}. Never touches the syncbox databases.
 */
record Pgbench(String binary, int port, String database) {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    double tps(int seconds) {
        List<String> command = List.of(
                binary,
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-U",
                "postgres",
                "-N",
                "-c",
                "16",
                "-j",
                "2",
                "-T",
                Integer.toString(seconds),
                database);
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            Matcher m = TPS.matcher(output);
            if (exit != 0 || !m.find()) {
                throw new IllegalStateException("pgbench failed (exit " + exit + "):\n" + output);
            }
            return Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
