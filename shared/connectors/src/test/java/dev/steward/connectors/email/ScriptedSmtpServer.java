package dev.steward.connectors.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server on 127.0.0.1 that misbehaves on purpose, for the failures GreenMail cannot produce:
 * dropping the connection after the message content (outcome unknown), refusing recipients, or never greeting.
 * Serves one connection at a time; counts connections and DATA commands.
 */
final class ScriptedSmtpServer implements AutoCloseable {
    enum Script {
        /** Takes the whole message after DATA, then closes without the final reply. */
        DROP_AFTER_CONTENT,
        /** Answers 550 to every RCPT TO. */
        REJECT_RECIPIENTS,
        /** Accepts the connection and never says anything. */
        SILENT
    }

    private final Script script;
    private final ServerSocket socket;
    private final Thread acceptor;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger dataCommands = new AtomicInteger();

    ScriptedSmtpServer(Script script) throws IOException {
        this.script = script;
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("scripted-smtp").start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                connections.incrementAndGet();
                connection.setSoTimeout(10_000);
                handle(connection);
            } catch (IOException e) {
                // closed by close(), or the client went away: wait for the next connection
            }
        }
    }

    private void handle(Socket connection) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = connection.getOutputStream();
        if (script == Script.SILENT) {
            while (in.read() >= 0) {
                // hold the connection open until the client gives up
            }
            return;
        }
        reply(out, "220 scripted ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                reply(out, "250 scripted");
            } else if (command.startsWith("MAIL FROM")) {
                reply(out, "250 2.1.0 ok");
            } else if (command.startsWith("RCPT TO")) {
                reply(out, script == Script.REJECT_RECIPIENTS ? "550 5.1.1 no such mailbox here" : "250 2.1.5 ok");
            } else if (command.equals("DATA")) {
                dataCommands.incrementAndGet();
                reply(out, "354 end with <CRLF>.<CRLF>");
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    // swallow the content
                }
                return; // DROP_AFTER_CONTENT: hang up before saying whether the message was accepted
            } else if (command.equals("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "250 ok"); // RSET, NOOP
            }
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
