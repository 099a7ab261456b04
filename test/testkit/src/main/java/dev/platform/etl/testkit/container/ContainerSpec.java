package dev.platform.etl.testkit.container;

import java.util.List;
import java.util.Set;

/**
 * What a container runs and how, as a kubelet derives it from a pod and its image.
 *
 * @param args the process: the pod's command and args over the image's Entrypoint and Cmd
 * @param env {@code NAME=value}, the image's first, the pod's after
 * @param capabilities the process's capabilities, the runtime's default set with the pod's drops and adds
 * @param memoryLimit bytes, 0 for none
 */
public record ContainerSpec(List<String> args, List<String> env, String workingDir, int uid, int gid,
                            List<Integer> additionalGids, boolean readOnlyRoot, boolean noNewPrivileges,
                            Set<String> capabilities, long memoryLimit, String hostname, List<Mount> mounts) {

    /** The capabilities containerd gives a container unless the pod drops some. */
    public static final Set<String> DEFAULT_CAPABILITIES = Set.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    public ContainerSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
        capabilities = Set.copyOf(capabilities);
        mounts = List.copyOf(mounts);
    }

    /** A host file or folder bound into the container. */
    public record Mount(String destination, String source, boolean readOnly) {
    }
}
