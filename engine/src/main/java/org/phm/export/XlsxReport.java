package org.phm.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.HorizontalAlignment;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.VerticalAlignment;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFColor;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.phm.export.ExportData.Area;
import org.phm.export.ExportData.IndicatorView;
import org.phm.export.ExportData.Value;

/**
 * The Excel data pack of one ICP or PCN: cover ("About"), IPR-style dashboard, one sheet per domain,
 * inequalities, risk stratification and definitions. Values only (no formulas, no patient-level
 * data); header rows frozen, number formats and column widths set; RAG cells coloured and also
 * labelled with a symbol and words.
 */
final class XlsxReport {
  static final String ABOUT = "About";
  static final String DASHBOARD = "Dashboard";
  static final String INEQUALITIES = "Inequalities";
  static final String RISK = "Risk stratification";
  static final String DEFINITIONS = "Definitions";

  private final ExportData data;
  private final Area area;
  private final XSSFWorkbook wb = new XSSFWorkbook();
  private final Styles st;
  private final Set<String> sheetNames = new HashSet<>();

  private XlsxReport(ExportData data, Area area) {
    this.data = data;
    this.area = area;
    this.st = new Styles(wb);
  }

  static void write(ExportData data, Area area, Path file) {
    XlsxReport r = new XlsxReport(data, area);
    try (XSSFWorkbook wb = r.wb) {
      r.build();
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        wb.write(out);
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ExportException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private void build() {
    Map<String, List<IndicatorView>> views = data.views(area);
    about(views);
    dashboard(views);
    for (Map.Entry<String, List<IndicatorView>> e : views.entrySet()) {
      domain(e.getKey(), e.getValue());
    }
    inequalities(views);
    risk();
    definitions();
    wb.setActiveSheet(0);
  }

  // ---------------------------------------------------------------- sheets

  private void about(Map<String, List<IndicatorView>> views) {
    Sheet s = sheet(ABOUT, new int[] {28, 100});
    s.title("Population health data pack: " + area.title());
    s.blank();
    String latest = views.values().stream().flatMap(List::stream).map(v -> v.latest().periodLabel())
        .filter(p -> p != null).max(String::compareTo).orElse("no indicator values for this area");
    s.pair("Area", area.name() + " (" + Labels.level(area.level()) + ", code " + area.code() + ")");
    if (area.parentName() != null) {
      s.pair("Part of", area.parentName() + (area.parentCode() == null ? "" : " (" + area.parentCode() + ")"));
    }
    Double reg = data.registered(area.code());
    if (reg != null) {
      s.pair("Registered patients", Labels.count(reg)
          + (data.populationDate() == null ? "" : " at " + data.populationDate()));
    }
    s.pair("Period", "Each indicator shows its own latest period; latest here: " + latest);
    s.pair("Data pack run date", data.manifest.runDate());
    s.pair("Data pack id", data.manifest.runId());
    s.pair("Exported", LocalDate.now().toString());
    s.blank();
    s.heading("How to read this workbook");
    for (String line : HowToRead.lines(data.guard.threshold())) {
      s.wrapped(line);
    }
    s.blank();
    s.heading("Sheets");
    s.pair(DASHBOARD, "One line per indicator (KPI): standard, latest value, RAG rating and trend, compared with the ICS.");
    for (String d : views.keySet()) {
      s.pair(sheetNameFor(d), "Domain " + d + ": values with 95% confidence intervals for " + area.name()
          + ", the ICS and each " + Labels.level(area.childLevel()) + ", plus earlier periods.");
    }
    s.pair(INEQUALITIES, "Values by IMD quintile, ethnicity, age band and sex, and the slope index of inequality.");
    s.pair(RISK, "Registered patients by risk tier and segment, and cohort sizes.");
    s.pair(DEFINITIONS, "What each indicator measures, how it is calculated, its standard and caveats.");
    if (!data.notes.isEmpty()) {
      s.blank();
      s.heading("Notes");
      data.notes.forEach(s::wrapped);
    }
  }

  private void dashboard(Map<String, List<IndicatorView>> views) {
    Sheet s = sheet(DASHBOARD, new int[] {22, 46, 12, 14, 12, 12, 30, 30, 12, 24, 12, 13, 13});
    s.title(area.title() + ": indicator dashboard");
    s.wrapped(suppressionNote());
    s.header("Domain", "Indicator (KPI)", "Standard", "Period", "Latest value", "Unit", "RAG rating", "Trend",
        "ICS value", "Compared with ICS", "England", "Numerator", "Denominator");
    for (Map.Entry<String, List<IndicatorView>> e : views.entrySet()) {
      for (IndicatorView v : e.getValue()) {
        Value l = v.latest();
        Double target = l.target() != null ? l.target() : v.def().target();
        s.row(e.getKey(), v.def().name(), num(target), l.periodLabel(), val(l), unit(v), Labels.rag(l.rag(), l.suppressed()),
            Labels.trend(l.trend(), v.def().polarity()), num(icsValue(v)), Labels.compared(l.comparison(), l.judgement(), l.suppressed()), num(l.nationalValue()),
            cnt(l.numerator(), l.suppressed()), cnt(l.denominator(), l.suppressed()));
      }
    }
    TableData summary = data.table("indicator_summary");
    if (summary != null) {
      s.blank();
      s.heading("KPIs meeting their standard, by domain");
      generic(s, summary, data.rowsFor("indicator_summary", area.code()),
          Set.of("level", "area_code", "area_name", "parent_code"));
    }
    s.finish();
  }

  private void domain(String domain, List<IndicatorView> views) {
    Sheet s = sheet(sheetNameFor(domain), new int[] {46, 14, 12, 34, 13, 13, 12, 12, 12, 12, 24, 30, 30});
    s.title(domain + ": " + area.title() + ", the ICS and each " + Labels.level(area.childLevel()));
    s.wrapped(suppressionNote() + " CI = confidence interval.");
    s.header("Indicator", "Period", "Level", "Area", "Numerator", "Denominator", "Value", "Lower 95% CI",
        "Upper 95% CI", "ICS value", "Compared with ICS", "RAG rating", "Trend");
    for (IndicatorView v : views) {
      List<Value> rows = new ArrayList<>();
      rows.add(v.latest());
      if (v.ics() != null) {
        rows.add(v.ics());
      }
      rows.addAll(v.children());
      for (int i = v.trend().size() - 2; i >= 0; i--) {
        rows.add(v.trend().get(i));
      }
      for (Value r : rows) {
        s.row(v.def().name(), r.periodLabel(), Labels.level(r.level()), r.areaName(), cnt(r.numerator(), r.suppressed()),
            cnt(r.denominator(), r.suppressed()), val(r), num(r.lower95(), r.suppressed()),
            num(r.upper95(), r.suppressed()), num(r.icsValue() != null ? r.icsValue() : icsValue(v)),
            Labels.compared(r.comparison(), r.judgement(), r.suppressed()), Labels.rag(r.rag(), r.suppressed()), Labels.trend(r.trend(), v.def().polarity()));
      }
    }
    s.finish();
  }

  private void inequalities(Map<String, List<IndicatorView>> views) {
    Sheet s = sheet(INEQUALITIES, new int[] {46, 14, 18, 26, 13, 13, 12, 12, 12, 24});
    s.title("Inequalities in " + area.title());
    s.wrapped(suppressionNote() + " IMD quintile 1 = most deprived 20% of neighbourhoods in England.");
    s.header("Indicator", "Period", "Breakdown", "Group", "Numerator", "Denominator", "Value", "Lower 95% CI",
        "Upper 95% CI", "Compared with ICS");
    int n = 0;
    for (List<IndicatorView> vs : views.values()) {
      for (IndicatorView v : vs) {
        for (Value r : v.breakdowns()) {
          s.row(v.def().name(), r.periodLabel(), breakdownName(r.breakdown()), r.breakdownValue(),
              cnt(r.numerator(), r.suppressed()), cnt(r.denominator(), r.suppressed()), val(r),
              num(r.lower95(), r.suppressed()), num(r.upper95(), r.suppressed()), Labels.compared(r.comparison(), r.judgement(), r.suppressed()));
          n++;
        }
      }
    }
    if (n == 0) {
      s.wrapped("No breakdowns by deprivation, ethnicity, age or sex are available for this area in this pack.");
    }
    TableData ineq = data.table("indicator_inequality");
    s.blank();
    s.heading("Slope index of inequality (SII) and relative index (RII) across IMD quintiles");
    if (ineq == null) {
      s.wrapped("This pack has no inequality (SII) table.");
    } else {
      List<Object[]> rows = data.rowsFor("indicator_inequality", area.code());
      s.wrapped("SII: the absolute gap in the indicator between the most and least deprived ends of the area, "
          + "allowing for the size of each quintile. RII: the same gap relative to the area's average.");
      generic(s, ineq, rows, Set.of("level", "area_code", "area_name", "parent_code"));
    }
    s.finish();
  }

  private void risk() {
    Sheet s = sheet(RISK, new int[] {22, 26, 20, 24, 14, 14, 14, 14});
    s.title("Risk stratification: " + area.title());
    s.wrapped(suppressionNote() + " Counts are registered patients (no patient-level data).");
    TableData risk = data.table("risk_stratification");
    if (risk == null) {
      s.wrapped("This pack has no risk stratification table.");
    } else {
      generic(s, risk, data.rowsFor("risk_stratification", area.code()),
          Set.of("level", "area_code", "area_name", "parent_code"));
    }
    TableData cohorts = data.table("cohort_summary");
    s.blank();
    s.heading("Cohorts");
    if (cohorts == null) {
      s.wrapped("This pack has no cohort summary table.");
    } else {
      generic(s, cohorts, data.rowsFor("cohort_summary", area.code()),
          Set.of("level", "area_code", "area_name", "parent_code"));
    }
    s.finish();
  }

  private void definitions() {
    Sheet s = sheet(DEFINITIONS, new int[] {24, 36, 22, 70, 14, 14, 12, 18, 12, 60});
    s.title("Indicator definitions");
    TableData defs = data.table("indicator_definitions");
    if (defs == null) {
      s.wrapped("This pack has no indicator_definitions table; see the indicator catalogue.");
    } else {
      generic(s, defs, defs.rows(), ExportData.present(defs, ExportData.DEFINITION_COLUMNS));
    }
    s.finish();
  }

  // ---------------------------------------------------------------- cells

  /** A number with a format; null shows blank (or "*" when suppressed). */
  record Num(Double v, boolean suppressed) {}

  /** A whole number that is not a count of people (tier, version, number of KPIs). */
  record Whole(Double v) {}

  /** A count; suppressed shows "*". Checked again by the guard when written. */
  record Cnt(Double v, boolean suppressed) {}

  private static Num num(Double v) {
    return new Num(v, false);
  }

  private static Num num(Double v, boolean suppressed) {
    return new Num(v, suppressed);
  }

  private static Num val(Value r) {
    return new Num(r.value(), r.suppressed());
  }

  private static Cnt cnt(Double v, boolean suppressed) {
    return new Cnt(v, suppressed);
  }

  private static String unit(IndicatorView v) {
    return v.latest().unit() != null ? v.latest().unit() : v.def().unit();
  }

  private static Double icsValue(IndicatorView v) {
    return v.latest().icsValue() != null ? v.latest().icsValue() : v.ics() == null ? null : v.ics().value();
  }

  static String breakdownName(String b) {
    return switch (b == null ? "" : b) {
      case "IMD_QUINTILE" -> "IMD quintile";
      case "ETHNICITY" -> "Ethnicity";
      case "AGE_BAND" -> "Age band";
      case "SEX" -> "Sex";
      default -> Labels.humanise(b);
    };
  }

  private String suppressionNote() {
    return "* = withheld: a count of 1 to " + data.guard.threshold()
        + ", or a figure that could reveal one (small-number suppression to protect confidentiality).";
  }

  /** All columns of a pack table (except {@code skip}), counts through the guard. */
  private void generic(Sheet s, TableData t, List<Object[]> rows, Set<String> skip) {
    generic(s, t, rows, t.columns().stream().filter(c -> !skip.contains(c) && !c.equals("suppressed")).toList());
  }

  private void generic(Sheet s, TableData t, List<Object[]> rows, List<String> cols) {
    s.header(cols.stream().map(Labels::header).toArray(String[]::new));
    boolean flag = t.has("suppressed");
    for (Object[] r : rows) {
      boolean suppressed = flag && t.bool(r, "suppressed");
      Object[] cells = new Object[cols.size()];
      for (int i = 0; i < cells.length; i++) {
        String c = cols.get(i);
        Object o = t.get(r, c);
        if (data.guard.isCount(c)) {
          cells[i] = cnt(data.guard.show(t.num(r, c), suppressed, t.name() + "." + c), suppressed);
        } else if (o instanceof Integer || o instanceof Long || o instanceof Short) {
          cells[i] = new Whole(((Number) o).doubleValue());
        } else if (o instanceof Number n) {
          cells[i] = num(n.doubleValue(), false);
        } else if (o instanceof Boolean b) {
          cells[i] = b ? "Yes" : "No";
        } else if (o != null && c.equals("rag")) {
          cells[i] = Labels.rag(o.toString());
        } else {
          cells[i] = o == null ? (suppressed ? DisclosureGuard.SUPPRESSED : "") : o.toString();
        }
      }
      s.row(cells);
    }
    if (rows.isEmpty()) {
      s.wrapped("No rows for this area.");
    }
  }

  private String sheetNameFor(String domain) {
    return WorkbookUtil.createSafeSheetName(domain.length() > 31 ? domain.substring(0, 31) : domain);
  }

  private Sheet sheet(String name, int[] widths) {
    String n = sheetNameFor(name);
    int i = 2;
    while (sheetNames.contains(n.toLowerCase())) {
      String suffix = " " + i++;
      n = sheetNameFor(name.substring(0, Math.min(name.length(), 31 - suffix.length())) + suffix);
    }
    sheetNames.add(n.toLowerCase());
    XSSFSheet sh = wb.createSheet(n);
    for (int c = 0; c < widths.length; c++) {
      sh.setColumnWidth(c, widths[c] * 256);
    }
    return new Sheet(sh, widths.length);
  }

  /** Appends rows to a sheet; remembers the header row to freeze and filter. */
  private final class Sheet {
    private final XSSFSheet sh;
    private final int width;
    private int next;
    private int headerRow = -1;
    private int headerCols;
    private int lastDataRow = -1;
    private int firstTableEnd = -1;

    Sheet(XSSFSheet sh, int width) {
      this.sh = sh;
      this.width = width;
    }

    void title(String text) {
      Cell c = sh.createRow(next++).createCell(0);
      c.setCellValue(text);
      c.setCellStyle(st.title);
    }

    void heading(String text) {
      Cell c = sh.createRow(next++).createCell(0);
      c.setCellValue(text);
      c.setCellStyle(st.heading);
    }

    void blank() {
      endTable();
      next++;
    }

    void wrapped(String text) {
      endTable();
      Row r = sh.createRow(next);
      Cell c = r.createCell(0);
      c.setCellValue(text);
      c.setCellStyle(st.wrap);
      if (width > 1) {
        sh.addMergedRegion(new CellRangeAddress(next, next, 0, Math.max(1, Math.min(width, 8) - 1)));
      }
      r.setHeightInPoints(Math.max(15f, 15f * (1 + text.length() / 110)));
      next++;
    }

    void pair(String key, String value) {
      Row r = sh.createRow(next++);
      Cell k = r.createCell(0);
      k.setCellValue(key);
      k.setCellStyle(st.bold);
      Cell v = r.createCell(1);
      v.setCellValue(value);
      v.setCellStyle(st.wrap);
    }

    void header(String... names) {
      Row r = sh.createRow(next);
      for (int i = 0; i < names.length; i++) {
        Cell c = r.createCell(i);
        c.setCellValue(names[i]);
        c.setCellStyle(st.header);
      }
      endTable();
      if (headerRow < 0) {
        headerRow = next;
        headerCols = names.length;
      }
      next++;
    }

    void row(Object... cells) {
      Row r = sh.createRow(next);
      for (int i = 0; i < cells.length; i++) {
        Object o = cells[i];
        Cell c = r.createCell(i);
        if (o instanceof Cnt k) {
          Double v = data.guard.show(k.v(), k.suppressed(), sh.getSheetName() + " row " + (next + 1));
          if (k.suppressed()) {
            c.setCellValue(DisclosureGuard.SUPPRESSED);
            c.setCellStyle(st.suppressed);
          } else if (v != null) {
            c.setCellValue(v);
            c.setCellStyle(st.count);
          }
        } else if (o instanceof Num n) {
          if (n.suppressed() && n.v() == null) {
            c.setCellValue(DisclosureGuard.SUPPRESSED);
            c.setCellStyle(st.suppressed);
          } else if (n.v() != null) {
            c.setCellValue(n.v());
            c.setCellStyle(st.decimal(Labels.decimals(n.v())));
          }
        } else if (o instanceof Whole w) {
          c.setCellValue(w.v());
          c.setCellStyle(st.decimal(0));
        } else if (o instanceof Labels.Rag rag) {
          c.setCellValue(rag.text());
          c.setCellStyle(st.rag(rag));
        } else if (o != null) {
          c.setCellValue(o.toString());
          c.setCellStyle(st.text);
        }
      }
      lastDataRow = next;
      next++;
    }

    void finish() {
      if (headerRow < 0) {
        sh.createFreezePane(0, 1);
      }
      if (headerRow >= 0) {
        sh.createFreezePane(0, headerRow + 1);
        int end = firstTableEnd >= 0 ? firstTableEnd : lastDataRow;
        if (end > headerRow) {
          sh.setAutoFilter(new CellRangeAddress(headerRow, end, 0, headerCols - 1));
        }
      }
    }

    /** Ends the first table (the one frozen and filtered) when something else follows it. */
    private void endTable() {
      if (headerRow >= 0 && firstTableEnd < 0) {
        firstTableEnd = Math.max(lastDataRow, headerRow);
      }
    }
  }

  /** Cell styles, created once per workbook. */
  private static final class Styles {
    final XSSFWorkbook wb;
    final CellStyle title;
    final CellStyle heading;
    final CellStyle header;
    final CellStyle text;
    final CellStyle wrap;
    final CellStyle bold;
    final CellStyle count;
    final CellStyle suppressed;
    private final Map<Integer, CellStyle> decimals = new HashMap<>();
    private final Map<String, CellStyle> rags = new HashMap<>();

    Styles(XSSFWorkbook wb) {
      this.wb = wb;
      XSSFFont big = wb.createFont();
      big.setBold(true);
      big.setFontHeightInPoints((short) 16);
      title = wb.createCellStyle();
      title.setFont(big);
      XSSFFont mid = wb.createFont();
      mid.setBold(true);
      mid.setFontHeightInPoints((short) 12);
      heading = wb.createCellStyle();
      heading.setFont(mid);
      XSSFFont b = wb.createFont();
      b.setBold(true);
      bold = wb.createCellStyle();
      bold.setFont(b);
      bold.setVerticalAlignment(VerticalAlignment.TOP);
      XSSFCellStyle h = wb.createCellStyle();
      h.setFont(b);
      h.setWrapText(true);
      h.setVerticalAlignment(VerticalAlignment.TOP);
      h.setFillForegroundColor(new XSSFColor(new byte[] {(byte) 0xD9, (byte) 0xE2, (byte) 0xF3}, null));
      h.setFillPattern(FillPatternType.SOLID_FOREGROUND);
      h.setBorderBottom(BorderStyle.THIN);
      header = h;
      text = wb.createCellStyle();
      text.setVerticalAlignment(VerticalAlignment.TOP);
      wrap = wb.createCellStyle();
      wrap.setWrapText(true);
      wrap.setVerticalAlignment(VerticalAlignment.TOP);
      count = wb.createCellStyle();
      count.setDataFormat(wb.createDataFormat().getFormat("#,##0"));
      suppressed = wb.createCellStyle();
      suppressed.setAlignment(HorizontalAlignment.RIGHT);
    }

    CellStyle decimal(int dp) {
      return decimals.computeIfAbsent(dp, d -> {
        CellStyle s = wb.createCellStyle();
        s.setDataFormat(wb.createDataFormat().getFormat(d == 0 ? "#,##0" : "#,##0." + "0".repeat(d)));
        return s;
      });
    }

    CellStyle rag(Labels.Rag rag) {
      return rags.computeIfAbsent(rag.code(), k -> {
        XSSFCellStyle s = wb.createCellStyle();
        s.setFillForegroundColor(new XSSFColor(hex(rag.fill()), null));
        s.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        XSSFFont f = wb.createFont();
        f.setBold(true);
        f.setColor(new XSSFColor(hex(rag.ink()), null));
        s.setFont(f);
        s.setBorderBottom(BorderStyle.HAIR);
        return s;
      });
    }

    private static byte[] hex(String rgb) {
      return new byte[] {(byte) Integer.parseInt(rgb.substring(0, 2), 16),
          (byte) Integer.parseInt(rgb.substring(2, 4), 16), (byte) Integer.parseInt(rgb.substring(4, 6), 16)};
    }
  }
}
