package dev.syncbox.bench.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds (user + system, all threads) of named processes and their descendants, read from
 * {@code /proc/<pid>/stat}: on a 2-core machine what one process spends is taken from the others.
 */
final class CpuMeter {

    private final Map<String, Long> roots;
    private final double ticksPerSecond;

    CpuMeter(Map<String, Long> roots, double ticksPerSecond) {
        this.roots = new LinkedHashMap<>(roots);
        this.roots.put("client", ProcessHandle.current().pid());
        this.ticksPerSecond = ticksPerSecond;
    }

    List<String> names() {
        return List.copyOf(roots.keySet());
    }

    /** CPU seconds so far, per name, of each root process and everything below it (nginx workers, PostgreSQL backends). */
    Map<String, Double> sample() {
        Map<Long, List<Long>> children = children();
        Map<String, Double> seconds = new LinkedHashMap<>();
        roots.forEach((name, pid) -> {
            long ticks = 0;
            List<Long> todo = new ArrayList<>(List.of(pid));
            while (!todo.isEmpty()) {
                long next = todo.remove(todo.size() - 1);
                ticks += ticks(next);
                todo.addAll(children.getOrDefault(next, List.of()));
            }
            seconds.put(name, ticks / ticksPerSecond);
        });
        return seconds;
    }

    static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> spent = new LinkedHashMap<>();
        after.forEach((name, s) -> spent.put(name, s - before.getOrDefault(name, 0.0)));
        return spent;
    }

    private static Map<Long, List<Long>> children() {
        Map<Long, List<Long>> children = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        String[] f = fields(Long.parseLong(p.getFileName().toString()));
                        if (f != null) {
                            children.computeIfAbsent(Long.parseLong(f[1]), k -> new ArrayList<>())
                                    .add(Long.parseLong(p.getFileName().toString()));
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return children;
    }

    private static long ticks(long pid) {
        String[] f = fields(pid);
        // utime and stime: fields 14 and 15 of stat, i.e. 12 and 13 after "pid (comm) state".
        return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The fields after {@code (comm)}, which may itself hold spaces; null for a process that is gone. */
    private static String[] fields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
