package io.aigateway.bench.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and resident set size of a process and its direct children (nginx's workers are children of its
 * master), read from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}.
 */
public final class ProcessFigures {

    /** Clock ticks per second of utime and stime; 100 on every Linux this runs on (getconf CLK_TCK). */
    public static final int TICKS_PER_SECOND = 100;

    private ProcessFigures() {
    }

    /** utime + stime of the process and its children, in clock ticks. */
    public static long cpuTicks(long pid) {
        long ticks = 0;
        for (long p : withChildren(pid)) {
            String[] fields = statFields(p);
            if (fields != null) {
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of stat
            }
        }
        return ticks;
    }

    /** VmRSS of the process and its children, in KiB. */
    public static long rssKib(long pid) {
        long kib = 0;
        for (long p : withChildren(pid)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException gone) {
                // the process ended between listing and reading
            }
        }
        return kib;
    }

    private static List<Long> withChildren(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long p = Long.parseLong(proc.getFileName().toString());
                String[] fields = statFields(p);
                if (fields != null && Long.parseLong(fields[1]) == pid) { // field 4: ppid
                    pids.add(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    /** The fields of /proc/pid/stat after the command name: [0] is field 3 (state). */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
