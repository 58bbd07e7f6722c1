package dev.syncbox.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every SQL statement the services send while recording is on, with the step the test was running,
 * the service's class that sent it and whether a scheduled job sent it. Off by default: the data
 * sources of every system test are wrapped ({@link SqlCaptureAutoConfiguration}), and only a test
 * that switches recording on pays for more than a volatile read.
 */
final class SqlRecorder {

    /** One statement as the driver received it. */
    record Captured(String step, String service, String sql, String caller, String thread, boolean scheduled) {}

    private static final String OWN_PACKAGE = SqlRecorder.class.getPackageName() + ".";
    private static final StackWalker WALKER = StackWalker.getInstance();

    private static volatile String step;
    private static final ConcurrentLinkedQueue<Captured> CAPTURED = new ConcurrentLinkedQueue<>();

    private SqlRecorder() {}

    /** Starts recording under {@code label}, or stops with {@code null}. */
    static void step(String label) {
        step = label;
    }

    /** What was recorded so far, in order, and forgets it. */
    static List<Captured> drain() {
        List<Captured> all = new ArrayList<>();
        for (Captured c = CAPTURED.poll(); c != null; c = CAPTURED.poll()) {
            all.add(c);
        }
        return all;
    }

    static void record(String service, String sql) {
        String label = step;
        if (label == null) {
            return;
        }
        Thread thread = Thread.currentThread();
        List<StackWalker.StackFrame> frames = WALKER.walk(stream -> stream.toList());
        Optional<StackWalker.StackFrame> caller = frames.stream()
                .filter(f -> f.getClassName().startsWith("dev.syncbox."))
                .filter(f -> !f.getClassName().startsWith(OWN_PACKAGE))
                .findFirst();
        if (caller.isEmpty()) {
            // The test's own statements (none while a step runs) are not the services'.
            return;
        }
        boolean scheduled = thread.getName().startsWith("scheduling-")
                || frames.stream().anyMatch(f -> f.getClassName().startsWith("org.springframework.scheduling."));
        CAPTURED.add(new Captured(
                label,
                service,
                sql,
                callerName(caller.get().getClassName(), caller.get().getMethodName()),
                thread.getName(),
                scheduled));
    }

    /** {@code Class.method}, without the numbers javac and CGLIB put in generated names. */
    static String callerName(String className, String method) {
        String type = className.substring(className.lastIndexOf('.') + 1);
        int generated = type.indexOf("$$");
        if (generated >= 0) {
            type = type.substring(0, generated);
        }
        type = type.replaceAll("\\$\\d+$", "\\$anonymous");
        String name = method.startsWith("lambda$") ? method.split("\\$")[1] + "(lambda)" : method;
        return type + "." + name;
    }
}
