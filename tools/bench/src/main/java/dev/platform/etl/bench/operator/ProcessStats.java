package dev.platform.etl.bench.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's peak resident memory and CPU time, read from Linux's /proc. */
record ProcessStats(long peakRssBytes, double cpuSeconds) {
    /** Linux reports CPU time in clock ticks of 1/100 s on every architecture the project builds for. */
    private static final double TICKS_PER_SECOND = 100;

    static ProcessStats of(ProcessHandle process) {
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        try {
            long peakKiB = Files.readAllLines(proc.resolve("status")).stream().filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0L);
            String stat = Files.readString(proc.resolve("stat"));
            // fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
            return new ProcessStats(peakKiB * 1024, cpu);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc for process " + process.pid(), e);
        }
    }

    double peakRssMiB() {
        return peakRssBytes / (1024.0 * 1024);
    }
}
