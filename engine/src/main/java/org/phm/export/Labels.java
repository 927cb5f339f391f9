package org.phm.export;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Map;

/**
 * Words, symbols and number formats shared by the Excel and HTML exports, so both say the same thing.
 * Status is never conveyed by colour alone: every RAG rating carries a symbol and a word, every trend
 * an arrow and a word.
 */
final class Labels {
  private Labels() {}

  /** A RAG rating as shown to readers, with the Okabe–Ito-based fill used for the cell. */
  record Rag(String code, String symbol, String word, String fill, String ink) {
    String text() {
      return symbol + " " + word;
    }
  }

  static final Rag GREEN = new Rag("GREEN", "✔", "Green – meets standard", "CDEBDD", "00513A");
  static final Rag AMBER = new Rag("AMBER", "▲", "Amber – close to standard", "F9E3B0", "5C3D00");
  static final Rag RED = new Rag("RED", "✖", "Red – not meeting standard", "F6CDB3", "7A2E00");
  static final Rag NONE = new Rag("NONE", "–", "No rating", "FFFFFF", "333333");

  /** Shown for the RAG of a withheld value: the rating would hint at the withheld figure. */
  static final Rag WITHHELD = new Rag("NONE", "*", "Withheld", "FFFFFF", "333333");

  /** The RAG of a row, withheld with its value when the row is suppressed. */
  static Rag rag(String code, boolean suppressed) {
    return suppressed ? WITHHELD : rag(code);
  }

  static Rag rag(String code) {
    if (code == null) {
      return NONE;
    }
    return switch (code.strip().toUpperCase(Locale.ROOT)) {
      case "GREEN", "G" -> GREEN;
      case "AMBER", "A" -> AMBER;
      case "RED", "R" -> RED;
      default -> NONE;
    };
  }

  /**
   * Trend arrow with words; tolerant of the engine's spelling (INCREASING, ↑, UP, ...). IMPROVING and
   * WORSENING get their arrow from the indicator's polarity (improving a lower-is-better indicator is ↓).
   */
  static String trend(String t, String polarity) {
    if (t == null || t.isBlank()) {
      return "– Not enough data";
    }
    String u = t.strip().toUpperCase(Locale.ROOT);
    boolean lowerBetter = polarity != null && polarity.toUpperCase(Locale.ROOT).startsWith("LOWER");
    if (u.equals("IMPROVING")) {
      return (lowerBetter ? "↓ Decreasing" : "↑ Increasing") + ", improving";
    }
    if (u.equals("WORSENING")) {
      return (lowerBetter ? "↑ Increasing" : "↓ Decreasing") + ", worsening";
    }
    String quality = u.contains("BETTER") ? ", getting better" : u.contains("WORSE") ? ", getting worse" : "";
    if (u.contains("INCREAS") || u.startsWith("UP") || u.contains("↑") || u.contains("RISING")) {
      return "↑ Increasing" + quality;
    }
    if (u.contains("DECREAS") || u.startsWith("DOWN") || u.contains("↓") || u.contains("FALLING")) {
      return "↓ Decreasing" + quality;
    }
    if (u.contains("NO_") || u.contains("NO ") || u.contains("STABLE") || u.contains("SAME") || u.contains("→")
        || u.contains("FLAT") || u.contains("SIMILAR")) {
      return "→ No significant change";
    }
    if (u.contains("NOT") || u.contains("INSUFFICIENT") || u.equals("NONE") || u.equals("-")) {
      return "– Not enough data";
    }
    return humanise(t);
  }

  /** The comparison with the benchmark as words: the judgement (better/worse) with the direction. */
  static String compared(String comparison, String judgement, boolean suppressed) {
    return suppressed ? DisclosureGuard.SUPPRESSED : compared(comparison, judgement);
  }

  static String compared(String comparison, String judgement) {
    String c = comparison == null ? "" : comparison.toUpperCase(Locale.ROOT);
    String j = judgement == null ? "" : judgement.toUpperCase(Locale.ROOT);
    if (j.equals("BETTER") || j.equals("WORSE")) {
      return humanise(j) + (c.equals("HIGHER") || c.equals("LOWER") ? " (" + c.toLowerCase(Locale.ROOT) + ")" : "");
    }
    if (!j.isEmpty()) {
      return humanise(j);
    }
    return humanise(comparison);
  }

  /** UPPER_SNAKE or snake words as a sentence-case phrase (BETTER_95 → "Better 95"). */
  static String humanise(String s) {
    if (s == null || s.isBlank()) {
      return "";
    }
    String w = s.strip().replace('_', ' ').toLowerCase(Locale.ROOT);
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }

  private static final Map<String, String> HEADERS = Map.ofEntries(
      Map.entry("indicator_id", "Indicator id"), Map.entry("lower95", "Lower 95% CI"),
      Map.entry("upper95", "Upper 95% CI"), Map.entry("lower998", "Lower 99.8% CI"),
      Map.entry("upper998", "Upper 99.8% CI"), Map.entry("ics_value", "ICS value"),
      Map.entry("icp_code", "ICP code"), Map.entry("icp_name", "ICP"), Map.entry("pcn_code", "PCN code"),
      Map.entry("pcn_name", "PCN"), Map.entry("ics_code", "ICS code"), Map.entry("ics_name", "ICS"),
      Map.entry("sii", "SII"), Map.entry("rii", "RII"), Map.entry("sii_lower95", "SII lower 95% CI"),
      Map.entry("sii_upper95", "SII upper 95% CI"), Map.entry("rii_lower95", "RII lower 95% CI"),
      Map.entry("rii_upper95", "RII upper 95% CI"), Map.entry("ipr_kpi", "IPR KPI"),
      Map.entry("rag", "RAG"), Map.entry("imd_quintile", "IMD quintile"),
      Map.entry("kpis_with_standard", "KPIs with a standard"),
      Map.entry("kpis_meeting_standard", "KPIs meeting the standard"),
      Map.entry("share_meeting_standard", "% meeting the standard"), Map.entry("rag_green", "✔ Green"),
      Map.entry("rag_amber", "▲ Amber"), Map.entry("rag_red", "✖ Red"), Map.entry("cohort_id", "Cohort"));

  /** Column name as a reader-friendly header. */
  static String header(String column) {
    String h = HEADERS.get(column.toLowerCase(Locale.ROOT));
    return h != null ? h : humanise(column);
  }

  private static final DecimalFormatSymbols UK = DecimalFormatSymbols.getInstance(Locale.UK);

  /** Decimal places used for a value of this size: enough to compare areas, no false precision. */
  static int decimals(Double v) {
    if (v == null) {
      return 1;
    }
    double a = Math.abs(v);
    return a >= 1000 ? 0 : a >= 10 ? 1 : 2;
  }

  static String number(Double v, int decimals) {
    if (v == null) {
      return "";
    }
    StringBuilder p = new StringBuilder("#,##0");
    if (decimals > 0) {
      p.append('.').append("0".repeat(decimals));
    }
    DecimalFormat f = new DecimalFormat(p.toString(), UK);
    f.setRoundingMode(java.math.RoundingMode.HALF_UP); // as Excel rounds, so both exports agree
    return f.format(v);
  }

  static String value(Double v) {
    return number(v, decimals(v));
  }

  static String count(Double v) {
    return number(v, 0);
  }

  /** Unit suffix for display ("%" stays attached, other units after a space). */
  static String withUnit(String formatted, String unit) {
    if (formatted.isEmpty() || unit == null || unit.isBlank()) {
      return formatted;
    }
    return unit.strip().equals("%") ? formatted + "%" : formatted + " " + unit.strip();
  }

  /** Level code as a word. */
  static String level(String level) {
    if (level == null) {
      return "";
    }
    return switch (level.toUpperCase(Locale.ROOT)) {
      case "ICS" -> "ICS";
      case "ICP" -> "ICP (place)";
      case "PCN" -> "PCN";
      case "PRACTICE" -> "Practice";
      case "PROVIDER" -> "Provider";
      default -> humanise(level);
    };
  }
}
