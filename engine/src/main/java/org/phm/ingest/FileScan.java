package org.phm.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One sequential driver-side pass over an input file's bytes that yields its SHA-256 and decides whether Spark
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
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long[] starts = gzip ? new long[0] : splitStarts.clone();
    Arrays.sort(starts);
    Map<Long, Long> before = new HashMap<>();
    int nextStart = 0;
    long newlines = 0;
    boolean inQuote = false;
    boolean quoted = false;
    boolean lineBlank = true; // current line has only bytes <= ' ' so far (Spark drops such lines)
    boolean prevCr = false;
    boolean ok = !gzip;
    long pos = 0;
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(path)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        if (!ok) {
          continue;
        }
        for (int i = 0; i < n; i++) {
          // Hadoop's line reader skips the line holding byte s (even one starting exactly at s, which the previous
          // split reads): lines before a split at s > 0 = 1 + line breaks at positions < s
          while (nextStart < starts.length && starts[nextStart] <= pos + i) {
            long s = starts[nextStart++];
            before.put(s, s == 0 ? 0L : 1 + newlines);
          }
          byte b = buf[i];
          if (prevCr && b != '\n') {
            ok = false; // bare CR line break
            break;
          }
          prevCr = false;
          if (b == '"') {
            inQuote = !inQuote;
            quoted = true;
            lineBlank = false;
          } else if (b == '\n') {
            if (inQuote || lineBlank) {
              ok = false; // quoted line break, or a blank line
              break;
            }
            newlines++;
            lineBlank = true;
          } else if (b == '\r') {
            if (inQuote) {
              ok = false;
              break;
            }
            prevCr = true;
          } else if ((b & 0xff) > ' ') {
            lineBlank = false;
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
    return new FileScan(HexFormat.of().formatHex(md.digest()), ok, lines, Map.copyOf(before), quoted);
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
