package dev.ipsim.shell;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A command's standard output as C stdio buffers it: line by line on a terminal, in 4096-byte
 * blocks otherwise. What a command has written reaches the real stream when it flushes, when
 * the block fills, or when the command ends; standard error is never buffered.
 */
public final class StdioBuffer extends OutputStream {

    /** glibc's buffer for a pipe or file ({@code st_blksize}). */
    public static final int BLOCK = 4096;

    private final OutputStream sink;
    private final boolean lineBuffered;
    private final byte[] buffer = new byte[BLOCK];
    private int count;

    public StdioBuffer(OutputStream sink, boolean lineBuffered) {
        this.sink = sink;
        this.lineBuffered = lineBuffered;
    }

    @Override
    public void write(int b) {
        if (count == buffer.length) {
            drain();
        }
        buffer[count++] = (byte) b;
        if (lineBuffered && b == '\n') {
            drain();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    @Override
    public void flush() {
        drain();
    }

    private void drain() {
        if (count == 0) {
            return;
        }
        try {
            sink.write(buffer, 0, count);
            sink.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        count = 0;
    }

    @Override
    public void close() {
        drain();
    }
}
