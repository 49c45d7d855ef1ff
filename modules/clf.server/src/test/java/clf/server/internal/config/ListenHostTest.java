package clf.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the cattle listener binds (spec §5.5), with the machine's interfaces replaced by fakes. */
class ListenHostTest {

    static ListenHost.Nic nic(String name, String... addresses) throws Exception {
        List<InetAddress> parsed = new java.util.ArrayList<>();
        for (String address : addresses) {
            parsed.add(InetAddress.getByName(address)); // literals only: no DNS
        }
        return new ListenHost.Nic(name, parsed);
    }

    @Test
    void anExplicitAddressIsUsedAsGiven() {
        for (String host : List.of("100.101.102.103", "127.0.0.1", "fd7a:115c:a1e0::1", " 100.64.0.1 ")) {
            assertEquals(host.strip(), ListenHost.resolve(host, () -> List.of()), host);
        }
    }

    @Test
    void everySpellingOfTheWildcardIsRefusedNamingTheVariable() {
        for (String host : List.of("0.0.0.0", "::", "[::]", "0", "0.0", "00.0.0.0", "::0", "0:0:0:0:0:0:0:0", "[0::0]",
                "::ffff:0.0.0.0", "*", " 0.0.0.0 ")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ListenHost.resolve(host, () -> List.of()), host);
            assertTrue(refused.getMessage().startsWith("CLF_CATTLE_SECRETS_LISTEN_HOST: refusing the wildcard address '"),
                    refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ListenHost.checkNotWildcard(host), host);
        }
        assertDoesNotThrow(() -> ListenHost.checkNotWildcard("auto"));
        assertDoesNotThrow(() -> ListenHost.checkNotWildcard("tailnet-host.example"));
    }

    @Test
    void autoTakesTheIpv4OfTailscale0First() throws Exception {
        List<ListenHost.Nic> nics = List.of(nic("lo", "127.0.0.1"), nic("eth0", "100.70.0.1"),
                nic("tailscale0", "fd7a:115c:a1e0::5", "100.101.2.3"));

        assertEquals("100.101.2.3", ListenHost.resolve("auto", () -> nics));
        assertEquals("100.101.2.3", ListenHost.resolve("AUTO", () -> nics));
        assertEquals("100.101.2.3", ListenHost.resolve("", () -> nics), "empty means auto");
        assertEquals("100.101.2.3", ListenHost.resolve(null, () -> nics));
    }

    @Test
    void autoFallsBackToAnyAddressIn100_64_0_0_10() throws Exception {
        List<ListenHost.Nic> nics = List.of(nic("eth0", "192.168.1.2", "100.63.255.255", "100.128.0.1"),
                nic("tailscale0", "fd7a:115c:a1e0::5"), nic("wg0", "100.127.255.1"));

        assertEquals("100.127.255.1", ListenHost.resolve("auto", () -> nics));
    }

    @Test
    void autoWithoutATailnetAddressFailsSayingWhatIsMissing() throws Exception {
        List<ListenHost.Nic> nics = List.of(nic("lo", "127.0.0.1"), nic("eth0", "192.0.2.2", "100.63.0.1"));

        IllegalArgumentException failed = assertThrows(IllegalArgumentException.class,
                () -> ListenHost.resolve("auto", () -> nics));
        assertTrue(failed.getMessage().startsWith("CLF_CATTLE_SECRETS_LISTEN_HOST=auto: no IPv4 address on tailscale0"),
                failed.getMessage());
    }

    @Test
    void theTailnetRangeIsExactly100_64_0_0_10() {
        assertTrue(ListenHost.isTailnet(new byte[] {100, 64, 0, 0}));
        assertTrue(ListenHost.isTailnet(new byte[] {100, 127, (byte) 255, (byte) 255}));
        assertFalse(ListenHost.isTailnet(new byte[] {100, 63, (byte) 255, (byte) 255}));
        assertFalse(ListenHost.isTailnet(new byte[] {100, (byte) 128, 0, 0}));
        assertFalse(ListenHost.isTailnet(new byte[] {101, 64, 0, 0}));
    }

    @Test
    void urlHostBracketsIpv6() {
        assertEquals("[fd7a::1]", ListenHost.urlHost("fd7a::1"));
        assertEquals("100.64.0.1", ListenHost.urlHost("100.64.0.1"));
        assertEquals("[::1]", ListenHost.urlHost("[::1]"));
    }
}
