package org.phm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileScan} against a byte-at-a-time reference scan (the rules as its Javadoc states them), on random files
 * made of every kind of byte the rules distinguish, with buffers from 1 byte up, so each kind meets a buffer edge
 * and a split start; and the checksum against {@link MessageDigest}.
 */
class FileScanTest {
  @TempDir
  Path dir;

  /** What the reference scan finds: splittable, lines, lines before each start, quoted. */
  private record Expected(boolean splittable, long lines, Map<Long, Long> before, boolean quoted) {}

  /**
   * Per byte: a split at s gets 1 + the line feeds before s (0 for s = 0); a quoted line break, a bare carriage
   * return, a blank line (only bytes up to a space) or an unterminated quote make the file unsplittable.
   */
  private static Expected reference(byte[] data, long[] starts) {
    long[] sorted = starts.clone();
    java.util.Arrays.sort(sorted);
    Map<Long, Long> before = new HashMap<>();
    int next = 0;
    long newlines = 0;
    boolean inQuote = false;
    boolean quoted = false;
    boolean blank = true;
    boolean prevCr = false;
    boolean ok = true;
    for (int i = 0; i < data.length; i++) {
      while (next < sorted.length && sorted[next] <= i) {
        long s = sorted[next++];
        before.put(s, s == 0 ? 0L : 1 + newlines);
      }
      byte b = data[i];
      if (prevCr && b != '\n') {
        ok = false;
        break;
      }
      prevCr = false;
      if (b == '"') {
        inQuote = !inQuote;
        quoted = true;
        blank = false;
      } else if (b == '\n') {
        if (inQuote || blank) {
          ok = false;
          break;
        }
        newlines++;
        blank = true;
      } else if (b == '\r') {
        if (inQuote) {
          ok = false;
          break;
        }
        prevCr = true;
      } else if ((b & 0xff) > ' ') {
        blank = false;
      }
    }
    if (ok && (prevCr || inQuote)) {
      ok = false;
    }
    long lines = newlines + (ok && !blank ? 1 : 0);
    if (ok && blank && data.length > 0) {
      ok = data[data.length - 1] == '\n';
    }
    while (next < sorted.length) {
      long s = sorted[next++];
      before.put(s, s == 0 ? 0L : 1 + newlines);
    }
    return new Expected(ok, lines, before, quoted);
  }

  @Test
  void agreesWithTheByteAtATimeRulesAtEveryBufferSize() throws Exception {
    // mostly text with line feeds, so many files stay splittable; the rest are the bytes the rules single out
    byte[] alphabet = "aaaaaaaa1,,,\n\n\n\r\"  !\t".getBytes(StandardCharsets.ISO_8859_1);
    byte[] extra = {(byte) 0xC3, (byte) 0xA9, 0x01};
    Random random = new Random(7);
    int splittable = 0;
    for (int file = 0; file < 400; file++) {
      int length = random.nextInt(60);
      byte[] data = new byte[length];
      for (int i = 0; i < length; i++) {
        data[i] = random.nextInt(10) == 0 ? extra[random.nextInt(extra.length)]
            : alphabet[random.nextInt(alphabet.length)];
      }
      if (file % 3 == 0) { // well-formed lines, with CRLF endings now and then
        String s = new String(data, StandardCharsets.ISO_8859_1).replaceAll("[\r\n\"]", "x");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i += 7) {
          b.append(s, i, Math.min(s.length(), i + 7)).append(random.nextBoolean() ? "\n" : "\r\n");
        }
        data = b.toString().getBytes(StandardCharsets.ISO_8859_1);
      }
      Path f = dir.resolve("f" + file + ".csv");
      Files.write(f, data);
      TreeSet<Long> starts = new TreeSet<>();
      starts.add(0L);
      for (int k = 0; k < 3; k++) {
        starts.add((long) random.nextInt(data.length + 2));
      }
      long[] s = starts.stream().mapToLong(Long::longValue).toArray();
      Expected want = reference(data, s);
      splittable += want.splittable() ? 1 : 0;
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
      for (int buffer : new int[] {1, 2, 3, 5, 16, 1 << 20}) {
        FileScan got = FileScan.scan(f, false, s, buffer);
        String what = "file " + file + " (" + HexFormat.of().formatHex(data) + "), buffer " + buffer;
        assertEquals(want.splittable(), got.splittable(), what);
        assertEquals(want.lines(), got.lines(), what);
        assertEquals(want.before(), got.linesBefore(), what);
        if (want.splittable()) {
          assertEquals(want.quoted(), got.quoted(), what);
        }
        assertEquals(sha, got.sha256(), what);
      }
    }
    assertTrue(splittable > 100 && splittable < 390, "both kinds of file are tested: " + splittable);
  }

  @Test
  void gzipFilesOnlyGetAChecksum() throws Exception {
    Path f = dir.resolve("x.csv.gz");
    byte[] data = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Files.write(f, data);
    FileScan got = FileScan.scan(f, true, new long[] {0});
    assertFalse(got.splittable());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), got.sha256());
  }

  @Test
  void aMissingFileFailsWithTheIoError() {
    Path f = dir.resolve("absent.csv");
    org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.NoSuchFileException.class,
        () -> FileScan.scan(f, false, new long[] {0}));
  }
}
