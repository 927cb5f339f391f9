package org.phm.indicators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phm.indicators.IndicatorStage.PartSpec;

/**
 * Driver-side store of the collected aggregates: per part × period × level × area × breakdown, a total (or
 * n, Σx, Σx² for means; value and n for percentiles; per ESP2013 band for standardised methods). Practice
 * cells are rolled up to PCN, ICP and ICS as they are added (all these sums are additive).
 *
 * <p>The additive parts counted together from one source form a {@link Group}: a collected row adds to one cell per
 * level holding every part of the group side by side, so the row costs four map lookups rather than four per part
 * (the registered population's rows × 44 parts took several seconds on the driver while the executors
 * waited, docs/performance.md). Sources are counted concurrently, so the store is synchronised.
 */
final class Aggregates {
  /** An area of a level, with its name and parent (the next level up; null for ICS and providers). */
  record Area(String level, String code, String name, String parentCode) {}

  private record Practice(String name, String pcn, String pcnName, String icp, String icpName, String ics,
      String icsName) {}

  /** A cell: a group (or, for a percentile part, the part id) at one period, area and breakdown value. */
  private record Cell(int owner, int k, String level, String code, String b, String v) {}

  /** Where a part's values sit in its group's cells. */
  private record Slot(Group group, int offset, int width) {}

  /**
   * Additive parts counted in one pass: part j's values start at {@code offset[j]} of the group's cells and come
   * from value {@code column[j]} of a collected row (three values for means; for ESP-banded parts one value, added
   * at the row's band).
   */
  static final class Group {
    private final int id;
    private final List<PartSpec> parts;
    private final int[] column;
    private final int[] offset;
    private final int width;

    private Group(int id, List<PartSpec> parts, int[] column) {
      this.id = id;
      this.parts = List.copyOf(parts);
      this.column = column.clone();
      this.offset = new int[parts.size()];
      int w = 0;
      for (int j = 0; j < parts.size(); j++) {
        offset[j] = w;
        w += width(parts.get(j));
      }
      this.width = w;
    }

    private static int width(PartSpec p) {
      return p.count().equals("measure") ? 3 : p.bands() ? IndicatorStage.ESP_BANDS + 1 : 1;
    }
  }

  private final Map<String, Practice> practices = new LinkedHashMap<>();
  private final Map<Cell, double[]> cells = new HashMap<>();
  private final Map<Integer, Slot> slots = new HashMap<>();
  private int groupCount;
  private final Map<Integer, Set<String>> providers = new HashMap<>(); // by group id, or part id for percentiles
  private final Map<Integer, Set<String>> breakdowns = new HashMap<>(); // by group id

  Aggregates(Dataset<Row> practiceDim) {
    for (Row r : practiceDim.select("practice_code", "practice_name", "pcn_code", "pcn_name", "icp_code", "icp_name",
        "ics_code", "ics_name").collectAsList()) {
      practices.put(r.getString(0), new Practice(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
          r.getString(5), r.getString(6), r.getString(7)));
    }
  }

  /**
   * Registers additive parts counted together; {@code column[j]} is the index, in the value array passed to
   * {@link #add}, of part j's (first) value.
   */
  synchronized Group group(List<PartSpec> parts, int[] column) {
    // group ids are negative, so they never meet a percentile part's id in a cell or set key
    Group g = new Group(-1 - groupCount++, parts, column);
    for (int j = 0; j < parts.size(); j++) {
      slots.put(parts.get(j).id(), new Slot(g, g.offset[j], Group.width(parts.get(j))));
    }
    return g;
  }

  /** Areas of a geographic level (providers: those seen in any of the given parts), sorted by code. */
  synchronized List<Area> areas(String level, List<Integer> partIds) {
    Map<String, Area> out = new java.util.TreeMap<>();
    if (level.equals("PROVIDER")) {
      for (int id : partIds) {
        for (String p : providers.getOrDefault(owner(id), Set.of())) {
          out.put(p, new Area(level, p, p, null));
        }
      }
      return new ArrayList<>(out.values());
    }
    for (Map.Entry<String, Practice> e : practices.entrySet()) {
      Practice p = e.getValue();
      switch (level) {
        case "PRACTICE" -> out.put(e.getKey(), new Area(level, e.getKey(), p.name(), p.pcn()));
        case "PCN" -> out.put(p.pcn(), new Area(level, p.pcn(), p.pcnName(), p.icp()));
        case "ICP" -> out.put(p.icp(), new Area(level, p.icp(), p.icpName(), p.ics()));
        case "ICS" -> out.put(p.ics(), new Area(level, p.ics(), p.icsName(), null));
        default -> throw new IllegalArgumentException(level);
      }
    }
    return new ArrayList<>(out.values());
  }

  /** ICS code an area belongs to (null for providers when the practices span several ICSs). */
  String icsOf(Area a) {
    return switch (a.level()) {
      case "ICS" -> a.code();
      case "ICP" -> practices.values().stream().filter(p -> p.icp().equals(a.code())).map(Practice::ics).findFirst().orElse(null);
      case "PCN" -> practices.values().stream().filter(p -> p.pcn().equals(a.code())).map(Practice::ics).findFirst().orElse(null);
      case "PRACTICE" -> practices.containsKey(a.code()) ? practices.get(a.code()).ics() : null;
      default -> {
        Set<String> all = new TreeSet<>();
        practices.values().forEach(p -> all.add(p.ics()));
        yield all.size() == 1 ? all.iterator().next() : null;
      }
    };
  }

  /** Breakdown (breakdown + '\u0001' + value) pairs seen in period 0 for the given parts, sorted. */
  synchronized Set<String> breakdowns(List<Integer> partIds) {
    Set<String> out = new TreeSet<>();
    partIds.forEach(id -> out.addAll(breakdowns.getOrDefault(owner(id), Set.of())));
    return out;
  }

  /**
   * Adds one collected row of a group's values; practice rows also count towards their PCN, ICP and ICS.
   * {@code band} is the row's ESP band index (for banded parts).
   */
  synchronized void add(Group g, int k, String level, String code, String b, String v, double[] values, int band) {
    if (level.equals("PROVIDER")) {
      providers.computeIfAbsent(g.id, x -> new TreeSet<>()).add(code);
      addTo(cell(g, k, level, code, b, v), g, values, band);
      return;
    }
    Practice pr = practices.get(code);
    if (pr == null) {
      return; // practice not in the hierarchy (cannot happen after linkage); not attributable
    }
    if (k == 0) {
      breakdowns.computeIfAbsent(g.id, x -> new TreeSet<>()).add(b + '\u0001' + v);
    }
    addTo(cell(g, k, "PRACTICE", code, b, v), g, values, band);
    addTo(cell(g, k, "PCN", pr.pcn(), b, v), g, values, band);
    addTo(cell(g, k, "ICP", pr.icp(), b, v), g, values, band);
    addTo(cell(g, k, "ICS", pr.ics(), b, v), g, values, band);
  }

  /** Stores a non-additive result (percentile value and n) for one cell. */
  synchronized void put(PartSpec p, int k, String level, String code, String b, String v, double[] values) {
    if (level.equals("PROVIDER")) {
      providers.computeIfAbsent(p.id(), x -> new TreeSet<>()).add(code);
    }
    cells.put(new Cell(p.id(), k, level, code, b, v), values.clone());
  }

  /** The stored values, or null when nothing was counted. */
  synchronized double[] get(int partId, int k, String level, String code, String b, String v) {
    Slot s = slots.get(partId);
    if (s == null) {
      return cells.get(new Cell(partId, k, level, code, b, v));
    }
    double[] c = cells.get(new Cell(s.group().id, k, level, code, b, v));
    return c == null ? null : Arrays.copyOfRange(c, s.offset(), s.offset() + s.width());
  }

  /** The key under which a part's providers and breakdowns are kept: its group's id, or its own for percentiles. */
  private int owner(int partId) {
    Slot s = slots.get(partId);
    return s == null ? partId : s.group().id;
  }

  private double[] cell(Group g, int k, String level, String code, String b, String v) {
    return cells.computeIfAbsent(new Cell(g.id, k, level, code, b, v), x -> new double[g.width]);
  }

  private static void addTo(double[] cell, Group g, double[] values, int band) {
    for (int j = 0; j < g.parts.size(); j++) {
      PartSpec p = g.parts.get(j);
      int o = g.offset[j];
      int c = g.column[j];
      if (p.count().equals("measure")) {
        cell[o] += values[c];
        cell[o + 1] += values[c + 1];
        cell[o + 2] += values[c + 2];
      } else if (p.bands()) {
        if (band >= 0 && band <= IndicatorStage.ESP_BANDS) {
          cell[o + band] += values[c];
        }
      } else {
        cell[o] += values[c];
      }
    }
  }
}
