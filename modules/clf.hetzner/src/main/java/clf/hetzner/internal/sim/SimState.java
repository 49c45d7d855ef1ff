package clf.hetzner.internal.sim;

import clf.hetzner.FirewallRule;
import clf.hetzner.sim.SimFirewall;
import clf.hetzner.sim.SimServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulator's servers and firewalls. All access is synchronised on this object. Status is
 * derived from the clock on every read rather than moved by a timer, so that a test's fake clock
 * drives transitions: {@code initializing} until the boot delay has passed, then {@code running}
 * (or {@code off} once powered off); after a delete {@code deleting} for the delete delay, then gone.
 */
public final class SimState {
    private final Clock clock;
    private final TreeMap<Long, ServerEntity> servers = new TreeMap<>();
    private final TreeMap<Long, FirewallEntity> firewalls = new TreeMap<>();
    // Distinct ranges make an id of the wrong kind fail loudly in tests.
    private long nextServerId = 1_000_001;
    private long nextFirewallId = 50_001;
    private int nextAddress = 1;
    private Duration bootDelay = Duration.ofSeconds(2);
    private Duration deleteDelay = Duration.ofSeconds(1);

    /** What a create asks for, already checked for shape. */
    public record NewServer(String name, String serverType, String image, String location, String userData,
                            Map<String, String> labels, List<Long> firewallIds, boolean startAfterCreate) {
    }

    private static final class ServerEntity {
        long id;
        NewServer spec;
        Instant created;
        Instant readyAt;
        Instant deletingSince;
        boolean poweredOff;
        List<Long> firewallIds;
        String ipv4;
        String ipv6;
    }

    private record FirewallEntity(long id, String name, Instant created, Map<String, String> labels,
                                  List<FirewallRule> rules) {
    }

    public SimState(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    public synchronized void setBootDelay(Duration delay) {
        bootDelay = delay;
    }

    public synchronized void setDeleteDelay(Duration delay) {
        deleteDelay = delay;
    }

    public synchronized SimServer createServer(NewServer spec) {
        purge();
        if (servers.values().stream().anyMatch(server -> server.spec.name().equals(spec.name()))) {
            throw SimError.uniqueness("name");
        }
        for (Long firewallId : spec.firewallIds()) {
            if (!firewalls.containsKey(firewallId)) {
                throw SimError.invalidInput("firewalls", "firewall " + firewallId + " not found");
            }
        }
        ServerEntity server = new ServerEntity();
        server.id = nextServerId++;
        server.spec = spec;
        server.created = now().truncatedTo(ChronoUnit.SECONDS);
        server.readyAt = now().plus(bootDelay);
        server.poweredOff = !spec.startAfterCreate();
        server.firewallIds = new ArrayList<>(spec.firewallIds());
        int address = nextAddress++;
        server.ipv4 = ipv4(address);
        server.ipv6 = "2001:db8:" + Integer.toHexString(address) + "::/64";
        servers.put(server.id, server);
        return snapshot(server);
    }

    public synchronized List<SimServer> servers() {
        purge();
        return servers.values().stream().map(this::snapshot).toList();
    }

    public synchronized Optional<SimServer> server(long id) {
        purge();
        return Optional.ofNullable(servers.get(id)).map(this::snapshot);
    }

    /** A delete as accepted: the server (now {@code deleting}) and when it will be gone. */
    public record Deletion(SimServer server, Instant goneAt) {
    }

    /** Starts deleting; deleting an already deleting server is accepted again, as an action would be. */
    public synchronized Deletion deleteServer(long id) {
        ServerEntity server = existing(id);
        if (server.deletingSince == null) {
            server.deletingSince = now();
        }
        return new Deletion(snapshot(server), server.deletingSince.plus(deleteDelay));
    }

    /** When the server leaves {@code initializing} (the end of its create action). */
    public synchronized Instant readyAt(long id) {
        return existing(id).readyAt;
    }

    /** A new name (unique, as on create) and/or new labels; {@code null} keeps the old value. */
    public synchronized SimServer updateServer(long id, String name, Map<String, String> labels) {
        ServerEntity server = existing(id);
        if (name != null && !name.equals(server.spec.name())
                && servers.values().stream().anyMatch(other -> other.spec.name().equals(name))) {
            throw SimError.uniqueness("name");
        }
        NewServer old = server.spec;
        server.spec = new NewServer(name == null ? old.name() : name, old.serverType(), old.image(), old.location(),
                old.userData(), labels == null ? old.labels() : Map.copyOf(labels), old.firewallIds(),
                old.startAfterCreate());
        return snapshot(server);
    }

    public synchronized void setPoweredOff(long id, boolean off) {
        existing(id).poweredOff = off;
    }

    public synchronized SimFirewall createFirewall(String name, Map<String, String> labels, List<FirewallRule> rules) {
        if (firewalls.values().stream().anyMatch(firewall -> firewall.name().equals(name))) {
            throw SimError.uniqueness("name");
        }
        FirewallEntity firewall = new FirewallEntity(nextFirewallId++, name, now().truncatedTo(ChronoUnit.SECONDS),
                Map.copyOf(labels), List.copyOf(rules));
        firewalls.put(firewall.id(), firewall);
        return snapshot(firewall);
    }

    public synchronized List<SimFirewall> firewalls() {
        purge();
        return firewalls.values().stream().map(this::snapshot).toList();
    }

    public synchronized Optional<SimFirewall> firewall(long id) {
        purge();
        return Optional.ofNullable(firewalls.get(id)).map(this::snapshot);
    }

    public synchronized SimFirewall setRules(long id, List<FirewallRule> rules) {
        FirewallEntity firewall = firewalls.get(id);
        if (firewall == null) {
            throw SimError.notFound("firewall with ID " + id + " not found");
        }
        FirewallEntity changed = new FirewallEntity(id, firewall.name(), firewall.created(), firewall.labels(),
                List.copyOf(rules));
        firewalls.put(id, changed);
        return snapshot(changed);
    }

    /** As if someone removed the firewall in the console: detached from servers, then deleted. */
    public synchronized void removeFirewall(long id) {
        firewalls.remove(id);
        servers.values().forEach(server -> server.firewallIds.remove(id));
    }

    private ServerEntity existing(long id) {
        purge();
        ServerEntity server = servers.get(id);
        if (server == null) {
            throw SimError.notFound("server with ID " + id + " not found");
        }
        return server;
    }

    private void purge() {
        Instant now = now();
        servers.values().removeIf(server ->
                server.deletingSince != null && !now.isBefore(server.deletingSince.plus(deleteDelay)));
    }

    private String status(ServerEntity server) {
        if (server.deletingSince != null) {
            return "deleting";
        }
        if (now().isBefore(server.readyAt)) {
            return "initializing";
        }
        return server.poweredOff ? "off" : "running";
    }

    private SimServer snapshot(ServerEntity server) {
        NewServer spec = server.spec;
        return new SimServer(server.id, spec.name(), status(server), server.created, spec.labels(), spec.userData(),
                spec.serverType(), spec.image(), spec.location(), server.firewallIds, server.ipv4, server.ipv6);
    }

    private SimFirewall snapshot(FirewallEntity firewall) {
        List<Long> appliedTo = servers.values().stream()
                .filter(server -> server.firewallIds.contains(firewall.id()))
                .map(server -> server.id)
                .toList();
        return new SimFirewall(firewall.id(), firewall.name(), firewall.created(), firewall.labels(), firewall.rules(),
                appliedTo);
    }

    /** Addresses from the documentation ranges (RFC 5737), so none is ever routable. */
    private static String ipv4(int n) {
        String[] blocks = {"203.0.113.", "198.51.100.", "192.0.2."};
        int block = ((n - 1) / 254) % blocks.length;
        return blocks[block] + (1 + (n - 1) % 254);
    }
}
