package clf.hetzner;

/**
 * The result of {@link HetznerClient#createServer}.
 *
 * @param adopted {@code true} when Hetzner refused the name as taken and the existing server with
 *                that name and the requested labels was returned instead (typically the server an
 *                earlier attempt created before its response was lost)
 */
public record CreatedServer(Server server, boolean adopted) {
}
