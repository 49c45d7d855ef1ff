package clf.server.internal.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the cattle listener binds (spec §5.5): an explicit address as given, or for
 * {@code auto} the IPv4 of {@code tailscale0}, else any IPv4 in the tailnet range 100.64.0.0/10.
 * Wildcards are refused: the listener must never face the public internet. A wildcard is any
 * spelling of the unspecified address ({@code 0.0.0.0}, {@code 0}, {@code ::}, {@code [::]},
 * {@code 0:0:0:0:0:0:0:0} …), not only the three strings the reference compared.
 */
public final class ListenHost {
    public static final String VARIABLE = "CLF_CATTLE_SECRETS_LISTEN_HOST";
    /** IPv4 in any of the forms inet_aton reads: 0, 0.0, 127.1, 0x7f.1 … */
    private static final Pattern IPV4ISH = Pattern.compile("[0-9a-fA-FxX.]+");

    /** A network interface as far as choosing an address goes; a seam for tests. */
    record Nic(String name, List<InetAddress> addresses) {
    }

    private ListenHost() {
    }

    /** The address to bind; throws IllegalArgumentException (naming the variable) if there is none. */
    public static String resolve(String configured) {
        return resolve(configured, ListenHost::systemNics);
    }

    static String resolve(String configured, NicSource nics) {
        String value = configured == null ? "" : configured.strip();
        if (value.isEmpty() || value.equalsIgnoreCase("auto")) {
            return tailnetAddress(nics.list()).orElseThrow(() -> new IllegalArgumentException(VARIABLE
                    + "=auto: no IPv4 address on tailscale0 and none in 100.64.0.0/10 (is tailscaled up?"
                    + " or set an explicit tailnet IP)"));
        }
        try {
            checkNotWildcard(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + ": " + e.getMessage());
        }
        return value;
    }

    /**
     * Refuses a value that would bind every interface (the message does not name the variable).
     * Literals are parsed without DNS; a name is left to the bind (it resolves to specific
     * addresses, or fails there).
     */
    public static void checkNotWildcard(String configured) {
        String value = configured == null ? "" : configured.strip();
        if (value.isEmpty() || value.equalsIgnoreCase("auto")) {
            return;
        }
        if (value.equals("*") || isUnspecified(value)) {
            throw new IllegalArgumentException("refusing the wildcard address '" + value
                    + "' (the secrets listener must not face every network; use auto or an explicit tailnet IP)");
        }
    }

    private static boolean isUnspecified(String value) {
        String bare = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        boolean literal = bare.contains(":") || IPV4ISH.matcher(bare).matches() && bare.chars().anyMatch(Character::isDigit);
        if (!literal) {
            return false;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(bare)) {
                if (address.isAnyLocalAddress()) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException | SecurityException e) {
            return false; // not an address at all: the bind reports it
        }
    }

    @FunctionalInterface
    interface NicSource {
        List<Nic> list();
    }

    static Optional<String> tailnetAddress(List<Nic> nics) {
        for (Nic nic : nics) {
            if (nic.name().equals("tailscale0")) {
                Optional<String> address = nic.addresses().stream()
                        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isAnyLocalAddress())
                        .map(InetAddress::getHostAddress).findFirst();
                if (address.isPresent()) {
                    return address;
                }
            }
        }
        for (Nic nic : nics) {
            for (InetAddress address : nic.addresses()) {
                if (address instanceof Inet4Address && isTailnet(address.getAddress())) {
                    return Optional.of(address.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    private static List<Nic> systemNics() {
        List<Nic> nics = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                nics.add(new Nic(nic.getName(), Collections.list(nic.getInetAddresses())));
            }
        } catch (SocketException e) {
            return List.of();
        }
        return nics;
    }

    /** 100.64.0.0/10: first octet 100, second 64–127. */
    static boolean isTailnet(byte[] ipv4) {
        return (ipv4[0] & 0xff) == 100 && (ipv4[1] & 0xc0) == 64;
    }

    /** The value as written in a URL: IPv6 literals in brackets. */
    public static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
