package dev.platform.etl.testkit.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The OCI runtime config ({@code config.json}) that runc runs a {@link ContainerSpec} from: its own
 * pid, ipc, uts and mount namespaces, the host's network (so 127.0.0.1 is the test bed's), the
 * standard kernel file systems, and the spec's binds.
 */
final class OciConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi");
    private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private OciConfig() {
    }

    static void write(Path bundle, ContainerSpec spec, long openFilesLimit) {
        ObjectNode config = JSON.createObjectNode().put("ociVersion", "1.0.2");
        config.set("process", process(spec, openFilesLimit));
        config.putObject("root").put("path", "rootfs").put("readonly", spec.readOnlyRoot());
        config.put("hostname", spec.hostname());
        config.set("mounts", mounts(spec));
        ObjectNode linux = config.putObject("linux");
        if (spec.memoryLimit() > 0) {
            linux.putObject("resources").putObject("memory").put("limit", spec.memoryLimit());
        }
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", type);
        }
        MASKED_PATHS.forEach(linux.putArray("maskedPaths")::add);
        READONLY_PATHS.forEach(linux.putArray("readonlyPaths")::add);
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("config.json").toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode process(ContainerSpec spec, long openFilesLimit) {
        ObjectNode process = JSON.createObjectNode().put("terminal", false);
        ObjectNode user = process.putObject("user").put("uid", spec.uid()).put("gid", spec.gid());
        spec.additionalGids().forEach(user.putArray("additionalGids")::add);
        spec.args().forEach(process.putArray("args")::add);
        spec.env().forEach(process.putArray("env")::add);
        process.put("cwd", spec.workingDir().isEmpty() ? "/" : spec.workingDir());
        ObjectNode capabilities = process.putObject("capabilities");
        List<String> names = spec.capabilities().stream().sorted().toList();
        names.forEach(capabilities.putArray("bounding")::add);
        // as containerd does: a process that is not root starts with none in effect
        List<String> granted = spec.uid() == 0 ? names : List.of();
        granted.forEach(capabilities.putArray("effective")::add);
        granted.forEach(capabilities.putArray("permitted")::add);
        process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", openFilesLimit).put("soft", openFilesLimit);
        process.put("noNewPrivileges", spec.noNewPrivileges());
        return process;
    }

    private static ArrayNode mounts(ContainerSpec spec) {
        ArrayNode mounts = JSON.createArrayNode();
        kernel(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        kernel(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        kernel(mounts, "/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        kernel(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        kernel(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        kernel(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        kernel(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
        for (ContainerSpec.Mount bind : spec.mounts()) {
            ObjectNode mount = mounts.addObject().put("destination", bind.destination()).put("type", "bind").put("source", bind.source());
            ArrayNode options = mount.putArray("options").add("rbind").add("nosuid").add("nodev");
            options.add(bind.readOnly() ? "ro" : "rw");
        }
        return mounts;
    }

    private static void kernel(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode mount = mounts.addObject().put("destination", destination).put("type", type).put("source", source);
        options.forEach(mount.putArray("options")::add);
    }
}
