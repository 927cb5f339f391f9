package org.phm.export;

import java.util.List;

/** The "how to read this" guidance printed on the workbook cover and at the top of the HTML report. */
final class HowToRead {
  private HowToRead() {}

  static List<String> lines(int threshold) {
    return List.of(
        "Each indicator (KPI) shows the latest period available for this area. Where a national or local "
            + "standard exists, the RAG rating says whether it is met: ✔ Green = meets the standard, "
            + "▲ Amber = close to it, ✖ Red = not meeting it, – = no standard or not rated. The symbol and word "
            + "carry the meaning, so the ratings can be read without colour (for example when printed in black "
            + "and white).",
        "Trend compares recent periods: ↑ Increasing, ↓ Decreasing, → No significant change. Whether an "
            + "increase is good depends on the indicator (see Definitions: polarity).",
        "95% confidence interval (CI): the range within which the true value is likely to lie, allowing for "
            + "chance variation. Small areas such as PCNs have wide intervals; where an area's interval does not "
            + "overlap the ICS value, the difference is unlikely to be due to chance (\"Compared with ICS\").",
        "IMD quintile 1 = the most deprived 20% of neighbourhoods (Index of Multiple Deprivation); quintile 5 = "
            + "the least deprived. The slope index of inequality (SII) is the gap between the most and least "
            + "deprived ends of the area.",
        "* = withheld to protect confidentiality: counts of 1 to " + threshold + " (and any figure that would "
            + "let one be worked out) are not shown, following NHS small-number rules. Zero is shown as 0.",
        "This pack contains aggregate figures only; no patient-level data. Figures are from the data pack "
            + "named above; later packs may revise them.");
  }
}
