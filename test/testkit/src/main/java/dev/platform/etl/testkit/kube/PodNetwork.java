package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.process.Processes;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each pod an address of its own, as a node's network plugin would, so that a Service that
 * selects the pod has Endpoints (the API server refuses loopback ones) that answer: the address
 * is added to {@code lo}, and each of the pod's container ports on it is forwarded to the host
 * port its process listens on (pods share the host's network here). The addresses come from
 * 198.18.0.0/15, a range set aside for benchmarks that no real network uses, one /24 per
 * kubelet, picked at random. Adding an address takes root; without it every pod has 127.0.0.1,
 * as before, and Services have no endpoints.
 */
final class PodNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodNetwork.class);
    static final String LOOPBACK = "127.0.0.1";

    private final String ip;
    private final String subnet;
    /** The hosts of the subnet (1 to 253) given to pods that have not ended. */
    private final BitSet taken = new BitSet();
    private final Map<String, List<ServerSocket>> listeners = new ConcurrentHashMap<>();
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "pod-network");
        thread.setDaemon(true);
        return thread;
    });

    private PodNetwork(String ip, String subnet) {
        this.ip = ip;
        this.subnet = subnet;
    }

    /** A network that gives pods addresses of their own where this process may add them, else loopback for all. */
    static PodNetwork start() {
        String ip = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip").stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        int block = ThreadLocalRandom.current().nextInt(512);
        PodNetwork network = new PodNetwork(ip, "198." + (18 + block / 256) + "." + (block % 256) + ".");
        if (ip == null || !network.add(network.subnet + "254")) {
            LOG.info("pods get {}: adding addresses to lo is not allowed here, so Services have no endpoints", LOOPBACK);
            return new PodNetwork(null, null);
        }
        network.delete(network.subnet + "254");
        return network;
    }

    /** The pod's address, with its container ports forwarded to their host ports there; loopback when no address can be given. */
    String attach(PodProcess run) {
        int host = take();
        if (ip == null || host > 253) {
            return LOOPBACK;
        }
        String address = subnet + host;
        if (!add(address)) {
            give(host);
            return LOOPBACK;
        }
        List<ServerSocket> sockets = new ArrayList<>();
        run.hostPorts.forEach((containerPort, hostPort) -> forward(address, containerPort, hostPort).ifPresent(sockets::add));
        listeners.put(address, sockets);
        return address;
    }

    /** Takes the pod's address away once it has ended. */
    void detach(PodProcess run) {
        List<ServerSocket> sockets = run.ip == null ? null : listeners.remove(run.ip);
        if (sockets != null) {
            sockets.forEach(PodNetwork::closeQuietly);
            delete(run.ip);
            give(Integer.parseInt(run.ip.substring(subnet.length())));
        }
    }

    private synchronized int take() {
        int host = taken.nextClearBit(1);
        taken.set(host);
        return host;
    }

    private synchronized void give(int host) {
        taken.clear(host);
    }

    private Optional<ServerSocket> forward(String address, int containerPort, int hostPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(address), containerPort));
            pumps.execute(() -> accept(server, hostPort));
            return Optional.of(server);
        } catch (IOException e) {
            LOG.warn("cannot forward {}:{} to host port {}: {}", address, containerPort, hostPort, e.getMessage());
            return Optional.empty();
        }
    }

    private void accept(ServerSocket server, int hostPort) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pumps.execute(() -> connect(client, hostPort));
            } catch (IOException e) {
                return; // closed with its pod
            }
        }
    }

    private void connect(Socket client, int hostPort) {
        try (client; Socket target = new Socket(LOOPBACK, hostPort)) {
            pumps.execute(() -> pump(target, client));
            pump(client, target);
        } catch (IOException e) {
            // the pod's process is not listening (yet): the client sees the connection closed, as a refused one
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    private boolean add(String address) {
        Processes.Result added = Processes.execute(List.of(ip, "addr", "add", address + "/32", "dev", "lo"));
        return added.exitCode() == 0 || added.output().contains("File exists");
    }

    private void delete(String address) {
        Processes.execute(List.of(ip, "addr", "del", address + "/32", "dev", "lo"));
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        listeners.keySet().forEach(address -> {
            listeners.remove(address).forEach(PodNetwork::closeQuietly);
            delete(address);
        });
        pumps.shutdownNow();
    }
}
