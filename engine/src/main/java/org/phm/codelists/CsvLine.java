package org.phm.codelists;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line on commas, honouring RFC 4180 double quotes ({@code ""} is a literal quote). The one splitter
 * for the small files read line by line outside Spark (code lists, input headers, the generator's seed facts and its
 * tests); bulk data is parsed by Spark.
 */
public final class CsvLine {
  private CsvLine() {}

  /** The trimmed cells of {@code line} (one cell for a line without commas, never empty). */
  public static List<String> split(String line) {
    return cells(line).stream().map(String::strip).toList();
  }

  /** The cells of {@code line} exactly as written (quotes removed, spaces kept). */
  public static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
