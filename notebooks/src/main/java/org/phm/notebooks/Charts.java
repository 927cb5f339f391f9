package org.phm.notebooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.phm.stats.Funnels;

/**
 * Simple offline SVG charts for notebooks (no JavaScript, no network): horizontal bars with an
 * optional reference line, proportion funnel plots with 95% / 99.8% limits from {@link Funnels}, and
 * scatter plots. Okabe–Ito colour-blind-safe colours; every chart carries a title and description.
 */
public final class Charts {
  static final String BLUE = "#0072B2";
  static final String ORANGE = "#E69F00";
  static final String VERMILLION = "#D55E00";
  static final String GREY = "#595959";
  private static final int W = 680;

  private Charts() {}

  /** Horizontal bar chart; {@code reference} (may be null) is drawn as a dashed line labelled {@code refLabel}. */
  public static Display.Svg bars(String title, List<String> labels, double[] values, Double reference, String refLabel) {
    int left = 220;
    int right = W - 70;
    int rowH = 20;
    int top = 34;
    int h = top + rowH * labels.size() + 30;
    double max = reference == null ? 0 : reference;
    for (double v : values) {
      max = Math.max(max, v);
    }
    double scale = max > 0 ? (right - left) / max : 0;
    StringBuilder sb = open(title, "bars", h, labels.size());
    for (int i = 0; i < labels.size(); i++) {
      int y = top + i * rowH;
      sb.append(text(left - 6, y + 14, "end", labels.get(i)));
      if (Double.isNaN(values[i])) {
        sb.append(text(left + 4, y + 14, "start", "* withheld"));
        continue;
      }
      sb.append(String.format(Locale.ROOT,
          "<rect class=\"mark\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>",
          left, y + 3, values[i] * scale, rowH - 6, BLUE, esc(labels.get(i)), num(values[i])));
      sb.append(text((int) (left + values[i] * scale) + 4, y + 14, "start", num(values[i])));
    }
    if (reference != null) {
      double x = left + reference * scale;
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"5,3\"/>",
          x, x, top - 6, h - 24, VERMILLION));
      sb.append(text((int) x, top - 10, "middle", refLabel + " " + num(reference)));
    }
    return close(sb);
  }

  /**
   * Funnel plot of proportions: each area's value (× multiplier, e.g. 100 for %) against its
   * denominator, with the baseline and 95% (dashed) / 99.8% (solid) control limits. Points outside
   * 99.8% limits are vermillion diamonds, outside 95% orange squares, others blue circles.
   */
  public static Display.Svg funnel(String title, List<String> labels, double[] denominators, double[] values,
      double baseline, double multiplier) {
    int left = 70;
    int right = W - 20;
    int top = 30;
    int bottom = 320;
    double nMax = 0;
    double yMin = baseline * multiplier;
    double yMax = baseline * multiplier;
    for (int i = 0; i < values.length; i++) {
      nMax = Math.max(nMax, denominators[i]);
      yMin = Math.min(yMin, values[i]);
      yMax = Math.max(yMax, values[i]);
    }
    nMax *= 1.1;
    double nMin = Math.max(1, nMax / 200);
    List<double[]> limits = new ArrayList<>();
    for (int k = 0; k <= 60; k++) {
      double n = nMin + (nMax - nMin) * k / 60.0;
      Funnels.Limits l = Funnels.proportion(n, baseline, multiplier);
      limits.add(new double[] {n, l.lower2s(), l.upper2s(), l.lower3s(), l.upper3s()});
    }
    Funnels.Limits atMin = Funnels.proportion(Math.max(nMin, minPositive(denominators)), baseline, multiplier);
    yMin = Math.min(yMin, atMin.lower3s());
    yMax = Math.max(yMax, atMin.upper3s());
    double pad = (yMax - yMin) * 0.05 + 1e-9;
    final double y0 = yMin - pad;
    final double y1 = yMax + pad;
    final double nTop = nMax;
    java.util.function.DoubleUnaryOperator sx = n -> left + (right - left) * n / nTop;
    java.util.function.DoubleUnaryOperator sy = v -> bottom - (bottom - top) * (v - y0) / (y1 - y0);
    StringBuilder sb = open(title, "funnel", bottom + 50, values.length);
    sb.append(axes(left, right, top, bottom, y0, y1, sy));
    sb.append(text((left + right) / 2, bottom + 36, "middle", "Denominator (population)"));
    for (int col = 1; col <= 4; col++) {
      StringBuilder path = new StringBuilder();
      for (double[] l : limits) {
        if (Double.isNaN(l[col])) {
          continue;
        }
        path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f",
            sx.applyAsDouble(l[0]), sy.applyAsDouble(Math.max(y0, Math.min(y1, l[col])))));
      }
      sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(GREY)
          .append(col <= 2 ? "\" stroke-dasharray=\"4,3\"" : "\"").append("/>");
    }
    double by = sy.applyAsDouble(baseline * multiplier);
    sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
        left, right, by, by, GREY));
    for (int i = 0; i < values.length; i++) {
      Funnels.Limits l = Funnels.proportion(denominators[i], baseline, multiplier);
      double x = sx.applyAsDouble(denominators[i]);
      double y = sy.applyAsDouble(values[i]);
      String tip = "<title>" + esc(labels.get(i)) + ": " + num(values[i]) + " (n = " + num(denominators[i]) + ")</title>";
      if (values[i] < l.lower3s() || values[i] > l.upper3s()) {
        sb.append(String.format(Locale.ROOT, "<path class=\"mark\" d=\"M%.1f,%.1fl6,6l-6,6l-6,-6z\" fill=\"%s\">%s</path>",
            x, y - 6, VERMILLION, tip));
      } else if (values[i] < l.lower2s() || values[i] > l.upper2s()) {
        sb.append(String.format(Locale.ROOT, "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"%s\">%s</rect>",
            x - 4.5, y - 4.5, ORANGE, tip));
      } else {
        sb.append(String.format(Locale.ROOT, "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\">%s</circle>",
            x, y, BLUE, tip));
      }
    }
    return close(sb);
  }

  /** Scatter plot of y against x with point labels as tooltips. */
  public static Display.Svg scatter(String title, String xLabel, String yLabel, List<String> labels, double[] x,
      double[] y) {
    int left = 70;
    int right = W - 20;
    int top = 30;
    int bottom = 320;
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      x0 = Math.min(x0, x[i]);
      x1 = Math.max(x1, x[i]);
      yMin = Math.min(yMin, y[i]);
      yMax = Math.max(yMax, y[i]);
    }
    if (x.length == 0) {
      x0 = 0;
      x1 = 1;
      yMin = 0;
      yMax = 1;
    }
    double px = (x1 - x0) * 0.05 + 1e-9;
    double py = (yMax - yMin) * 0.05 + 1e-9;
    final double ax = x0 - px;
    final double bx = x1 + px;
    final double ay = yMin - py;
    final double by = yMax + py;
    java.util.function.DoubleUnaryOperator sy = v -> bottom - (bottom - top) * (v - ay) / (by - ay);
    StringBuilder sb = open(title, "scatter", bottom + 50, x.length);
    sb.append(axes(left, right, top, bottom, ay, by, sy));
    sb.append(text((left + right) / 2, bottom + 36, "middle", xLabel));
    sb.append(text(left, top - 8, "start", yLabel));
    for (int i = 0; i < x.length; i++) {
      sb.append(String.format(Locale.ROOT,
          "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s: (%s, %s)</title></circle>",
          left + (right - left) * (x[i] - ax) / (bx - ax), sy.applyAsDouble(y[i]), BLUE, esc(labels.get(i)),
          num(x[i]), num(y[i])));
    }
    return close(sb);
  }

  private static StringBuilder open(String title, String kind, int h, int points) {
    return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ")
        .append(W).append(' ').append(h).append("\" width=\"").append(W).append("\" height=\"").append(h)
        .append("\" data-chart=\"").append(kind).append("\" data-points=\"").append(points)
        .append("\" font-family=\"sans-serif\" font-size=\"11\"><title>").append(esc(title))
        .append("</title><desc>").append(esc(kind + " chart: " + title)).append("</desc>")
        .append(text(W / 2, 16, "middle", title).replace("<text ", "<text font-weight=\"bold\" "));
  }

  private static Display.Svg close(StringBuilder sb) {
    return new Display.Svg(sb.append("</svg>").toString());
  }

  private static String axes(int left, int right, int top, int bottom, double y0, double y1,
      java.util.function.DoubleUnaryOperator sy) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>"
            + "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>",
        left, left, top, bottom, left, right, bottom, bottom));
    for (int k = 0; k <= 4; k++) {
      double v = y0 + (y1 - y0) * k / 4;
      double y = sy.applyAsDouble(v);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>",
          left - 4, left, y, y)).append(text(left - 6, (int) y + 4, "end", num(v)));
    }
    return sb.toString();
  }

  private static double minPositive(double[] xs) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : xs) {
      if (x > 0) {
        m = Math.min(m, x);
      }
    }
    return Double.isInfinite(m) ? 1 : m;
  }

  private static String text(int x, int y, String anchor, String s) {
    return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>";
  }

  static String num(double v) {
    if (Math.abs(v) >= 1000 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.3g", v);
  }

  private static String esc(String s) {
    return Display.escape(s == null ? "" : s);
  }
}
