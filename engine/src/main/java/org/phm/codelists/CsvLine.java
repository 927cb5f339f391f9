package org.phm.codelists;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line on commas, honouring RFC 4180 double quotes ({@code ""} is a literal quote); cells are
 * trimmed. The one splitter for the small header-first files the engine reads on the driver (code lists, input
 * headers); bulk data is parsed by Spark.
 */
public final class CsvLine {
  private CsvLine() {}

  /** The trimmed cells of {@code line} (one cell for a line without commas, never empty). */
  public static List<String> split(String line) {
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
        out.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString().strip());
    return out;
  }
}
