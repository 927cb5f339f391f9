package org.phm.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A generated CSV file read into memory for tests: header, rows and their 1-based physical line numbers. */
record Csv(String name, List<String> header, List<String[]> rows, List<String> lines) {
  static Csv read(Path dir, String file) {
    try (BufferedReader r = Files.newBufferedReader(dir.resolve(file), StandardCharsets.UTF_8)) {
      List<String> header = org.phm.codelists.CsvLine.cells(r.readLine());
      List<String[]> rows = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        rows.add(org.phm.codelists.CsvLine.cells(line).toArray(new String[0]));
      }
      return new Csv(file, header, rows, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int col(String name) {
    int i = header.indexOf(name);
    if (i < 0) throw new IllegalArgumentException(this.name + " has no column " + name);
    return i;
  }

  /** Physical line number (header = 1) of data row i (0-based). */
  static int line(int rowIndex) { return rowIndex + 2; }

  /** The sidecar: file -> (line -> reason). */
  static Map<String, Map<Integer, String>> injected(Path dir) {
    Csv s = read(dir.resolve(Generator.META_DIR), Generator.INJECTED_ERRORS);
    Map<String, Map<Integer, String>> out = new HashMap<>();
    for (String[] r : s.rows()) out.computeIfAbsent(r[0], k -> new HashMap<>()).put(Integer.parseInt(r[1]), r[2]);
    return out;
  }

  static boolean isBad(Map<String, Map<Integer, String>> inj, String file, int rowIndex) {
    return inj.getOrDefault(file, Map.of()).containsKey(line(rowIndex));
  }

  static Set<Integer> badLines(Map<String, Map<Integer, String>> inj, String file) {
    return inj.getOrDefault(file, Map.of()).keySet();
  }
}
