package dev.platform.etl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * CPU seconds from /proc (Linux): of this JVM's reaped child processes, and of a PostgreSQL
 * server with its backends, live or ended. Both only grow, so a difference measures an interval.
 */
final class CpuSeconds {
    /** The kernel's clock ticks per second, as /proc reports times in; 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    private CpuSeconds() {
    }

    /** CPU time of this JVM itself, all its threads. */
    static double thisProcess() {
        long[] times = times(ProcessHandle.current().pid());
        return (times[0] + times[1]) / TICKS;
    }

    /** CPU time of this JVM's children that have ended and been waited for. */
    static double reapedChildren() {
        long[] times = times(ProcessHandle.current().pid());
        return (times[2] + times[3]) / TICKS;
    }

    /** CPU time of the server behind {@code connection}: the postmaster, its ended backends and its live ones. */
    static double postgresServer(Connection connection) throws SQLException {
        long postmaster = postmasterPid(connection);
        long[] own = times(postmaster);
        long ticks = own[0] + own[1] + own[2] + own[3];
        for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
            long[] live = times(child.pid());
            ticks += live[0] + live[1];
        }
        return ticks / TICKS;
    }

    private static long postmasterPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                    .orElseThrow(() -> new IllegalStateException("cannot find the PostgreSQL server's process"));
        }
    }

    /** utime, stime, cutime, cstime of a process, in ticks; zeros once it is gone. */
    private static long[] times(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name, in parentheses, may hold spaces: the fields are counted after its ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]), Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return new long[4];
        }
    }
}
