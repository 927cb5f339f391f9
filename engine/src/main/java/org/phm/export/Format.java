package org.phm.export;

import java.util.Locale;

/** Output formats of a place data-pack export. */
public enum Format {
  /** Excel workbook (one per area), built with Apache POI. */
  XLSX,
  /** Self-contained offline HTML report (one file per area, inline SVG charts). */
  HTML;

  /** Parses a user-supplied format name (case-insensitive). */
  public static Format parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ExportException.Usage("unknown export format '" + s + "' (use xlsx or html)");
    }
  }
}
