package org.phm.indicators;

import java.time.LocalDate;
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

  private final List<LocalDate> ends;

  private Periods(List<LocalDate> ends) {
    this.ends = List.copyOf(ends);
  }

  /** Periods for a run date. */
  public static Periods forRunDate(LocalDate runDate) {
    YearMonth last = YearMonth.from(runDate).minusMonths(1);
    List<LocalDate> ends = new ArrayList<>();
    for (int k = 0; k < COUNT; k++) {
      ends.add(last.minusMonths(k).atEndOfMonth());
    }
    return new Periods(ends);
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
  static LocalDate start(String type, LocalDate end) {
    YearMonth m = YearMonth.from(end);
    return switch (type) {
      case "rolling_12_months" -> m.minusMonths(11).atDay(1);
      case "quarter" -> m.minusMonths(2).atDay(1);
      case "latest_month", "latest_snapshot" -> m.atDay(1);
      case "season" -> seasonStart(end);
      case "at_period_end" -> end;
      default -> throw new IllegalArgumentException("unknown period type " + type);
    };
  }

  /** Inclusive window end: the period end, except a flu season ends on the last day of February. */
  public LocalDate windowEnd(String type, int k) {
    return windowEnd(type, ends.get(k));
  }

  static LocalDate windowEnd(String type, LocalDate end) {
    if (type.equals("season")) {
      LocalDate febEnd = YearMonth.of(seasonStart(end).getYear() + 1, 2).atEndOfMonth();
      return end.isBefore(febEnd) ? end : febEnd;
    }
    return end;
  }

  /** 1 September of the flu season in progress at {@code end} (or the last completed one, March to August). */
  static LocalDate seasonStart(LocalDate end) {
    int year = end.getMonthValue() >= 9 ? end.getYear() : end.getYear() - 1;
    return LocalDate.of(year, 9, 1);
  }

  /** Width in months of the window of a period type (the most periods one dated row can fall in). */
  static int months(String type) {
    return switch (type) {
      case "rolling_12_months", "season" -> 12;
      case "quarter" -> 3;
      default -> 1;
    };
  }

  /** Human label of a period: e.g. "2026-10" (month), "12m to 2026-10", "Q to 2026-10", "2026/27 season to 2026-10". */
  public String label(String type, int k) {
    YearMonth m = YearMonth.from(ends.get(k));
    return switch (type) {
      case "rolling_12_months" -> "12 months to " + m;
      case "quarter" -> "3 months to " + m;
      case "season" -> {
        int y = seasonStart(ends.get(k)).getYear();
        yield String.format("%d/%02d flu season to %s", y, (y + 1) % 100, YearMonth.from(windowEnd(type, k)));
      }
      case "at_period_end" -> "at " + ends.get(k);
      default -> m.toString();
    };
  }
}
