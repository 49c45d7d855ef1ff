/**
 * The secrets side of cattle: one-time bootstrap tokens (stored as SHA-256 only) that a new VM
 * trades for its environment, and where secret values come from (systemd credentials, else the
 * environment). Nothing here ever logs, prints or stores a secret value.
 */
module clf.secrets {
    requires clf.queue;
    requires java.sql;
    requires com.fasterxml.jackson.jr.ob;

    exports clf.secrets;
}
