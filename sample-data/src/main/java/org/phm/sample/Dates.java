package org.phm.sample;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/** Cached ISO date bytes by epoch day (1899-01-01 .. runDate + 3 years), so hot loops never format dates. */
final class Dates {
  final int base;
  final byte[][] cache;

  Dates(LocalDate runDate) {
    base = (int) LocalDate.of(1899, 1, 1).toEpochDay();
    int last = (int) runDate.plusYears(3).toEpochDay();
    cache = new byte[last - base + 1][];
    for (int d = base; d <= last; d++) {
      cache[d - base] = LocalDate.ofEpochDay(d).toString().getBytes(StandardCharsets.US_ASCII);
    }
  }

  byte[] day(int epochDay) { return cache[epochDay - base]; }

  /** Appends yyyy-MM-dd HH:mm:ss for an epoch minute. */
  void timestamp(ByteBuf b, long epochMinute) {
    int day = (int) Math.floorDiv(epochMinute, 1440L);
    int m = (int) Math.floorMod(epochMinute, 1440L);
    b.b(day(day)).c(' ').pad(m / 60, 2).c(':').pad(m % 60, 2).c(':').c('0').c('0');
  }
}
