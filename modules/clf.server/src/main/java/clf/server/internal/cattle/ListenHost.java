package clf.server.internal.cattle;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the cattle listener binds (spec §5.5): an explicit address as given, or for
 * {@code auto} the IPv4 of {@code tailscale0}, else any IPv4 in the tailnet range 100.64.0.0/10.
 * Wildcards are refused: the listener must never face the public internet.
 */
public final class ListenHost {
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "*", "");

    private ListenHost() {
    }

    /** The address to bind; throws IllegalArgumentException (naming the variable) if there is none. */
    public static String resolve(String configured) {
        String value = configured == null ? "auto" : configured.strip();
        if (WILDCARDS.contains(value.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("CLF_CATTLE_SECRETS_LISTEN_HOST: refusing the wildcard address '"
                    + value + "' (use auto or an explicit tailnet IP)");
        }
        if (!value.equalsIgnoreCase("auto")) {
            return value;
        }
        return tailnetAddress().orElseThrow(() -> new IllegalArgumentException(
                "CLF_CATTLE_SECRETS_LISTEN_HOST=auto: no IPv4 address on tailscale0 and none in 100.64.0.0/10"
                        + " (is tailscaled up?)"));
    }

    static Optional<String> tailnetAddress() {
        try {
            NetworkInterface tailscale = NetworkInterface.getByName("tailscale0");
            if (tailscale != null) {
                Optional<String> address = ipv4(Collections.list(tailscale.getInetAddresses()));
                if (address.isPresent()) {
                    return address;
                }
            }
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && isTailnet(address.getAddress())) {
                        return Optional.of(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> ipv4(List<InetAddress> addresses) {
        return addresses.stream().filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .map(InetAddress::getHostAddress).findFirst();
    }

    /** 100.64.0.0/10: first octet 100, second 64–127. */
    static boolean isTailnet(byte[] ipv4) {
        return (ipv4[0] & 0xff) == 100 && (ipv4[1] & 0xc0) == 64;
    }
}
