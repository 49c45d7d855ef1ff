package clf.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the image's {@code bin/clf} as a process against one daemon socket, optionally as another
 * Unix user through {@code setpriv} (the way a bot user would run it).
 */
final class Cli {
    private final String socket;
    private final List<String> asUser;

    private Cli(String socket, List<String> asUser) {
        this.socket = socket;
        this.asUser = asUser;
    }

    static Cli on(java.nio.file.Path socket) {
        return new Cli(socket.toString(), List.of());
    }

    /** The same CLI run as {@code uid}/{@code gid} with {@code extraGroups} (e.g. the socket's group). */
    Cli as(int uid, int gid, int... extraGroups) {
        List<String> prefix = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid));
        if (extraGroups.length == 0) {
            prefix.add("--clear-groups");
        } else {
            StringBuilder groups = new StringBuilder();
            for (int group : extraGroups) {
                groups.append(groups.length() == 0 ? "" : ",").append(group);
            }
            prefix.add("--groups=" + groups);
        }
        return new Cli(socket, prefix);
    }

    Image.Result run(String... args) {
        List<String> command = new ArrayList<>(asUser);
        command.add(Image.bin("clf").toString());
        command.addAll(List.of(args));
        return Image.run(new ProcessBuilder(command), Map.of("CLF_SOCKET_PATH", socket));
    }
}
