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

    // Nothing is API, and nothing is opened: the commands build picocli's model themselves
    // (CommandSpecs), so picocli needs no reflection on them.
}
