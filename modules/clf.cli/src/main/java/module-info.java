/** The bot-facing `clf` command line. It reads the wire protocol and never loads the daemon. */
module clf.cli {
    requires clf.protocol;
    requires info.picocli;
    requires org.jline.reader;
    requires org.jline.terminal;
    requires com.fasterxml.jackson.jr.ob;
    // JLine traps Ctrl-C (so it stops a `watch` in `clf shell`, not the shell) through
    // sun.misc.Signal, found reflectively: without this module the JVM dies of SIGINT.
    requires jdk.unsupported;

    // picocli reflects on the command classes; opening is enough, nothing is API.
    opens clf.cli to info.picocli;
}
