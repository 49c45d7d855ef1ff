package clf.image.probe;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Run by the image's java from the class path: reads a line through a JLine dumb terminal
 * and runs a picocli command, printing which module each library came from.
 */
public final class LibraryProbe {

    private LibraryProbe() {}

    @Command(name = "greet")
    static final class Greet implements Runnable {
        @Parameters(index = "0")
        String name;

        String greeted;

        @Override
        public void run() {
            greeted = name;
        }
    }

    public static void main(String[] args) throws IOException {
        InputStream in = new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8));
        try (Terminal terminal = TerminalBuilder.builder()
                .system(false).dumb(true).type("dumb")
                .streams(in, new ByteArrayOutputStream())
                .build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            String line = reader.readLine();
            System.out.println("jline " + LineReader.class.getModule().getName() + " read " + line);
        }

        Greet greet = new Greet();
        CommandLine cmd = new CommandLine(greet);
        cmd.setOut(new PrintWriter(new StringWriter()));
        int code = cmd.execute("world");
        System.out.println("picocli " + CommandLine.class.getModule().getName()
                + " class-file " + majorVersion(CommandLine.class) + " greeted " + greet.greeted
                + (code == 0 ? "" : " exit " + code));
    }

    /** The class file's major version: 61 means rebuilt for Java 17 (picocli ships 49). */
    private static int majorVersion(Class<?> type) throws IOException {
        try (DataInputStream data = new DataInputStream(
                type.getModule().getResourceAsStream(type.getName().replace('.', '/') + ".class"))) {
            data.readInt();
            data.readUnsignedShort();
            return data.readUnsignedShort();
        }
    }
}
