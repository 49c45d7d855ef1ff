package clf.server.internal.tailnet;

import java.util.List;

/**
 * The node behind a tailnet address, as tailscaled's whois describes it: the fields of its
 * {@code tailcfg.Node} that name it. Their meaning is tailscale's (tailcfg/tailcfg.go, type Node,
 * type Hostinfo and Node.InitDisplayNames, at tailscale commit de9ec7ee, 2026-08-22).
 *
 * @param name         {@code Node.Name}: the MagicDNS FQDN with its trailing dot, e.g.
 *                     {@code cattle-rex-1a2b3c4d.tail4f3b2.ts.net.}; given by the coordination server
 * @param computedName {@code Node.ComputedName}: {@code name} without this tailnet's MagicDNS
 *                     suffix; the whole FQDN (no trailing dot) for a node shared in from another
 *                     tailnet; empty when tailscaled did not send it
 * @param hostname     {@code Node.Hostinfo.Hostname}: the host name the node reports about itself;
 *                     empty when absent
 * @param addresses    {@code Node.Addresses}: its tailnet addresses as prefixes ({@code 100.64.0.7/32})
 */
public record TailnetNode(String name, String computedName, String hostname, List<String> addresses) {

    public TailnetNode {
        addresses = List.copyOf(addresses);
    }

    /**
     * Whether this is the node whose tailnet name is {@code host}: the first label of
     * {@code Node.Name} and {@code Node.ComputedName} both equal it, ASCII case ignored as in DNS.
     *
     * <p>Why those two and not the host name:
     * <ul>
     * <li>{@code Node.Name} is chosen by the coordination server, not by the node, and is unique
     * in the tailnet at any one time: a node that asks for a name already taken gets it with a
     * suffix ({@code cattle-rex-1a2b3c4d-1}). While the VM holds its name, no other node has it.
     * <li>{@code Node.ComputedName} is that name with <em>this</em> tailnet's suffix removed; for a
     * node shared in from another tailnet it stays the full FQDN. Requiring it to be the bare
     * name refuses {@code cattle-rex-1a2b3c4d.someone-else.ts.net.}, whose first label alone
     * would match.
     * <li>{@code Hostinfo.Hostname} is what the node says about itself ({@code tailscale up
     * --hostname=…} sets anything), so it decides nothing; it is only reported.
     * </ul>
     * A node without {@code ComputedName} (tailscale before 1.6, early 2021) is not matched: the
     * shared-in case could not be told apart.
     */
    public boolean isHost(String host) {
        String firstLabel = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        int dot = firstLabel.indexOf('.');
        if (dot >= 0) {
            firstLabel = firstLabel.substring(0, dot);
        }
        return !host.isEmpty() && firstLabel.equalsIgnoreCase(host) && computedName.equalsIgnoreCase(host);
    }

    /** For the operator's log: the name, and the other two when they add something. */
    public String describe() {
        StringBuilder text = new StringBuilder(name.isEmpty() ? "(no name)" : name);
        if (!computedName.isEmpty()) {
            text.append(" (computed name ").append(computedName);
        } else {
            text.append(" (no computed name");
        }
        if (!hostname.isEmpty()) {
            text.append(", host name ").append(hostname);
        }
        return text.append(')').toString();
    }
}
