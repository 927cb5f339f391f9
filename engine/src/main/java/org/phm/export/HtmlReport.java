package org.phm.export;

import static org.phm.export.Svg.esc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.phm.export.ExportData.Area;
import org.phm.export.ExportData.IndicatorView;
import org.phm.export.ExportData.Value;

/**
 * The self-contained HTML report of one ICP or PCN: one file that works offline (inline CSS and SVG,
 * no external requests; a Content-Security-Policy blocks any that slipped in), readable on a laptop
 * and printable to A4. Each chart has a table view; RAG and trend are given as symbol and words.
 */
final class HtmlReport {
  /** Opens every table view before printing, so printouts carry the figures (the only script). */
  static final String PRINT_SCRIPT =
      "window.addEventListener('beforeprint',function(){document.querySelectorAll('details')"
          + ".forEach(function(d){d.open=true;});});";

  /** Anything that would make a browser fetch: a src/href/action not pointing within the page, url(), @import. */
  static final Pattern EXTERNAL = Pattern.compile(
      "(?i)(\\b(src|href|action|xlink:href|poster|data)\\s*=\\s*[\"']?\\s*(?!#)[a-z/.]|url\\s*\\(|@import)");

  private final ExportData data;
  private final Area area;
  private final StringBuilder h = new StringBuilder(64 * 1024);
  private int chartNo;

  private HtmlReport(ExportData data, Area area) {
    this.data = data;
    this.area = area;
  }

  static void write(ExportData data, Area area, Path file) {
    String html = render(data, area);
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, html, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ExportException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static String render(ExportData data, Area area) {
    HtmlReport r = new HtmlReport(data, area);
    r.build();
    String html = r.h.toString();
    var m = EXTERNAL.matcher(html);
    if (m.find()) {
      throw new ExportException("HTML report would reference an external address (" + m.group()
          + "); reports must work offline");
    }
    return html;
  }

  static String cspHash() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(PRINT_SCRIPT.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String css() {
    try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream("export/report.css")) {
      if (in == null) {
        throw new ExportException("export/report.css missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ExportException("cannot read export/report.css: " + e.getMessage(), e);
    }
  }

  private void build() {
    Map<String, List<IndicatorView>> views = data.views(area);
    String title = "Population health data pack: " + area.title() + " (" + data.manifest.runDate() + ")";
    h.append("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; ")
        .append("img-src data:; script-src '").append(cspHash()).append("'\">")
        .append("<title>").append(esc(title)).append("</title><style>").append(css()).append("</style></head>\n<body>")
        .append("<a class=\"skip\" href=\"#main\">Skip to content</a>");
    h.append("<header class=\"top\"><h1>").append(esc(area.title())).append(": population health data pack</h1>")
        .append("<p class=\"meta\"><span>").append(esc(Labels.level(area.level()))).append(" code ")
        .append(esc(area.code())).append("</span> ");
    if (area.parentName() != null) {
      h.append("<span>Part of ").append(esc(area.parentName())).append("</span> ");
    }
    Double reg = data.registered(area.code());
    if (reg != null) {
      h.append("<span>Registered patients ").append(Labels.count(reg)).append("</span> ");
    }
    h.append("<span>Data pack run date ").append(esc(data.manifest.runDate())).append("</span> <span>Pack id ")
        .append(esc(data.manifest.runId())).append("</span> <span>Exported ").append(LocalDate.now())
        .append("</span></p></header>");
    nav(views);
    h.append("<main id=\"main\">");
    section("how", "How to read this report");
    h.append("<ul>");
    HowToRead.lines(data.guard.threshold()).forEach(l -> h.append("<li>").append(esc(l)).append("</li>"));
    h.append("<li>Each chart has a table view underneath (“Show as a table”) with the same figures.</li></ul></section>");
    headlines(views);
    for (Map.Entry<String, List<IndicatorView>> e : views.entrySet()) {
      domain(e.getKey(), e.getValue());
    }
    risk();
    definitions(views);
    section("notes", "Notes");
    h.append("<p>").append(esc("* = withheld: a count of 1 to " + data.guard.threshold()
        + ", or a figure that could reveal one, is not shown (NHS small-number suppression).")).append("</p>");
    if (!data.notes.isEmpty()) {
      h.append("<ul>");
      data.notes.forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
      h.append("</ul>");
    }
    h.append("</section></main><footer><p>Produced by PHM Engine from data pack ")
        .append(esc(data.manifest.runId())).append(" (").append(esc(data.manifest.runDate()))
        .append("). Aggregate figures only; no patient-level data.</p></footer>")
        .append("<script>").append(PRINT_SCRIPT).append("</script></body></html>\n");
  }

  private void nav(Map<String, List<IndicatorView>> views) {
    h.append("<nav aria-label=\"Contents\"><h2 id=\"contents\">Contents</h2><ol>")
        .append("<li><a href=\"#how\">How to read this report</a></li>")
        .append("<li><a href=\"#headlines\">Headline indicators</a></li>");
    for (String d : views.keySet()) {
      h.append("<li><a href=\"#").append(id("d", d)).append("\">").append(esc(d)).append("</a></li>");
    }
    h.append("<li><a href=\"#risk\">Risk stratification</a></li><li><a href=\"#definitions\">Definitions</a></li>")
        .append("<li><a href=\"#notes\">Notes</a></li></ol></nav>");
  }

  private void section(String id, String heading) {
    h.append("<section id=\"").append(id).append("\" aria-labelledby=\"").append(id).append("-h\"><h2 id=\"")
        .append(id).append("-h\">").append(esc(heading)).append("</h2>");
  }

  private void headlines(Map<String, List<IndicatorView>> views) {
    section("headlines", "Headline indicators");
    if (views.isEmpty()) {
      h.append("<p>This pack has no indicator values for ").append(esc(area.name())).append(".</p></section>");
      return;
    }
    h.append("<table class=\"kpis\"><caption>Latest value of each indicator for ").append(esc(area.name()))
        .append(", with its standard, RAG rating, trend and the ICS value</caption><thead><tr>")
        .append("<th scope=\"col\">Domain</th><th scope=\"col\">Indicator</th><th scope=\"col\">Period</th>")
        .append("<th scope=\"col\">Value</th><th scope=\"col\">Standard</th><th scope=\"col\">RAG rating</th>")
        .append("<th scope=\"col\">Trend</th><th scope=\"col\">ICS</th><th scope=\"col\">Compared with ICS</th>")
        .append("</tr></thead><tbody>");
    for (Map.Entry<String, List<IndicatorView>> e : views.entrySet()) {
      for (IndicatorView v : e.getValue()) {
        Value l = v.latest();
        Double target = l.target() != null ? l.target() : v.def().target();
        h.append("<tr><td>").append(esc(e.getKey())).append("</td><th scope=\"row\"><a href=\"#")
            .append(id("i", v.def().id())).append("\">").append(esc(v.def().name())).append("</a></th><td class=\"period\">")
            .append(esc(l.periodLabel())).append("</td><td class=\"n\">").append(value(l, unit(v)))
            .append("</td><td class=\"n\">").append(esc(Labels.withUnit(Labels.value(target), unit(v))))
            .append("</td><td>").append(rag(l.rag(), l.suppressed())).append("</td><td class=\"trend\">")
            .append(esc(Labels.trend(l.trend(), v.def().polarity()))).append("</td><td class=\"n\">")
            .append(esc(Labels.withUnit(Labels.value(icsValue(v)), unit(v)))).append("</td><td>")
            .append(esc(Labels.compared(l.comparison(), l.judgement(), l.suppressed()))).append("</td></tr>");
      }
    }
    h.append("</tbody></table>");
    TableData summary = data.table("indicator_summary");
    if (summary != null) {
      h.append("<h3>KPIs meeting their standard, by domain</h3>");
      generic(summary, data.rowsFor("indicator_summary", area.code()), "KPIs with a standard and how many meet it, "
          + area.name());
    }
    h.append("</section>");
  }

  private void domain(String domain, List<IndicatorView> views) {
    section(id("d", domain), domain);
    for (IndicatorView v : views) {
      indicator(v);
    }
    h.append("</section>");
  }

  private void indicator(IndicatorView v) {
    Value l = v.latest();
    String u = unit(v);
    String iid = id("i", v.def().id());
    h.append("<article class=\"indicator\" aria-labelledby=\"").append(iid).append("\"><h3 id=\"").append(iid)
        .append("\">").append(esc(v.def().name())).append("</h3><p class=\"summary\">")
        .append(esc(area.name())).append(", ").append(esc(l.periodLabel())).append(": <strong>")
        .append(value(l, u)).append("</strong>");
    if (l.lower95() != null && l.upper95() != null) {
      h.append(" (95% CI ").append(esc(Labels.value(l.lower95()))).append(" to ")
          .append(esc(Labels.value(l.upper95()))).append(")");
    }
    h.append(" ").append(rag(l.rag(), l.suppressed())).append(" <span class=\"trend\">Trend: ").append(esc(Labels.trend(l.trend(), v.def().polarity())))
        .append("</span>");
    if (icsValue(v) != null) {
      h.append(". ICS: ").append(esc(Labels.withUnit(Labels.value(icsValue(v)), u)));
    }
    if (l.comparison() != null) {
      h.append(". Compared with ICS: ").append(esc(Labels.compared(l.comparison(), l.judgement(), l.suppressed())));
    }
    h.append(".</p><div class=\"charts\">");
    comparisonChart(v);
    funnelChart(v);
    trendChart(v);
    gradientChart(v);
    h.append("</div>");
    definition(v);
    h.append("</article>");
  }

  private void comparisonChart(IndicatorView v) {
    String child = Labels.level(area.childLevel());
    if (v.children().isEmpty()) {
      h.append("<p class=\"note\">No ").append(esc(child)).append(" values for this indicator in this pack.</p>");
      return;
    }
    List<Svg.Bar> bars = new ArrayList<>();
    for (Value c : v.children()) {
      bars.add(new Svg.Bar(c.areaName(), c.value(), c.lower95(), c.upper95(), c.suppressed(), false));
    }
    bars.add(new Svg.Bar(area.name() + " (all)", v.latest().value(), v.latest().lower95(), v.latest().upper95(),
        v.latest().suppressed(), true));
    String title = v.def().name() + ": each " + child + " in " + area.name() + ", " + v.latest().periodLabel();
    String desc = "Bar chart of the value for each " + child + " with 95% confidence intervals"
        + (icsValue(v) == null ? "" : "; dashed line: ICS value " + Labels.value(icsValue(v))) + ". "
        + bars.stream().map(b -> b.label() + " " + (b.value() == null ? "withheld" : Labels.value(b.value())))
            .reduce((a, b) -> a + "; " + b).orElse("");
    figure(title, Svg.bars(chartId(), title, desc, bars, icsValue(v), "ICS"), () -> {
      h.append("<table><caption>").append(esc(title)).append("</caption><thead><tr><th scope=\"col\">")
          .append(esc(child)).append("</th><th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th>")
          .append("<th scope=\"col\">Value</th><th scope=\"col\">Lower 95% CI</th><th scope=\"col\">Upper 95% CI</th>")
          .append("<th scope=\"col\">Compared with ICS</th></tr></thead><tbody>");
      List<Value> rows = new ArrayList<>(v.children());
      rows.add(v.latest());
      for (Value c : rows) {
        h.append("<tr><th scope=\"row\">").append(esc(c.areaName() == null ? c.areaCode() : c.areaName()))
            .append("</th>").append(countCell(c.numerator(), c.suppressed(), c))
            .append(countCell(c.denominator(), c.suppressed(), c)).append(num(c.value(), c.suppressed()))
            .append(num(c.lower95(), c.suppressed())).append(num(c.upper95(), c.suppressed())).append("<td>")
            .append(esc(Labels.compared(c.comparison(), c.judgement(), c.suppressed()))).append("</td></tr>");
      }
      h.append("</tbody></table>");
    });
  }

  private void funnelChart(IndicatorView v) {
    String method = v.latest().method() != null ? v.latest().method() : v.def().method();
    Double ics = icsValue(v);
    Double mult = v.latest().multiplier() != null ? v.latest().multiplier() : v.def().multiplier();
    if (!"proportion".equalsIgnoreCase(method) || ics == null || mult == null) {
      return;
    }
    List<Svg.Point> pts = v.children().stream().filter(c -> c.value() != null && c.denominator() != null)
        .map(c -> new Svg.Point(c.areaName(), c.denominator(), c.value())).toList();
    if (pts.size() < 2) {
      return;
    }
    String child = Labels.level(area.childLevel());
    String title = v.def().name() + ": funnel plot of " + child + "s in " + area.name();
    String desc = "Funnel plot: each " + child + "'s value against its denominator, with 95% and 99.8% control "
        + "limits around the ICS value " + Labels.value(ics) + ". Points outside the limits differ from the ICS "
        + "by more than chance would explain.";
    figure(title, Svg.funnel(chartId(), title, desc, pts, ics, mult), () -> {
      h.append("<table><caption>").append(esc(title)).append("</caption><thead><tr><th scope=\"col\">")
          .append(esc(child)).append("</th><th scope=\"col\">Denominator</th><th scope=\"col\">Value</th>")
          .append("<th scope=\"col\">95% limits</th><th scope=\"col\">99.8% limits</th></tr></thead><tbody>");
      for (Svg.Point p : pts) {
        var lim = org.phm.stats.Funnels.proportion(p.n(), ics / mult, mult);
        h.append("<tr><th scope=\"row\">").append(esc(p.label())).append("</th>")
            .append(countCell(p.n(), false, null)).append(num(p.value(), false)).append("<td class=\"n\">")
            .append(Labels.value(lim.lower2s())).append(" to ").append(Labels.value(lim.upper2s()))
            .append("</td><td class=\"n\">").append(Labels.value(lim.lower3s())).append(" to ")
            .append(Labels.value(lim.upper3s())).append("</td></tr>");
      }
      h.append("</tbody></table>");
    });
  }

  private void trendChart(IndicatorView v) {
    if (v.trend().size() < 2) {
      return;
    }
    List<String> xs = v.trend().stream().map(Value::periodLabel).toList();
    Svg.Series main = new Svg.Series(area.name(), xs, v.trend().stream().map(Value::value).toList(),
        v.trend().stream().map(Value::lower95).toList(), v.trend().stream().map(Value::upper95).toList());
    List<Value> ics = v.icsTrend().stream().filter(c -> xs.contains(c.periodLabel())).toList();
    Svg.Series cmp = ics.isEmpty() ? null : new Svg.Series(area.icsName() == null ? "ICS" : area.icsName() + " (ICS)",
        ics.stream().map(Value::periodLabel).toList(), ics.stream().map(Value::value).toList(), null, null);
    String title = v.def().name() + ": trend for " + area.name();
    String desc = "Line chart of the value in each period for " + area.name()
        + (cmp == null ? "" : " (solid line, circles) and the ICS (dashed line, squares)") + ". "
        + String.join("; ", v.trend().stream().map(t -> t.periodLabel() + " "
            + (t.value() == null ? "withheld" : Labels.value(t.value()))).toList());
    figure(title, Svg.trend(chartId(), title, desc, main, cmp), () -> {
      h.append("<table><caption>").append(esc(title)).append("</caption><thead><tr><th scope=\"col\">Period</th>")
          .append("<th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th><th scope=\"col\">Value</th>")
          .append("<th scope=\"col\">Lower 95% CI</th><th scope=\"col\">Upper 95% CI</th><th scope=\"col\">ICS</th>")
          .append("</tr></thead><tbody>");
      for (Value t : v.trend()) {
        Double icsV = ics.stream().filter(c -> c.periodLabel().equals(t.periodLabel())).map(Value::value).findFirst()
            .orElse(null);
        h.append("<tr><th scope=\"row\">").append(esc(t.periodLabel())).append("</th>")
            .append(countCell(t.numerator(), t.suppressed(), t)).append(countCell(t.denominator(), t.suppressed(), t))
            .append(num(t.value(), t.suppressed())).append(num(t.lower95(), t.suppressed()))
            .append(num(t.upper95(), t.suppressed())).append(num(icsV, false)).append("</tr>");
      }
      h.append("</tbody></table>");
    });
  }

  private void gradientChart(IndicatorView v) {
    List<Value> q = v.breakdowns().stream().filter(b -> "IMD_QUINTILE".equals(b.breakdown())).toList();
    if (q.isEmpty()) {
      return;
    }
    List<Svg.Bar> bars = q.stream().map(b -> new Svg.Bar(quintile(b.breakdownValue()), b.value(), b.lower95(),
        b.upper95(), b.suppressed(), false)).toList();
    String title = v.def().name() + ": by deprivation (IMD quintile), " + area.name();
    String sii = siiText(v);
    String desc = "Bar chart of the value in each IMD quintile, 1 = most deprived, with 95% confidence intervals; "
        + "dashed line: " + area.name() + " overall. " + sii;
    figure(title, Svg.bars(chartId(), title, desc, bars, v.latest().value(), area.name()), () -> {
      h.append("<table><caption>").append(esc(title)).append("</caption><thead><tr><th scope=\"col\">IMD quintile</th>")
          .append("<th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th><th scope=\"col\">Value</th>")
          .append("<th scope=\"col\">Lower 95% CI</th><th scope=\"col\">Upper 95% CI</th></tr></thead><tbody>");
      for (Value b : q) {
        h.append("<tr><th scope=\"row\">").append(esc(quintile(b.breakdownValue()))).append("</th>")
            .append(countCell(b.numerator(), b.suppressed(), b)).append(countCell(b.denominator(), b.suppressed(), b))
            .append(num(b.value(), b.suppressed())).append(num(b.lower95(), b.suppressed()))
            .append(num(b.upper95(), b.suppressed())).append("</tr>");
      }
      h.append("</tbody></table>");
      if (!sii.isEmpty()) {
        h.append("<p>").append(esc(sii)).append("</p>");
      }
    });
    List<Value> eth = v.breakdowns().stream().filter(b -> "ETHNICITY".equals(b.breakdown())).toList();
    if (!eth.isEmpty()) {
      List<Svg.Bar> eb = eth.stream().map(b -> new Svg.Bar(b.breakdownValue(), b.value(), b.lower95(), b.upper95(),
          b.suppressed(), false)).toList();
      String et = v.def().name() + ": by ethnic group, " + area.name();
      String ed = "Bar chart of the value for each ethnic group with 95% confidence intervals; dashed line: "
          + area.name() + " overall.";
      figure(et, Svg.bars(chartId(), et, ed, eb, v.latest().value(), area.name()), () -> {
        h.append("<table><caption>").append(esc(et)).append("</caption><thead><tr><th scope=\"col\">Ethnic group</th>")
            .append("<th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th><th scope=\"col\">Value</th>")
            .append("<th scope=\"col\">Lower 95% CI</th><th scope=\"col\">Upper 95% CI</th></tr></thead><tbody>");
        for (Value b : eth) {
          h.append("<tr><th scope=\"row\">").append(esc(b.breakdownValue())).append("</th>")
              .append(countCell(b.numerator(), b.suppressed(), b)).append(countCell(b.denominator(), b.suppressed(), b))
              .append(num(b.value(), b.suppressed())).append(num(b.lower95(), b.suppressed()))
              .append(num(b.upper95(), b.suppressed())).append("</tr>");
        }
        h.append("</tbody></table>");
      });
    }
  }

  private String siiText(IndicatorView v) {
    TableData t = data.table("indicator_inequality");
    if (t == null || v.inequality().isEmpty()) {
      return "";
    }
    Object[] r = v.inequality().get(v.inequality().size() - 1);
    Double sii = t.num(r, "sii");
    if (sii == null) {
      return "";
    }
    Double lo = t.num(r, "sii_lower95", "sii_lower", "lower95");
    Double hi = t.num(r, "sii_upper95", "sii_upper", "upper95");
    return "Slope index of inequality (SII): " + Labels.value(sii)
        + (lo == null || hi == null ? "" : " (95% CI " + Labels.value(lo) + " to " + Labels.value(hi) + ")")
        + " – the modelled gap between the most and least deprived ends of " + area.name() + ".";
  }

  private static String quintile(String q) {
    if (q == null) {
      return "";
    }
    return switch (q.strip()) {
      case "1" -> "1 (most deprived)";
      case "5" -> "5 (least deprived)";
      default -> q.strip();
    };
  }

  private void risk() {
    section("risk", "Risk stratification");
    TableData t = data.table("risk_stratification");
    if (t == null) {
      h.append("<p>This pack has no risk stratification table.</p>");
    } else {
      List<Object[]> rows = data.rowsFor("risk_stratification", area.code());
      String tierCol = t.pick("tier", "risk_tier");
      List<Object[]> tiers = rows.stream()
          .filter(r -> !t.has("breakdown") || "ALL".equals(t.str(r, "breakdown")))
          .sorted(java.util.Comparator.comparing((Object[] r) -> ExportData.nz(t.str(r, tierCol)))
              .thenComparing(r -> ExportData.nz(t.str(r, "segment"))))
          .toList();
      if (!tiers.isEmpty()) {
        List<Svg.Bar> bars = new ArrayList<>();
        for (Object[] r : tiers) {
          boolean s = t.bool(r, "suppressed");
          Double p = data.guard.show(t.num(r, "patients"), s, "risk_stratification " + area.code());
          bars.add(new Svg.Bar("Tier " + ExportData.nz(t.str(r, tierCol))
              + (t.str(r, "segment") == null ? "" : " · " + Labels.humanise(t.str(r, "segment"))), p, null, null, s,
              false));
        }
        String title = "Registered patients by risk tier and segment, " + area.name();
        String desc = "Bar chart of the number of registered patients in each risk tier (1 = highest risk) and "
            + "population segment. " + String.join("; ", bars.stream().map(b -> b.label() + " "
                + (b.value() == null ? "withheld" : Labels.count(b.value()))).toList());
        h.append("<p>Tier 1 = highest risk of an emergency admission in the next 12 months. Segments group "
            + "people by their main health and care needs.</p><div class=\"charts\">");
        figure(title, Svg.bars(chartId(), title, desc, bars, null, null, true), () -> generic(t, tiers, title));
        h.append("</div>");
      }
      h.append("<h3>All risk groups</h3>");
      generic(t, rows, "Registered patients by risk tier, segment and group, " + area.name());
    }
    TableData c = data.table("cohort_summary");
    h.append("<h3>Cohorts</h3>");
    if (c == null) {
      h.append("<p>This pack has no cohort summary table.</p>");
    } else {
      generic(c, data.rowsFor("cohort_summary", area.code()), "Cohort sizes, " + area.name());
    }
    h.append("</section>");
  }

  private void definitions(Map<String, List<IndicatorView>> views) {
    section("definitions", "Definitions");
    TableData t = data.table("indicator_definitions");
    if (t == null) {
      h.append("<p>This pack has no indicator_definitions table.</p></section>");
      return;
    }
    Set<String> shown = new java.util.HashSet<>();
    views.values().forEach(vs -> vs.forEach(v -> shown.add(v.def().id())));
    String idCol = t.pick("indicator_id", "id");
    generic(t, t.rows().stream().filter(r -> idCol == null || shown.contains(t.str(r, idCol))).toList(),
        "Definitions of the indicators in this report", ExportData.present(t, List.of("name", "domain", "definition",
            "unit", "polarity", "target", "national_value", "source", "caveats")));
    h.append("</section>");
  }

  private void definition(IndicatorView v) {
    var d = v.def();
    h.append("<details><summary>Definition and caveats</summary><dl>");
    dl("Definition", d.definition());
    dl("Unit", d.unit());
    dl("Method", Labels.humanise(d.method()));
    dl("Polarity", Labels.humanise(d.polarity()));
    dl("Standard", d.target() == null ? null : Labels.value(d.target()));
    dl("Caveats", d.caveats());
    h.append("</dl></details>");
  }

  private void dl(String k, String v) {
    if (v != null && !v.isBlank()) {
      h.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
    }
  }

  /** A pack table's rows as an HTML table, counts through the guard, suppressed cells as "*". */
  private void generic(TableData t, List<Object[]> rows, String caption) {
    Set<String> skip = Set.of("level", "area_code", "area_name", "parent_code", "suppressed");
    generic(t, rows, caption, t.columns().stream().filter(c -> !skip.contains(c)).toList());
  }

  private void generic(TableData t, List<Object[]> rows, String caption, List<String> cols) {
    if (rows.isEmpty()) {
      h.append("<p>No rows for this area.</p>");
      return;
    }
    h.append("<table><caption>").append(esc(caption)).append("</caption><thead><tr>");
    cols.forEach(c -> h.append("<th scope=\"col\">").append(esc(Labels.header(c))).append("</th>"));
    h.append("</tr></thead><tbody>");
    for (Object[] r : rows) {
      boolean s = t.has("suppressed") && t.bool(r, "suppressed");
      h.append("<tr>");
      for (String c : cols) {
        Object o = t.get(r, c);
        if (data.guard.isCount(c)) {
          h.append(countCell(data.guard.show(t.num(r, c), s, t.name() + "." + c), s, null));
        } else if (o instanceof Integer || o instanceof Long || o instanceof Short) {
          h.append("<td class=\"n whole\">").append(Labels.count(((Number) o).doubleValue())).append("</td>");
        } else if (o instanceof Number n) {
          h.append(num(n.doubleValue(), false));
        } else if (c.equals("rag") && o != null) {
          h.append("<td>").append(rag(o.toString())).append("</td>");
        } else {
          h.append("<td>").append(esc(o == null ? (s ? DisclosureGuard.SUPPRESSED : "")
              : o instanceof Boolean b ? (b ? "Yes" : "No") : o.toString())).append("</td>");
        }
      }
      h.append("</tr>");
    }
    h.append("</tbody></table>");
  }

  private void figure(String title, String svg, Runnable table) {
    h.append("<figure>").append("<h4>").append(esc(title)).append("</h4>").append(svg)
        .append("<details><summary>Show as a table</summary>");
    table.run();
    h.append("</details></figure>");
  }

  private String countCell(Double v, boolean suppressed, Value where) {
    Double shown = data.guard.show(v, suppressed, where == null ? area.code()
        : "indicator " + where.indicatorId() + " " + where.areaCode() + " " + where.periodLabel());
    if (suppressed) {
      return "<td class=\"n\">" + DisclosureGuard.SUPPRESSED + "</td>";
    }
    return "<td class=\"n\">" + (shown == null ? "" : Labels.count(shown)) + "</td>";
  }

  private static String num(Double v, boolean suppressed) {
    return "<td class=\"n\">" + (v == null ? (suppressed ? DisclosureGuard.SUPPRESSED : "") : esc(Labels.value(v)))
        + "</td>";
  }

  private static String value(Value l, String unit) {
    return l.value() == null ? (l.suppressed() ? DisclosureGuard.SUPPRESSED : "–")
        : esc(Labels.withUnit(Labels.value(l.value()), unit));
  }

  private static String rag(String code) {
    return rag(code, false);
  }

  private static String rag(String code, boolean suppressed) {
    Labels.Rag r = Labels.rag(code, suppressed);
    return "<span class=\"rag rag-" + r.code() + "\">" + esc(r.text()) + "</span>";
  }

  private static String unit(IndicatorView v) {
    return v.latest().unit() != null ? v.latest().unit() : v.def().unit();
  }

  private static Double icsValue(IndicatorView v) {
    return v.latest().icsValue() != null ? v.latest().icsValue() : v.ics() == null ? null : v.ics().value();
  }

  private String chartId() {
    return "chart" + (++chartNo);
  }

  private static String id(String prefix, String s) {
    return prefix + "-" + s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
