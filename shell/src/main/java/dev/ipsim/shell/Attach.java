package dev.ipsim.shell;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A second terminal on the running lab ({@code ./ipsim attach}): the first interactive ipsim
 * listens on a Unix-domain socket only its user can open, and each connection becomes a new
 * interactive shell on the same machine, with its own prompt, working directory, job table and
 * foreground job, sharing the kernel model. Every shell is a process of the machine's one
 * scheduler, so the model never races.
 *
 * <p>The wire is a terminal's: after one header line ({@code TERM COLUMNS LINES}) the client
 * sends the keys as typed (its tty raw, so Ctrl-C and Ctrl-Z are bytes; the server's line
 * discipline makes them signals) and gets the screen's bytes back. The line discipline and the
 * shell live in {@link Repl}, the only class that knows JLine; this one only moves bytes.
 */
final class Attach {

    private Attach() {
    }

    /**
     * Where the socket lives: {@code $XDG_RUNTIME_DIR/ipsim.sock} (a directory only its user
     * may enter), else {@code /tmp/ipsim-USER/ipsim.sock} in a directory made mode 0700.
     */
    static Path socketPath(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "ipsim.sock");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "ipsim-" + System.getProperty("user.name"), "ipsim.sock");
    }

    /** The listening side, owned by the first interactive ipsim. */
    static final class Server implements Closeable {
        private final ServerSocketChannel channel;
        private final Path path;

        private Server(ServerSocketChannel channel, Path path) {
            this.channel = channel;
            this.path = path;
        }

        /**
         * Listens at {@code path} for terminals on {@code sandbox}; {@code null} if another
         * ipsim listens there already (the first one keeps the socket).
         */
        static Server listen(Sandbox sandbox, Path path) throws IOException {
            Path dir = path.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            if (Files.exists(path)) {
                try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                    return null;
                } catch (IOException e) {
                    // a socket left by an ipsim that is gone
                    Files.deleteIfExists(path);
                }
            }
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            Server server = new Server(ch, path);
            Thread acceptor = new Thread(() -> server.accept(sandbox), "ipsim-attach");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        }

        private void accept(Sandbox sandbox) {
            while (channel.isOpen()) {
                SocketChannel sc;
                try {
                    sc = channel.accept();
                } catch (IOException e) {
                    return;
                }
                Thread session = new Thread(() -> serve(sandbox, sc), "ipsim-terminal");
                session.setDaemon(true);
                session.start();
            }
        }

        private static void serve(Sandbox sandbox, SocketChannel sc) {
            try (sc) {
                InputStream in = input(sc);
                OutputStream out = output(sc);
                String[] header = readLine(in).split(" ");
                String term = header.length > 0 ? header[0] : "dumb";
                int columns = header.length > 1 ? number(header[1]) : 0;
                int lines = header.length > 2 ? number(header[2]) : 0;
                Repl.serveAttached(sandbox, in, out, term, columns, lines);
            } catch (IOException | RuntimeException e) {
                // the terminal went away
            }
        }

        Path path() {
            return path;
        }

        @Override
        public void close() throws IOException {
            channel.close();
            Files.deleteIfExists(path);
        }
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The header line, read a byte at a time so that nothing typed after it is taken. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
            if (sb.length() > 200) {
                break;
            }
        }
        return sb.toString();
    }

    /** The header a client sends: its terminal type and size. */
    static byte[] header(String term, int columns, int lines) {
        String t = term == null || term.isEmpty() || term.contains(" ") ? "dumb" : term;
        return (t + " " + columns + " " + lines + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Connects to the ipsim listening at {@code path}. */
    static SocketChannel connect(Path path) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(path));
    }

    /**
     * The socket's reading side. (Channels.newInputStream would hold the channel's blocking
     * lock while it waits, and the writing side could not write meanwhile.)
     */
    static InputStream input(SocketChannel sc) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = sc.read(ByteBuffer.wrap(b, off, len));
                return n <= 0 ? -1 : n;
            }

            @Override
            public void close() throws IOException {
                sc.close();
            }
        };
    }

    /** The socket's writing side. */
    static OutputStream output(SocketChannel sc) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    sc.write(buf);
                }
            }
        };
    }

    /**
     * {@code ipsim attach}: a terminal on the running ipsim. Keys go to it raw, the screen comes
     * back, until that shell exits.
     */
    static int client(Main.Stdio stdio) {
        Path path = socketPath(stdio.env());
        SocketChannel sc;
        try {
            sc = connect(path);
        } catch (IOException e) {
            Main.write(stdio.err(), "ipsim: attach: no interactive ipsim is running (nothing listens at " + path
                    + ")\n");
            return 1;
        }
        try (sc) {
            if (stdio.system() && stdio.inTty()) {
                return Repl.attachClient(sc, stdio);
            }
            // not at a terminal: the bytes as they come (for a test or a pipe)
            OutputStream up = output(sc);
            up.write(header(stdio.env().get("TERM"), 0, 0));
            Thread keys = new Thread(() -> copy(stdio.in(), up), "ipsim-keys");
            keys.setDaemon(true);
            keys.start();
            copy(input(sc), stdio.out());
            return 0;
        } catch (IOException e) {
            return 1;
        }
    }

    static void copy(InputStream from, OutputStream to) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = from.read(buf)) > 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // either end went away
        }
    }
}
