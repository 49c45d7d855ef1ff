package clf.cli;

import java.util.Map;

/**
 * What a command reads from outside its arguments: the environment ({@code CLF_SOCKET_PATH})
 * and the time ({@code jobs wait}). Tests pass their own.
 */
record Context(Map<String, String> env, Ticker ticker) {

    static Context system() {
        return new Context(System.getenv(), Ticker.SYSTEM);
    }
}
