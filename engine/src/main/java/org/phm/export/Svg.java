package org.phm.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.phm.stats.Funnels;

/**
 * Inline SVG charts for the offline HTML report, generated in Java (no JavaScript library, no network).
 * Okabe–Ito colour-blind-safe palette; every chart has a {@code <title>} and {@code <desc>} referenced by
 * {@code aria-labelledby}, and each data point is a mark of class {@code mark} so the report can be checked.
 * Categories are told apart by shape and line style as well as colour.
 */
final class Svg {
  static final String BLUE = "#0072B2";
  static final String ORANGE = "#E69F00";
  static final String VERMILLION = "#D55E00";
  static final String SKY = "#56B4E9";
  static final String GREEN = "#009E73";
  static final String GREY = "#595959";

  private Svg() {}

  /** A labelled value with optional confidence interval; null value = withheld or missing. */
  record Bar(String label, Double value, Double lower, Double upper, boolean suppressed, boolean highlight) {}

  /** A point on a funnel plot. */
  record Point(String label, double n, double value) {}

  /** A series on a trend chart: labels along x, values (null = gap). */
  record Series(String name, List<String> x, List<Double> y, List<Double> lower, List<Double> upper) {}

  private static final int W = 640;

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String f(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  private static String open(String id, String kind, int h, String title, String desc, int points) {
    return "<svg role=\"img\" aria-labelledby=\"" + id + "-t " + id + "-d\" viewBox=\"0 0 " + W + " " + h
        + "\" width=\"" + W + "\" height=\"" + h + "\" class=\"chart\" data-chart=\"" + kind + "\" data-points=\""
        + points + "\" id=\"" + id + "\"><title id=\"" + id + "-t\">" + esc(title) + "</title><desc id=\"" + id
        + "-d\">" + esc(desc) + "</desc>";
  }

  /** Tick label with as many decimals as the tick step needs (0, 20, 40 or 0.5, 1.0, 1.5). */
  static String tick(double v, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    int dp = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
    return Labels.number(Math.abs(v) < step * 1e-9 ? 0.0 : v, dp);
  }

  /** Rounded axis ticks covering [lo, hi]. */
  static double[] ticks(double lo, double hi) {
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    double raw = (hi - lo) / 5;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / mag >= 5 ? 10 * mag : raw / mag >= 2 ? 5 * mag : raw / mag >= 1 ? 2 * mag : mag;
    double start = Math.floor(lo / step) * step;
    List<Double> t = new ArrayList<>();
    for (double v = start; v <= hi + step * 1e-9; v += step) {
      t.add(v);
    }
    if (t.get(t.size() - 1) < hi) {
      t.add(t.get(t.size() - 1) + step);
    }
    return t.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Horizontal bar chart with 95% CI whiskers and an optional dashed reference line (e.g. the ICS
   * value). Withheld bars show "* withheld" instead of a bar.
   */
  static String bars(String id, String title, String desc, List<Bar> bars, Double reference, String refLabel) {
    return bars(id, title, desc, bars, reference, refLabel, false);
  }

  /** As {@link #bars(String, String, String, List, Double, String)}; {@code counts}: label bars as whole numbers. */
  static String bars(String id, String title, String desc, List<Bar> bars, Double reference, String refLabel,
      boolean counts) {
    java.util.function.Function<Double, String> fmt = counts ? Labels::count : Labels::value;
    int left = 230;
    int right = W - 60;
    int rowH = 22;
    int top = reference == null ? 12 : 30;
    int h = top + bars.size() * rowH + 36;
    double lo = 0;
    double hi = 0;
    for (Bar b : bars) {
      for (Double v : new Double[] {b.value(), b.lower(), b.upper()}) {
        if (v != null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (reference != null) {
      hi = Math.max(hi, reference);
      lo = Math.min(lo, reference);
    }
    double[] t = ticks(lo, hi == lo ? lo + 1 : hi);
    double min = t[0];
    double max = t[t.length - 1];
    java.util.function.DoubleUnaryOperator x = v -> left + (v - min) / (max - min) * (right - left);
    int marks = (int) bars.stream().filter(b -> b.value() != null).count();
    StringBuilder s = new StringBuilder(open(id, "bars", h, title, desc, marks));
    int axisY = top + bars.size() * rowH + 4;
    for (double tv : t) {
      double xx = x.applyAsDouble(tv);
      s.append("<line x1=\"").append(f(xx)).append("\" x2=\"").append(f(xx)).append("\" y1=\"").append(top - 4)
          .append("\" y2=\"").append(axisY).append("\" stroke=\"#ddd\"/>");
      s.append("<text x=\"").append(f(xx)).append("\" y=\"").append(axisY + 16)
          .append("\" text-anchor=\"middle\" font-size=\"11\">").append(esc(tick(tv, t))).append("</text>");
    }
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = top + i * rowH;
      String label = b.label().length() > 34 ? b.label().substring(0, 33) + "…" : b.label();
      s.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + 15)
          .append("\" text-anchor=\"end\" font-size=\"12\"").append(b.highlight() ? " font-weight=\"bold\"" : "")
          .append(">").append(esc(label)).append("</text>");
      if (b.value() == null) {
        s.append("<text x=\"").append(left + 4).append("\" y=\"").append(y + 15).append("\" font-size=\"12\" fill=\"")
            .append(GREY).append("\">").append(b.suppressed() ? "* withheld (small numbers)" : "no value")
            .append("</text>");
        continue;
      }
      double x0 = x.applyAsDouble(Math.max(0, min));
      double x1 = x.applyAsDouble(b.value());
      s.append("<rect class=\"mark\" x=\"").append(f(Math.min(x0, x1))).append("\" y=\"").append(y + 3)
          .append("\" width=\"").append(f(Math.max(1, Math.abs(x1 - x0)))).append("\" height=\"16\" fill=\"")
          .append(b.highlight() ? VERMILLION : BLUE).append("\"><title>").append(esc(b.label())).append(": ")
          .append(esc(fmt.apply(b.value()))).append(ci(b)).append("</title></rect>");
      if (b.lower() != null && b.upper() != null) {
        double xl = x.applyAsDouble(b.lower());
        double xu = x.applyAsDouble(b.upper());
        int cy = y + 11;
        s.append("<path d=\"M").append(f(xl)).append(' ').append(cy - 5).append("v10M").append(f(xl)).append(' ')
            .append(cy).append("H").append(f(xu)).append("M").append(f(xu)).append(' ').append(cy - 5)
            .append("v10\" stroke=\"#000\" stroke-width=\"1.5\" fill=\"none\"/>");
      }
      s.append("<text x=\"").append(right + 4).append("\" y=\"").append(y + 15).append("\" font-size=\"11\">")
          .append(esc(fmt.apply(b.value()))).append("</text>");
    }
    if (reference != null) {
      double xr = x.applyAsDouble(reference);
      s.append("<line x1=\"").append(f(xr)).append("\" x2=\"").append(f(xr)).append("\" y1=\"").append(top - 8)
          .append("\" y2=\"").append(axisY).append("\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>");
      s.append("<text x=\"").append(f(Math.min(xr, right - 80))).append("\" y=\"").append(top - 12)
          .append("\" font-size=\"11\">").append(esc(refLabel + " " + Labels.value(reference))).append("</text>");
    }
    return s.append("</svg>").toString();
  }

  private static String ci(Bar b) {
    return b.lower() == null || b.upper() == null ? ""
        : " (95% CI " + Labels.value(b.lower()) + " to " + Labels.value(b.upper()) + ")";
  }

  /**
   * Funnel plot of proportions: each area's value against its denominator, with the 95% (dashed) and
   * 99.8% (solid) control limits around the baseline from {@link Funnels#proportion}.
   */
  static String funnel(String id, String title, String desc, List<Point> points, double baseline,
      double multiplier) {
    int left = 60;
    int right = W - 20;
    int top = 16;
    int bottom = 300;
    int h = bottom + 50;
    double nMax = points.stream().mapToDouble(Point::n).max().orElse(1) * 1.1;
    double nMin = Math.max(1, points.stream().mapToDouble(Point::n).min().orElse(1) * 0.5);
    List<double[]> curve = new ArrayList<>();
    for (int i = 0; i <= 60; i++) {
      double n = nMin * Math.pow(nMax / nMin, i / 60.0);
      Funnels.Limits l = Funnels.proportion(n, baseline / multiplier, multiplier);
      curve.add(new double[] {n, l.lower2s(), l.upper2s(), l.lower3s(), l.upper3s()});
    }
    double lo = points.stream().mapToDouble(Point::value).min().orElse(0);
    double hi = points.stream().mapToDouble(Point::value).max().orElse(1);
    // show the limits where the areas are, not the very wide ends of the funnel
    Funnels.Limits atMin = Funnels.proportion(points.stream().mapToDouble(Point::n).min().orElse(1),
        baseline / multiplier, multiplier);
    lo = Math.min(lo, atMin.lower3s());
    hi = Math.max(hi, atMin.upper3s());
    double[] yt = ticks(Math.max(0, lo), Math.min(multiplier, hi));
    double[] xt = ticks(0, nMax);
    double yMin = yt[0];
    double yMax = yt[yt.length - 1];
    double xMax = xt[xt.length - 1];
    java.util.function.DoubleUnaryOperator x = n -> left + n / xMax * (right - left);
    java.util.function.DoubleUnaryOperator y = v -> bottom - (Math.max(yMin, Math.min(yMax, v)) - yMin)
        / (yMax - yMin) * (bottom - top);
    StringBuilder s = new StringBuilder(open(id, "funnel", h, title, desc, points.size()));
    axes(s, xt, yt, x, y, left, right, top, bottom);
    String[] styles = {"stroke-dasharray=\"6 3\" stroke=\"" + ORANGE + "\"", "stroke=\"" + VERMILLION + "\""};
    for (int k = 0; k < 4; k++) {
      StringBuilder d = new StringBuilder();
      for (double[] c : curve) {
        if (Double.isNaN(c[k + 1])) {
          continue;
        }
        d.append(d.length() == 0 ? "M" : "L").append(f(x.applyAsDouble(c[0]))).append(' ')
            .append(f(y.applyAsDouble(c[k + 1])));
      }
      s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke-width=\"1.5\" ").append(styles[k / 2])
          .append("/>");
    }
    s.append("<line x1=\"").append(left).append("\" x2=\"").append(right).append("\" y1=\"")
        .append(f(y.applyAsDouble(baseline))).append("\" y2=\"").append(f(y.applyAsDouble(baseline)))
        .append("\" stroke=\"#000\" stroke-width=\"1\"/>");
    for (Point p : points) {
      s.append("<circle class=\"mark\" cx=\"").append(f(x.applyAsDouble(p.n()))).append("\" cy=\"")
          .append(f(y.applyAsDouble(p.value()))).append("\" r=\"5\" fill=\"").append(BLUE)
          .append("\" stroke=\"#fff\"><title>").append(esc(p.label() + ": " + Labels.value(p.value())
              + " (denominator " + Labels.count(p.n()) + ")")).append("</title></circle>");
    }
    s.append("<text x=\"").append((left + right) / 2).append("\" y=\"").append(bottom + 36)
        .append("\" text-anchor=\"middle\" font-size=\"12\">Denominator (size of area)</text>");
    legend(s, left + 10, top + 4, new String[] {"ICS average " + Labels.value(baseline), "95% limits",
        "99.8% limits"}, new String[] {"stroke=\"#000\"", styles[0], styles[1]});
    return s.append("</svg>").toString();
  }

  /** Line chart of values over periods for one or two series (area solid with circles, comparator dashed with squares). */
  static String trend(String id, String title, String desc, Series main, Series comparator) {
    int left = 60;
    int right = W - 20;
    int top = 16;
    int bottom = 260;
    int h = bottom + 60;
    List<String> xs = main.x();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series se : comparator == null ? List.of(main) : List.of(main, comparator)) {
      for (int i = 0; i < se.y().size(); i++) {
        for (Double v : new Double[] {se.y().get(i), se.lower() == null ? null : se.lower().get(i),
            se.upper() == null ? null : se.upper().get(i)}) {
          if (v != null) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
    }
    if (lo == Double.POSITIVE_INFINITY) {
      lo = 0;
      hi = 1;
    }
    double[] yt = ticks(Math.min(0, lo), hi);
    double yMin = yt[0];
    double yMax = yt[yt.length - 1];
    int n = Math.max(1, xs.size());
    java.util.function.DoubleUnaryOperator x = i -> left + 20 + (n == 1 ? 0.5 : i / (n - 1)) * (right - left - 40);
    java.util.function.DoubleUnaryOperator y = v -> bottom - (v - yMin) / (yMax - yMin) * (bottom - top);
    int marks = (int) main.y().stream().filter(v -> v != null).count();
    StringBuilder s = new StringBuilder(open(id, "trend", h, title, desc, marks));
    axes(s, null, yt, x, y, left, right, top, bottom);
    int every = Math.max(1, (int) Math.ceil(n / 7.0));
    for (int i = 0; i < n; i += every) {
      s.append("<text x=\"").append(f(x.applyAsDouble(i))).append("\" y=\"").append(bottom + 16)
          .append("\" text-anchor=\"middle\" font-size=\"11\">").append(esc(shortPeriod(xs.get(i)))).append("</text>");
    }
    if (comparator != null) {
      line(s, comparator, xs, x, y, ORANGE, "stroke-dasharray=\"6 3\"", false);
    }
    line(s, main, xs, x, y, BLUE, "", true);
    legend(s, left + 10, bottom + 34, comparator == null ? new String[] {main.name()}
        : new String[] {main.name(), comparator.name()}, new String[] {"stroke=\"" + BLUE + "\"",
            "stroke=\"" + ORANGE + "\" stroke-dasharray=\"6 3\""});
    return s.append("</svg>").toString();
  }

  /** "12 months to 2026-10" → "2026-10", so period labels fit under the axis. */
  static String shortPeriod(String label) {
    int i = label == null ? -1 : label.lastIndexOf(" to ");
    return i < 0 ? label : label.substring(i + 4);
  }

  private static void line(StringBuilder s, Series se, List<String> xs, java.util.function.DoubleUnaryOperator x,
      java.util.function.DoubleUnaryOperator y, String colour, String dash, boolean main) {
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < se.y().size(); i++) {
      Double v = se.y().get(i);
      int xi = xs.indexOf(se.x().get(i));
      if (v == null || xi < 0) {
        continue;
      }
      d.append(d.length() == 0 ? "M" : "L").append(f(x.applyAsDouble(xi))).append(' ').append(f(y.applyAsDouble(v)));
    }
    if (d.length() > 0) {
      s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(colour)
          .append("\" stroke-width=\"2\" ").append(dash).append("/>");
    }
    for (int i = 0; i < se.y().size(); i++) {
      Double v = se.y().get(i);
      int xi = xs.indexOf(se.x().get(i));
      if (v == null || xi < 0) {
        continue;
      }
      double cx = x.applyAsDouble(xi);
      double cy = y.applyAsDouble(v);
      String tip = "<title>" + esc(se.name() + ", " + se.x().get(i) + ": " + Labels.value(v)) + "</title>";
      if (main) {
        if (se.lower() != null && se.lower().get(i) != null && se.upper().get(i) != null) {
          s.append("<path d=\"M").append(f(cx)).append(' ').append(f(y.applyAsDouble(se.lower().get(i))))
              .append("V").append(f(y.applyAsDouble(se.upper().get(i)))).append("\" stroke=\"").append(colour)
              .append("\" stroke-width=\"1\"/>");
        }
        s.append("<circle class=\"mark\" cx=\"").append(f(cx)).append("\" cy=\"").append(f(cy))
            .append("\" r=\"4\" fill=\"").append(colour).append("\">").append(tip).append("</circle>");
      } else {
        s.append("<rect class=\"cmp\" x=\"").append(f(cx - 3.5)).append("\" y=\"").append(f(cy - 3.5))
            .append("\" width=\"7\" height=\"7\" fill=\"").append(colour).append("\">").append(tip).append("</rect>");
      }
    }
  }

  private static void axes(StringBuilder s, double[] xt, double[] yt, java.util.function.DoubleUnaryOperator x,
      java.util.function.DoubleUnaryOperator y, int left, int right, int top, int bottom) {
    for (double v : yt) {
      double yy = y.applyAsDouble(v);
      s.append("<line x1=\"").append(left).append("\" x2=\"").append(right).append("\" y1=\"").append(f(yy))
          .append("\" y2=\"").append(f(yy)).append("\" stroke=\"#ddd\"/>");
      s.append("<text x=\"").append(left - 6).append("\" y=\"").append(f(yy + 4))
          .append("\" text-anchor=\"end\" font-size=\"11\">").append(esc(tick(v, yt))).append("</text>");
    }
    if (xt != null) {
      for (double v : xt) {
        double xx = x.applyAsDouble(v);
        s.append("<text x=\"").append(f(xx)).append("\" y=\"").append(bottom + 16)
            .append("\" text-anchor=\"middle\" font-size=\"11\">").append(esc(Labels.count(v))).append("</text>");
      }
    }
    s.append("<path d=\"M").append(left).append(' ').append(top).append("V").append(bottom).append("H").append(right)
        .append("\" stroke=\"#000\" fill=\"none\"/>");
  }

  private static void legend(StringBuilder s, int x, int y, String[] labels, String[] strokes) {
    int xx = x;
    for (int i = 0; i < labels.length; i++) {
      s.append("<line x1=\"").append(xx).append("\" x2=\"").append(xx + 24).append("\" y1=\"").append(y)
          .append("\" y2=\"").append(y).append("\" stroke-width=\"2\" ").append(strokes[i]).append("/>");
      s.append("<text x=\"").append(xx + 28).append("\" y=\"").append(y + 4).append("\" font-size=\"11\">")
          .append(esc(labels[i])).append("</text>");
      xx += 40 + labels[i].length() * 6;
    }
  }
}
