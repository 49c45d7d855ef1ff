package clf.server.internal.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Unix user and group names from passwd/group files, re-read when a file changes. Peer
 * credentials carry only numbers; the bot API needs names (requester) and memberships
 * (operator group).
 */
public final class UserDirectory {
    private final Path passwdFile;
    private final Path groupFile;
    private Snapshot snapshot = new Snapshot(null, null, Map.of(), Map.of(), Map.of());

    public UserDirectory(Path passwdFile, Path groupFile) {
        this.passwdFile = passwdFile;
        this.groupFile = groupFile;
    }

    private record Snapshot(FileTime passwdTime, FileTime groupTime, Map<Long, String> userByUid,
            Map<String, Long> gidByGroup, Map<String, Set<String>> membersByGroup) {
    }

    public Optional<String> userName(long uid) {
        return Optional.ofNullable(current().userByUid.get(uid));
    }

    /** Whether {@code user} (whose primary group is {@code primaryGid}) belongs to {@code group}. */
    public boolean isMember(String user, long primaryGid, String group) {
        Snapshot now = current();
        Long gid = now.gidByGroup.get(group);
        if (gid != null && gid == primaryGid) {
            return true;
        }
        return user != null && now.membersByGroup.getOrDefault(group, Set.of()).contains(user);
    }

    private synchronized Snapshot current() {
        FileTime passwdTime = modified(passwdFile);
        FileTime groupTime = modified(groupFile);
        if (!passwdTime.equals(snapshot.passwdTime) || !groupTime.equals(snapshot.groupTime)) {
            snapshot = load(passwdTime, groupTime);
        }
        return snapshot;
    }

    private Snapshot load(FileTime passwdTime, FileTime groupTime) {
        Map<Long, String> users = new HashMap<>();
        for (String[] fields : records(passwdFile)) {
            if (fields.length >= 3) {
                parseId(fields[2]).ifPresent(uid -> users.putIfAbsent(uid, fields[0]));
            }
        }
        Map<String, Long> gids = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        for (String[] fields : records(groupFile)) {
            if (fields.length >= 3) {
                parseId(fields[2]).ifPresent(gid -> gids.putIfAbsent(fields[0], gid));
                Set<String> names = new HashSet<>();
                if (fields.length >= 4 && !fields[3].isEmpty()) {
                    names.addAll(List.of(fields[3].split(",")));
                }
                members.put(fields[0], names);
            }
        }
        return new Snapshot(passwdTime, groupTime, Map.copyOf(users), Map.copyOf(gids), Map.copyOf(members));
    }

    private static List<String[]> records(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split(":", -1))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
