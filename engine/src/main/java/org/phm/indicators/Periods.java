package org.phm.indicators;

import java.time.LocalDate;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * The reporting periods of a run: period 0 ends on the last day of the last complete month before the run
 * date, periods 1..12 end on the 12 month ends before it (so each indicator has a 13-point monthly series
 * for trends). Each period type turns a period end into a date window (inclusive bounds).
 */
public final class Periods {
  /** Number of monthly periods evaluated (current + 12 previous). */
  public static final int COUNT = 13;

  /**
   * The flu season of the {@code season} period type (the catalogue's {@code flu_season}): first and last day,
   * both inclusive; when {@code end} falls before {@code start} in the calendar the season ends the next year. A
   * last day of 29 February means the last day of February in every year.
   */
  public record FluSeason(MonthDay start, MonthDay end) {
    /** 1 September to the end of February: the national seasonal flu collections' vaccination period. */
    public static final FluSeason DEFAULT = new FluSeason(MonthDay.of(9, 1), MonthDay.of(2, 29));

    public FluSeason {
      if (start == null || end == null) {
        throw new IllegalArgumentException("flu season needs a start and an end");
      }
    }

    /** Start of the season in progress on {@code date}, or of the last one to start before it. */
    LocalDate startOn(LocalDate date) {
      LocalDate s = start.atYear(date.getYear());
      return s.isAfter(date) ? start.atYear(date.getYear() - 1) : s;
    }

    /** Last day of the season that starts on {@code seasonStart}. */
    LocalDate endOf(LocalDate seasonStart) {
      LocalDate e = end.atYear(seasonStart.getYear());
      return e.isBefore(seasonStart) ? end.atYear(seasonStart.getYear() + 1) : e;
    }
  }

  private final List<LocalDate> ends;
  private final FluSeason season;

  private Periods(List<LocalDate> ends, FluSeason season) {
    this.ends = List.copyOf(ends);
    this.season = season;
  }

  /** Periods for a run date, with the catalogue's flu season. */
  public static Periods forRunDate(LocalDate runDate, FluSeason season) {
    YearMonth last = YearMonth.from(runDate).minusMonths(1);
    List<LocalDate> ends = new ArrayList<>();
    for (int k = 0; k < COUNT; k++) {
      ends.add(last.minusMonths(k).atEndOfMonth());
    }
    return new Periods(ends, season);
  }

  /** End date of period k (0 = current). */
  public LocalDate end(int k) {
    return ends.get(k);
  }

  public List<LocalDate> ends() {
    return ends;
  }

  /** Inclusive start of the window of period type {@code type} ending with period k. */
  public LocalDate start(String type, int k) {
    return start(type, ends.get(k));
  }

  /** Inclusive window start for a period type and a period end (a month end). */
  private LocalDate start(String type, LocalDate end) {
    YearMonth m = YearMonth.from(end);
    return switch (type) {
      case "rolling_12_months" -> m.minusMonths(11).atDay(1);
      case "quarter" -> m.minusMonths(2).atDay(1);
      case "latest_month", "latest_snapshot" -> m.atDay(1);
      case "season" -> season.startOn(end);
      case "at_period_end" -> end;
      default -> throw new IllegalArgumentException("unknown period type " + type);
    };
  }

  /** Inclusive window end: the period end, except that a flu season ends on its last day. */
  public LocalDate windowEnd(String type, int k) {
    return windowEnd(type, ends.get(k));
  }

  private LocalDate windowEnd(String type, LocalDate end) {
    if (type.equals("season")) {
      LocalDate seasonEnd = season.endOf(season.startOn(end));
      return end.isBefore(seasonEnd) ? end : seasonEnd;
    }
    return end;
  }

  /** Width in months of the window of a period type (the most periods one dated row can fall in). */
  static int months(String type) {
    return switch (type) {
      case "rolling_12_months", "season" -> 12;
      case "quarter" -> 3;
      default -> 1;
    };
  }

  /**
   * Human label of a period: e.g. "2026-10" (month), "12 months to 2026-10", "3 months to 2026-10", "2026/27 flu
   * season to 2026-10" (a season within one calendar year: "2026 flu season to 2026-10").
   */
  public String label(String type, int k) {
    YearMonth m = YearMonth.from(ends.get(k));
    return switch (type) {
      case "rolling_12_months" -> "12 months to " + m;
      case "quarter" -> "3 months to " + m;
      case "season" -> {
        LocalDate start = season.startOn(ends.get(k));
        int y = start.getYear();
        String years = season.endOf(start).getYear() == y ? String.valueOf(y) : String.format("%d/%02d", y, (y + 1) % 100);
        yield years + " flu season to " + YearMonth.from(windowEnd(type, k));
      }
      case "at_period_end" -> "at " + ends.get(k);
      default -> m.toString();
    };
  }
}
