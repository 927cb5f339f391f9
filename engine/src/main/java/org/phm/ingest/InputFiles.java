package org.phm.ingest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.phm.codelists.CsvLine;

/**
 * Driver-side checks of one input file before Spark reads it: present, not empty, readable (gzip), a
 * comma-delimited header with every required column. Reads only the first line, so it is cheap.
 */
final class InputFiles {
  private InputFiles() {}

  private static final int MAX_HEADER_BYTES = 1 << 20;

  /**
   * A located, header-checked input file.
   *
   * @param contract its contract
   * @param path the file
   * @param header header names in file order (trimmed, BOM removed)
   * @param positions contract column name → 0-based header position (absent = optional column not supplied)
   * @param extraColumns header names the contract does not know (ignored, reported)
   * @param missingOptional optional contract columns absent from the header (read as empty)
   */
  record Located(ExtractContract contract, Path path, List<String> header, Map<String, Integer> positions,
      List<String> extraColumns, List<String> missingOptional) {
    String fileName() {
      return path.getFileName().toString();
    }

    boolean gzip() {
      return fileName().endsWith(".gz");
    }
  }

  /** Finds and checks the file of a contract; null when an optional file is absent. */
  static Located locate(ExtractContract c, Path inputDir) {
    Path plain = inputDir.resolve(c.file());
    Path gz = inputDir.resolve(c.file() + ".gz");
    boolean hasPlain = Files.isRegularFile(plain);
    boolean hasGz = Files.isRegularFile(gz);
    if (hasPlain && hasGz) {
      throw new InputException(c.file(), null, null, "both " + c.file() + " and " + c.file()
          + ".gz are present; supply exactly one");
    }
    if (!hasPlain && !hasGz) {
      if (c.required()) {
        throw new InputException(c.file(), null, null, "required file is missing from the input directory "
            + inputDir + " (expected " + c.file() + " or " + c.file() + ".gz)");
      }
      return null;
    }
    Path path = hasPlain ? plain : gz;
    String name = path.getFileName().toString();
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw new InputException(name, null, null, "cannot read file: " + e.getMessage(), e);
    }
    if (size == 0) {
      throw new InputException(name, null, null, "file is empty (0 bytes); a file with no records must still "
          + "have its header line");
    }
    String headerLine = firstLine(path, name, hasGz);
    List<String> header = CsvLine.split(headerLine);
    if (header.size() == 1) {
      for (String d : List.of(";", "\t", "|")) {
        if (header.get(0).contains(d)) {
          throw new InputException(name, null, 1L, "wrong delimiter: the header is a single column containing '"
              + (d.equals("\t") ? "\\t" : d) + "'; files must be comma-delimited");
        }
      }
    }
    Map<String, Integer> byLower = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i);
      if (h.isEmpty()) {
        continue;
      }
      if (byLower.putIfAbsent(h.toLowerCase(Locale.ROOT), i) != null) {
        throw new InputException(name, h, 1L, "column '" + h + "' appears twice in the header");
      }
    }
    Map<String, Integer> positions = new HashMap<>();
    List<String> missingOptional = new ArrayList<>();
    for (ColumnContract col : c.columns()) {
      Integer pos = byLower.get(col.name().toLowerCase(Locale.ROOT));
      if (pos != null) {
        positions.put(col.name(), pos);
      } else if (col.required()) {
        throw new InputException(name, col.name(), 1L, "header is missing required column '" + col.name()
            + "' (header has " + header.size() + " columns: " + String.join(",", header) + ")");
      } else {
        missingOptional.add(col.name());
      }
    }
    List<String> extra = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      if (!positions.containsValue(i)) {
        extra.add(header.get(i).isEmpty() ? "(unnamed column " + (i + 1) + ")" : header.get(i));
      }
    }
    return new Located(c, path, List.copyOf(header), Map.copyOf(positions), List.copyOf(extra),
        List.copyOf(missingOptional));
  }

  /** The first line (UTF-8, BOM and CR removed). */
  private static String firstLine(Path path, String name, boolean gz) {
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = gz ? new GZIPInputStream(raw) : raw) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int ch;
      boolean any = false;
      while ((ch = in.read()) != -1) {
        any = true;
        if (ch == '\n') {
          break;
        }
        b.write(ch);
        if (b.size() > MAX_HEADER_BYTES) {
          throw new InputException(name, null, 1L, "header line is longer than 1 MiB (is this a CSV file?)");
        }
      }
      if (!any) {
        throw new InputException(name, null, null, "file is empty after decompression; a file with no records "
            + "must still have its header line");
      }
      String line = b.toString(StandardCharsets.UTF_8);
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank()) {
        throw new InputException(name, null, 1L, "the header line is empty");
      }
      return line;
    } catch (ZipException | EOFException e) {
      throw new InputException(name, null, null, "unreadable gzip: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InputException(name, null, null, "cannot read file: " + e.getMessage(), e);
    }
  }

}
