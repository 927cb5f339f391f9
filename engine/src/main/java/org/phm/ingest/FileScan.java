package org.phm.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.phm.pack.Checksums;

/**
 * A driver-side pass over an input file's bytes that yields its SHA-256 and decides whether Spark
 * may split the file by lines: it may when every physical line is one record, i.e. no quoted field spans a line
 * break, no bare carriage return ends a line and no line is blank (Spark's line reader drops blank lines, which
 * would shift record numbers). For a splittable file the pass also counts the lines that start before each
 * split offset, so each split can number its records exactly ({@link #linesBefore}).
 *
 * <p>Why: reading a CSV with {@code multiLine=true} makes Spark parse the whole file on one core; most extracts
 * never quote a line break, so they can be read in parallel splits at the cost of this one cheap scan (which
 * also replaces the separate checksum read).
 */
final class FileScan {
  private final String sha256;
  private final boolean splittable;
  private final long lines;
  private final Map<Long, Long> linesBefore;
  private final boolean quoted;

  private FileScan(String sha256, boolean splittable, long lines, Map<Long, Long> linesBefore, boolean quoted) {
    this.sha256 = sha256;
    this.splittable = splittable;
    this.lines = lines;
    this.linesBefore = linesBefore;
    this.quoted = quoted;
  }

  /** Lowercase hex SHA-256 of the file's bytes (as stored, i.e. compressed for .gz). */
  String sha256() {
    return sha256;
  }

  /** Whether every physical line is exactly one record (so line-split reading numbers records exactly). */
  boolean splittable() {
    return splittable;
  }

  /**
   * Whether any quote character occurs in the file. A splittable file without one is plain comma-separated text:
   * each line's fields are exactly its comma-separated parts. Valid when splittable.
   */
  boolean quoted() {
    return quoted;
  }

  /** Physical lines including the header (a final line without a line break counts); valid when splittable. */
  long lines() {
    return lines;
  }

  /**
   * Physical lines read by the splits before each requested split offset: Hadoop's line reader gives a split
   * starting at {@code s > 0} the lines that start after {@code s}. Valid when splittable.
   */
  Map<Long, Long> linesBefore() {
    return linesBefore;
  }

  /**
   * Scans a file.
   *
   * @param path the file
   * @param gzip whether it is gzip-compressed (then only the checksum is computed; gzip cannot be split)
   * @param splitStarts byte offsets where Spark's splits of the file start (ignored for gzip)
   */
  static FileScan scan(Path path, boolean gzip, long[] splitStarts) throws IOException {
    return scan(path, gzip, splitStarts, 1 << 20);
  }

  /**
   * {@link #scan(Path, boolean, long[])}, reading {@code bufferBytes} at a time (tests use tiny buffers so that every
   * kind of byte meets a buffer boundary). The checksum is computed on a helper thread while this one reads the
   * lines: the executors wait for the scan, so the second core is free, and the two passes take about as long as
   * each other (~1 s per GB each).
   */
  static FileScan scan(Path path, boolean gzip, long[] splitStarts, int bufferBytes) throws IOException {
    if (gzip) {
      return new FileScan(sha256(path), false, 0, Map.of(), false);
    }
    Future<String> digest = DIGESTS.submit(() -> sha256(path));
    try {
      FileScan lines = lines(path, splitStarts, bufferBytes);
      return new FileScan(result(digest), lines.splittable, lines.lines, lines.linesBefore, lines.quoted);
    } finally {
      digest.cancel(true); // only when the line pass failed
    }
  }

  /** Daemon threads for checksums, one per file being scanned. */
  private static final ExecutorService DIGESTS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "phm-input-checksum");
    t.setDaemon(true);
    return t;
  });

  /** The file's SHA-256 ({@link Checksums#sha256}, the pack's checksum), its read failure as thrown. */
  private static String sha256(Path path) throws IOException {
    try {
      return Checksums.sha256(path);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static String result(Future<String> digest) throws IOException {
    try {
      return digest.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while computing a checksum");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The line structure of a plain (not gzip) file; its checksum is left null. */
  private static FileScan lines(Path path, long[] splitStarts, int bufferBytes) throws IOException {
    long[] starts = splitStarts.clone();
    Arrays.sort(starts);
    Map<Long, Long> before = new HashMap<>();
    int nextStart = 0;
    long newlines = 0;
    boolean inQuote = false;
    boolean quoted = false;
    boolean lineBlank = true; // current line has only bytes <= ' ' so far (Spark drops such lines)
    boolean prevCr = false;
    boolean ok = true;
    long pos = 0;
    byte[] buf = new byte[bufferBytes];
    try (InputStream in = Files.newInputStream(path)) {
      int n;
      while (ok && (n = in.read(buf)) > 0) {
        int i = 0;
        if (prevCr) { // the previous buffer ended with a carriage return: a line feed must follow it
          prevCr = false;
          ok = buf[0] == '\n';
        }
        scan:
        while (ok && i < n) {
          // Hadoop's line reader skips the line holding byte s (even one starting exactly at s, which the previous
          // split reads): lines before a split at s > 0 = 1 + line breaks at positions < s
          while (nextStart < starts.length && starts[nextStart] <= pos + i) {
            long s = starts[nextStart++];
            before.put(s, s == 0 ? 0L : 1 + newlines);
          }
          int stop = nextStart < starts.length ? (int) Math.min(n, starts[nextStart] - pos) : n;
          for (; i < stop; i++) {
            byte b = buf[i];
            if (b > '"' || b < 0) { // most bytes: text (non-ASCII bytes are negative)
              lineBlank = false;
            } else if (b == '"') {
              inQuote = !inQuote;
              quoted = true;
              lineBlank = false;
            } else if (b == '\n') {
              if (inQuote || lineBlank) {
                ok = false; // quoted line break, or a blank line
                break scan;
              }
              newlines++;
              lineBlank = true;
            } else if (b == '\r') {
              if (inQuote) {
                ok = false;
                break scan;
              }
              if (i + 1 < n) {
                if (buf[i + 1] != '\n') {
                  ok = false; // bare CR line break
                  break scan;
                }
              } else {
                prevCr = true; // decided by the next buffer's first byte
              }
            } else if (b == '!') {
              lineBlank = false;
            }
          }
        }
        pos += n;
      }
    }
    if (ok && (prevCr || inQuote)) {
      ok = false;
    }
    long lines = newlines + (ok && !lineBlank ? 1 : 0);
    if (ok && lineBlank && pos > 0) {
      // file ends with a line break: fine; but an empty final "line" after content that is only whitespace
      // (e.g. "  " with no newline) would be dropped by Spark; treat as not splittable unless it is empty
      // (the only way lineBlank can be true here with bytes after the last newline)
      ok = endsWithNewline(path, pos);
    }
    while (nextStart < starts.length) {
      long s = starts[nextStart++];
      before.put(s, s == 0 ? 0L : 1 + newlines);
    }
    return new FileScan(null, ok, lines, Map.copyOf(before), quoted);
  }

  private static boolean endsWithNewline(Path path, long size) throws IOException {
    try (var ch = Files.newByteChannel(path)) {
      ch.position(size - 1);
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      ch.read(one);
      return one.get(0) == '\n';
    }
  }
}
