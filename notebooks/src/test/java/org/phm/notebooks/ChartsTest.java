package org.phm.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.phm.stats.Funnels;

/** Funnel-plot marks agree with the engine's own funnel significance (PHEindicatormethods method). */
class ChartsTest {
  @Test
  void funnelMarksFollowFunnelSignificance() {
    double baseline = 0.15;
    double[] n = {400, 2000, 5000, 9000, 12000, 800};
    double[] x = {60, 340, 600, 1300, 2300, 90};
    double[] pct = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      pct[i] = 100 * x[i] / n[i];
    }
    List<String> labels = List.of("a", "b", "c", "d", "e", "f");
    String svg = Charts.funnel("t", labels, n, pct, baseline, 100).svg();
    Matcher m = Pattern.compile("<(path|rect|circle) class=\"mark\"[^>]*><title>([a-f]):").matcher(svg);
    int seen = 0;
    while (m.find()) {
      int i = labels.indexOf(m.group(2));
      String sig = Funnels.proportionSignificance(x[i], n[i], baseline);
      String expected = sig.endsWith("(0.001)") ? "path" : sig.endsWith("(0.025)") ? "rect" : "circle";
      assertEquals(expected, m.group(1), labels.get(i) + " " + sig);
      seen++;
    }
    assertEquals(6, seen);
    // the data set covers all three classes, so the check above is not vacuous
    assertEquals("Not significant", Funnels.proportionSignificance(x[0], n[0], baseline));
    assertEquals("High (0.025)", Funnels.proportionSignificance(x[1], n[1], baseline));
    assertEquals("Low (0.001)", Funnels.proportionSignificance(x[2], n[2], baseline));
  }
}
