package org.phm.sample;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Immutable shared state of one generation run (dates, code bytes, areas, models), read by all chunks. */
final class Context {
  /** NHS number bodies start at 900,000,000: numbers beginning with 9 are not issued in England (clearly fake). */
  static final long NHS_BASE = 900_000_000L;
  /** Bodies reserved per practice (about 636,000 valid numbers each); the 5.5 million bodies after the last practice are the reserve for injected rows. */
  static final int PRACTICE_STRIDE = 700_000;
  /** Conditions that make a patient under 65 eligible for flu vaccination (clinical risk groups). */
  static final int[] FLU_AT_RISK = {Population.DM, Population.CHD, Population.COPD, Population.AST, Population.CKD,
      Population.STIA, Population.HF, Population.LD, Population.MH, Population.CAN};

  final Hierarchy hierarchy;
  final Lsoas lsoas;
  final Population population;
  final Dates dates;
  final LocalDate runDate;
  final int run;
  final int window;
  final int[] period = new int[4];
  final int[] snapshots;
  final int[] seasonStart;
  final double badRowFraction;
  final byte[][][] condCodes;
  final byte[][] defCodes;
  final byte[] pregCode, obsBmi, obsSbp, obsDbp, obsHba1c, obsSmokCurrent, obsSmokEx, obsSmokNever, obsAlcHigh,
      obsAlcUnits, obsFlu, obsMedcount;
  private final int[] ageStartDay;
  private final Profile city, student, mid, south;

  Context(Hierarchy h, long seed, LocalDate runDate, double badRowFraction) {
    this.hierarchy = h;
    this.runDate = runDate;
    this.run = (int) runDate.toEpochDay();
    this.window = (int) runDate.minusYears(3).toEpochDay();
    for (int y = 0; y < 4; y++) period[y] = (int) runDate.minusYears(3 - y).toEpochDay();
    this.badRowFraction = badRowFraction;
    this.lsoas = new Lsoas(h, seed);
    this.population = new Population();
    this.dates = new Dates(runDate);
    // 13 month-end snapshots before the run date
    List<Integer> snaps = new ArrayList<>();
    LocalDate me = runDate.withDayOfMonth(1).minusDays(1);
    for (int i = 0; i < 13; i++) {
      snaps.add(0, (int) me.toEpochDay());
      me = me.withDayOfMonth(1).minusDays(1);
    }
    snapshots = snaps.stream().mapToInt(Integer::intValue).toArray();
    List<Integer> seasons = new ArrayList<>();
    for (int y = runDate.getYear() - 4; y <= runDate.getYear(); y++) {
      LocalDate s0 = LocalDate.of(y, 9, 1);
      if (s0.isBefore(runDate) && !LocalDate.of(y + 1, 3, 31).isBefore(runDate.minusYears(3))) seasons.add((int) s0.toEpochDay());
    }
    seasonStart = seasons.stream().mapToInt(Integer::intValue).toArray();
    Codes codes = Codes.load();
    condCodes = new byte[Population.COND.length][][];
    for (int c = 0; c < Population.COND.length; c++) {
      List<String> l = codes.condition(Population.COND[c]);
      condCodes[c] = new byte[l.size()][];
      for (int i = 0; i < l.size(); i++) condCodes[c][i] = ascii(l.get(i));
    }
    int[] gen = {1, 2, 3, 8, 9, 10, 11, 12, 13, 15, 16, 18, 20, 21, 23, 24, 27, 29, 30, 31, 32, 33, 34, 35, 36};
    defCodes = new byte[gen.length][];
    for (int k = 0; k < gen.length; k++) {
      List<String> l = codes.deficit(gen[k]);
      // deficit 20 lists dementia too; the generic deficit is the memory-impairment code (first listed)
      defCodes[k] = ascii(l.get(0));
    }
    pregCode = ascii(codes.condition("PREG").get(0));
    obsBmi = ascii(codes.observation("BMI"));
    obsSbp = ascii(codes.observation("SBP"));
    obsDbp = ascii(codes.observation("DBP"));
    obsHba1c = ascii(codes.observation("HBA1C"));
    obsSmokCurrent = ascii(codes.observation("SMOK_CURRENT"));
    obsSmokEx = ascii(codes.observation("SMOK_EX"));
    obsSmokNever = ascii(codes.observation("SMOK_NEVER"));
    obsAlcHigh = ascii(codes.observation("ALC_HIGH"));
    obsAlcUnits = ascii(codes.observation("ALC_UNITS"));
    obsFlu = ascii(codes.observation("FLU_VAC"));
    obsMedcount = ascii(codes.observation("MEDCOUNT"));
    ageStartDay = new int[Population.MAX_AGE + 2];
    for (int a = 0; a < ageStartDay.length; a++) ageStartDay[a] = (int) runDate.minusYears(a).toEpochDay();
    city = new Profile(Kind.CITY);
    student = new Profile(Kind.STUDENT);
    mid = new Profile(Kind.MID);
    south = new Profile(Kind.SOUTH);
  }

  private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

  /** Epoch day on which a person turns {@code age} (whole years) relative to the run date. */
  int ageStart(int age) { return ageStartDay[age]; }

  /** Annual probability of death for the general population (Gompertz fit to England life tables, approx.). */
  double deathHazard(double age) {
    if (age < 1) return 0.0035;
    if (age < 15) return 0.0001;
    if (age < 30) return 0.0004;
    return Math.min(0.5, Math.exp(-10.4 + 0.095 * age));
  }

  Profile profile(Hierarchy.Practice p) {
    if (p.name().startsWith("Cripps")) return student;
    if (p.city()) return city;
    if (p.mid()) return mid;
    return south;
  }

  enum Kind { CITY, STUDENT, MID, SOUTH }

  /** Area-type specific demography: age pyramid, sex ratio, ethnicity mix, list turnover. */
  final class Profile {
    final Kind kind;
    final double[] ageCum = new double[Population.MAX_AGE + 1];
    final double[] ethCum;
    static final String[] ETH = {"White", "Mixed", "Asian", "Black", "Other"};

    Profile(Kind kind) {
      this.kind = kind;
      double[] band = Population.ENGLAND_BAND.clone();
      double[] mult = new double[20];
      java.util.Arrays.fill(mult, 1.0);
      switch (kind) {
        case CITY -> {
          mult[3] = 1.3; mult[4] = 1.9; mult[5] = 1.35; mult[6] = 1.15;
          for (int b = 8; b < 13; b++) mult[b] = 0.85;
          for (int b = 13; b < 20; b++) mult[b] = 0.62;
        }
        case MID -> { mult[4] = 0.95; mult[5] = 0.95; for (int b = 13; b < 20; b++) mult[b] = 1.08; }
        case SOUTH -> { mult[4] = 0.85; mult[5] = 0.85; for (int b = 13; b < 20; b++) mult[b] = 1.12; }
        case STUDENT -> {
          for (int b = 0; b < 20; b++) mult[b] = 0.15;
          mult[3] = 4; mult[4] = 9; mult[5] = 1.5; mult[6] = 0.8;
        }
      }
      double acc = 0;
      for (int a = 0; a <= Population.MAX_AGE; a++) {
        double w = Population.singleYearWeight(band, a) * mult[Math.min(19, a / 5)];
        if (kind == Kind.STUDENT && (a == 15 || a == 16 || a == 17)) w *= 0.1;
        // generate extra people where deaths/deregistrations will remove some, so the registered list keeps the pyramid
        double stay = Math.pow((1 - deathHazard(a)) * (1 - deregRate(a)), 3);
        acc += w / stay;
        ageCum[a] = acc;
      }
      for (int a = 0; a <= Population.MAX_AGE; a++) ageCum[a] /= acc;
      double[] eth = switch (kind) {
        case CITY -> new double[] {0.63, 0.065, 0.145, 0.10, 0.03};
        case STUDENT -> new double[] {0.68, 0.05, 0.19, 0.05, 0.03};
        default -> new double[] {0.935, 0.015, 0.035, 0.01, 0.005};
      };
      ethCum = new double[eth.length];
      double e = 0;
      for (int i = 0; i < eth.length; i++) { e += eth[i]; ethCum[i] = e; }
    }

    int drawAge(double u) {
      int lo = 0, hi = ageCum.length - 1;
      while (lo < hi) {
        int m = (lo + hi) >>> 1;
        if (ageCum[m] < u) lo = m + 1; else hi = m;
      }
      return lo;
    }

    double femaleShare(int age) { return Population.FEMALE_SHARE[Math.min(19, age / 5)]; }

    /** Ethnic group: about 6% "Not stated" and 4% not recorded (empty), the rest by area mix. */
    String drawEthnicity(double u1, double u2) {
      if (u1 < 0.04) return "";
      if (u1 < 0.10) return "Not stated";
      for (int i = 0; i < ethCum.length; i++) if (u2 < ethCum[i]) return ETH[i];
      return "White";
    }

    /** Annual probability of leaving the list (moving away). */
    double deregRate(double age) {
      double r = age >= 18 && age < 30 ? 0.07 : 0.02;
      if (kind == Kind.STUDENT && age >= 18 && age < 26) return 0.25;
      if (kind == Kind.CITY) r *= 1.5;
      return r;
    }

    double meanYearsRegistered(int age) {
      return switch (kind) {
        case STUDENT -> 1.6;
        case CITY -> 7;
        default -> 11;
      };
    }
  }
}
