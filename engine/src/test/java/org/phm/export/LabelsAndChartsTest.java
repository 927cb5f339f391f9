package org.phm.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure rendering helpers: words and symbols for status, axis ticks, chart marks. */
class LabelsAndChartsTest {

  @Test
  void trendHasArrowAndWordsAndFollowsPolarity() {
    assertEquals("↑ Increasing, improving", Labels.trend("IMPROVING", "HIGHER_IS_BETTER"));
    assertEquals("↓ Decreasing, improving", Labels.trend("IMPROVING", "LOWER_IS_BETTER"));
    assertEquals("↑ Increasing, worsening", Labels.trend("WORSENING", "LOWER_IS_BETTER"));
    assertEquals("↑ Increasing", Labels.trend("INCREASING", null));
    assertEquals("↓ Decreasing", Labels.trend("DECREASING", null));
    assertEquals("→ No significant change", Labels.trend("NO_SIGNIFICANT_CHANGE", null));
    assertEquals("– Not enough data", Labels.trend("NOT_ENOUGH_DATA", null));
    assertEquals("– Not enough data", Labels.trend(null, null));
  }

  @Test
  void ragNeverReliesOnColourAlone() {
    for (String code : List.of("RED", "AMBER", "GREEN", "NONE")) {
      Labels.Rag r = Labels.rag(code);
      assertTrue(r.text().length() > 4 && !r.symbol().isBlank(), code);
    }
    assertEquals("✖ Red – not meeting standard", Labels.rag("RED").text());
    assertEquals("* Withheld", Labels.rag("GREEN", true).text());
    assertEquals("*", Labels.compared("HIGHER", "BETTER", true));
    assertEquals("Better (higher)", Labels.compared("HIGHER", "BETTER", false));
    assertEquals("Similar", Labels.compared("SIMILAR", "SIMILAR"));
  }

  @Test
  void numbersAreFormattedForReaders() {
    assertEquals("1,234", Labels.count(1234.0));
    assertEquals("52.7", Labels.value(52.6666));
    assertEquals("1,235", Labels.value(1234.5));
    assertEquals("0.53", Labels.value(0.5312));
    assertEquals("52.7%", Labels.withUnit("52.7", "%"));
    assertEquals("61.2 per 1,000", Labels.withUnit("61.2", "per 1,000"));
    assertEquals("Lower 95% CI", Labels.header("lower95"));
  }

  @Test
  void ticksCoverTheRangeWithRoundSteps() {
    assertArrayEquals(new double[] {0, 20, 40, 60}, Svg.ticks(0, 57.5), 1e-9);
    assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, Svg.ticks(0, 0.9), 1e-9);
    assertEquals("0", Svg.tick(0, Svg.ticks(0, 57.5)));
    assertEquals("2026-10", Svg.shortPeriod("12 months to 2026-10"));
  }

  @Test
  void barChartDrawsOneMarkPerPublishedValueAndNamesWithheldOnes() {
    String svg = Svg.bars("c1", "Title <x>", "Desc", List.of(
        new Svg.Bar("PCN A", 50.0, 45.0, 55.0, false, false),
        new Svg.Bar("PCN B", null, null, null, true, false),
        new Svg.Bar("ICP", 48.0, 46.0, 50.0, false, true)), 52.0, "ICS");
    assertEquals(2, svg.split("class=\"mark\"", -1).length - 1);
    assertTrue(svg.contains("data-points=\"2\"") && svg.contains("* withheld"));
    assertTrue(svg.contains("<title id=\"c1-t\">Title &lt;x&gt;</title>") && svg.contains("aria-labelledby=\"c1-t c1-d\""));
    assertTrue(svg.contains("stroke-dasharray"), "reference line is dashed, not colour only");
  }

  @Test
  void htmlGuardRejectsExternalReferences() {
    assertTrue(HtmlReport.EXTERNAL.matcher("<img src=\"http://x.org/a.png\">").find());
    assertTrue(HtmlReport.EXTERNAL.matcher("<link href='//cdn.example.com/a.css'>").find());
    assertTrue(HtmlReport.EXTERNAL.matcher("background: url(data:x)").find());
    assertTrue(!HtmlReport.EXTERNAL.matcher("<a href=\"#main\">Skip</a> see https://fingertips.phe.org.uk").find());
  }

  @Test
  void requestNeedsAnAreaAndAFormat() {
    assertThrows(ExportException.Usage.class, () -> new ExportRequest(List.of(), List.of(),
        java.util.Set.of(Format.HTML), java.nio.file.Path.of("x"), 7));
    assertThrows(ExportException.Usage.class, () -> new ExportRequest(List.of("all"), List.of(),
        java.util.Set.of(), java.nio.file.Path.of("x"), 7));
    assertThrows(ExportException.Usage.class, () -> Format.parse("pdf"));
    assertEquals("nottingham-and-nottinghamshire", PackExporter.slug("Nottingham & Nottinghamshire"));
  }
}
