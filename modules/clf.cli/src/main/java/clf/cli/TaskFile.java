package clf.cli;

import clf.protocol.InvalidInputException;
import clf.protocol.Protocol;
import clf.protocol.Task;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Reads {@code --task-file}: a JSON task (schema version 1), relative to the working directory.
 * Every refusal starts with {@code --task-file <path as given>:} and happens before anything is sent.
 */
final class TaskFile {
    private TaskFile() {
    }

    static Task read(String given) {
        String label = "--task-file " + given;
        Path path;
        try {
            path = Path.of(given);
        } catch (InvalidPathException e) {
            throw Failure.invalid(label + ": not a file name (" + e.getReason() + ")");
        }
        if (!Files.exists(path)) {
            throw Failure.invalid(label + ": no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw Failure.invalid(label + ": not a regular file");
        }
        String text;
        try {
            if (Files.size(path) > Protocol.MAX_REQUEST_BYTES) {
                throw Failure.invalid(label + ": larger than " + Protocol.MAX_REQUEST_BYTES + " bytes");
            }
            // A fresh decoder reports malformed input instead of replacing it.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
        } catch (AccessDeniedException e) {
            throw Failure.invalid(label + ": permission denied");
        } catch (CharacterCodingException e) {
            throw Failure.invalid(label + ": not UTF-8 text");
        } catch (IOException e) {
            throw Failure.invalid(label + ": cannot read (" + e.getMessage() + ")");
        }
        Object json;
        try {
            json = Json.parse(text);
        } catch (JsonProcessingException e) {
            throw Failure.invalid(label + ": invalid JSON (" + Json.describe(e) + ")");
        }
        try {
            return Task.fromJson(json, "task");
        } catch (InvalidInputException e) {
            throw Failure.invalid(label + ": " + e.getMessage());
        }
    }
}
