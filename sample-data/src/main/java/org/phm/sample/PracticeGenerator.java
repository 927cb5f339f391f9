package org.phm.sample;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Generates every row of one practice (its patients, their GP events and secondary-care activity) into
 * in-memory sinks, from its own seeded random stream, so practices can run in parallel and still produce
 * byte-identical output. Not thread-safe; one instance per practice.
 */
final class PracticeGenerator {
  private static final int NONE = Integer.MAX_VALUE;
  private static final byte[] DIAGNOSIS = ascii("DIAGNOSIS"), OBSERVATION = ascii("OBSERVATION"),
      VACCINATION = ascii("VACCINATION"), MEDICATION = ascii("MEDICATION");
  private static final byte[] U_KG = ascii("kg/m2"), U_MMHG = ascii("mmHg"), U_MMOL = ascii("mmol/mol"),
      U_UNITS = ascii("units/week"), U_MED = ascii("medicines");
  private static final String[] BANDS = {"0_4", "5_9", "10_14", "15_19", "20_24", "25_29", "30_34", "35_39", "40_44",
      "45_49", "50_54", "55_59", "60_64", "65_69", "70_74", "75_79", "80_84", "85_89", "90_94", "95+"};
  /** Generic eFI deficits (those not implied by a condition): deficit id and base log-odds at age 80. */
  private static final int[] GEN_DEF = {1, 2, 3, 8, 9, 10, 11, 12, 13, 15, 16, 18, 20, 21, 23, 24, 27, 29, 30, 31, 32,
      33, 34, 35, 36};
  private static final double[] GEN_DEF_A = {-2.6, -2.3, -1.6, -2.5, -2.2, -2.1, -2.4, -3.0, -1.8, -2.8, -3.2, -2.6,
      -3.0, -2.8, -3.6, -3.4, -3.0, -3.4, -2.4, -2.0, -2.3, -2.4, -2.6, -2.4, -3.0};
  private static final String[] EA_GENERAL = {"R07.4", "R10.4", "J18.9", "N39.0", "L03.1", "A09.9", "R55", "S72.0",
      "A41.9", "J22", "K59.0", "R06.0", "S06.0", "T78.4", "R51", "J06.9"};
  private static final String[] EA_CHILD = {"J06.9", "R50.9", "A09.9", "J21.9", "R11", "S09.9", "J45.9", "B34.9"};
  private static final String[] ELECTIVE = {"H25.9", "K80.2", "M17.1", "M16.1", "N40", "K40.9", "C50.9", "D12.6",
      "Z51.1", "K57.3", "I83.9", "N81.1", "H26.9", "M23.2", "K21.0", "C18.9"};
  private static final String[] SPECIALTIES = {"100", "101", "110", "120", "130", "300", "301", "320", "330", "340",
      "400", "410", "502", "800"};
  private static final String[] DM01 = {"MRI", "CT", "US", "DEXA", "AUDIO", "ECHO", "EPS", "PERI", "SLEEP", "UDS",
      "COLON", "FLEXI", "CYSTO", "GASTRO", "BARIUM"};
  private static final double[] DM01_W = {14, 16, 35, 4, 6, 8, 0.5, 0.5, 1, 1.5, 3, 1.5, 2, 5, 0.5};

  private final Context cx;
  private final Hierarchy.Practice pr;
  private final int target;
  private final SplittableRandom rng;
  final Extracts.Sink[] sinks = new Extracts.Sink[Extracts.FILES.length];
  final Extracts.Injector inj;
  final int[] listCount = new int[40];
  int patientRows;

  // per-patient state (reused)
  private byte[] nhs;
  private int dob, ageR, end, deathDay, deregDay;
  private boolean male;
  private double dep, z, u;
  private final int[] dx = new int[Population.COND.length];
  private final int[] dxCode = new int[Population.COND.length];
  private final int[] def = new int[GEN_DEF.length];
  private int smoking; // 0 never, 1 ex, 2 current
  private double alcohol, bmiBase, sbpBase, hba1cBase, medNoise;
  private boolean bpControlled;
  private int canDxFromPathway;
  private int seqAe, seqSpell, seqOp, seqRtt, seqDiag, seqCan, seqIapt;
  private final byte[] provider;
  private final byte[] otherProvider;
  private final byte[] practiceCode;

  PracticeGenerator(Context cx, Hierarchy.Practice pr, int target, long seed, long injSeed) {
    this.cx = cx;
    this.pr = pr;
    this.target = target;
    this.rng = new SplittableRandom(seed);
    int est = Math.max(1, target);
    int[] init = {0, 4096, 0, est * 90, est * 1100, est * 60, est * 20, est * 160, est * 30, est * 20, est * 8, est * 8,
        est * 2};
    for (int i = 0; i < sinks.length; i++) sinks[i] = new Extracts.Sink(init[i]);
    long reserve = Context.NHS_BASE + (long) Context.PRACTICE_STRIDE * cx.hierarchy.practices().size()
        + (long) pr.index() * 40_000L;
    this.inj = new Extracts.Injector(cx.badRowFraction, injSeed, pr.index(), new Extracts.NhsPool(reserve));
    this.provider = ascii(pr.mid() ? "RK5" : "RX1");
    this.otherProvider = ascii(pr.mid() ? "RX1" : "RK5");
    this.practiceCode = ascii(pr.code());
  }

  private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

  void run() {
    long body = Context.NHS_BASE + (long) Context.PRACTICE_STRIDE * pr.index();
    int registered = 0;
    Context.Profile prof = cx.profile(pr);
    while (registered < target) {
      while (NhsNumbers.checkDigit(body) < 0) body++;
      nhs = ascii(NhsNumbers.format(body++));
      if (simulatePatient(prof)) registered++;
    }
    // list sizes: all 40 sex x band cells, counted from the registered patients generated above
    for (int s = 0; s < 2; s++) {
      for (int b = 0; b < 20; b++) {
        Extracts.Sink k = sinks[Extracts.LIST_SIZES];
        k.begin().b(cx.dates.day(cx.run)).comma().b(practiceCode).comma().s(s == 0 ? "MALE" : "FEMALE").comma()
            .s(BANDS[b]).comma().i(listCount[s * 20 + b]);
        k.end();
        inj.after(Extracts.LIST_SIZES, k);
      }
    }
  }

  private double ageAt(int day) { return (day - dob) / 365.25; }

  /** Simulates and writes one patient; returns true when registered and alive at the run date. */
  private boolean simulatePatient(Context.Profile prof) {
    final int R = cx.run;
    // demography
    ageR = prof.drawAge(rng.nextDouble());
    male = rng.nextDouble() >= prof.femaleShare(ageR);
    int hi = cx.ageStart(ageR), lo = cx.ageStart(ageR + 1); // dob in (lo, hi]
    dob = Math.min(hi - rng.nextInt(hi - lo), R - 1);
    String eth = prof.drawEthnicity(rng.nextDouble(), rng.nextDouble());
    Lsoas.Lsoa lsoa = cx.lsoas.pick(pr.index(), rng.nextDouble());
    dep = lsoa.dep();
    z = rng.nextGaussian();
    u = Math.exp(0.3 * rng.nextGaussian() - 0.045);
    // conditions at the run date
    int nCond = 0;
    for (int c = 0; c < dx.length; c++) {
      double p = cx.population.prevalence(c, ageR, male, dep, z);
      if (c == Population.DM && ("Asian".equals(eth) || "Black".equals(eth))) p = Math.min(0.95, p * 1.8);
      if (c == Population.HYP && "Black".equals(eth)) p = Math.min(0.95, p * 1.3);
      if (p > 0 && rng.nextDouble() < p) {
        int onset = Population.ONSET_MIN[c];
        double yrs;
        if (c == Population.LD) yrs = Math.max(0, ageR - Math.min(ageR, 3 + rng.nextInt(8)));
        else yrs = Math.min(rng.nextExponential() * Population.YEARS_SINCE_DX[c], Math.max(0, ageR - onset));
        int d = R - 1 - (int) (yrs * 365.25) - rng.nextInt(30);
        dx[c] = Math.max(d, dob + 1);
        dxCode[c] = pickCode(c);
        nCond++;
      } else dx[c] = NONE;
    }
    for (int k = 0; k < def.length; k++) {
      double lp = GEN_DEF_A[k] + 1.0 * (ageR - 80) / 10.0 + 0.45 * z + 0.22 * nCond + 0.2 * dep;
      if (ageR < 40) lp -= 1.5;
      if (rng.nextDouble() < Population.logistic(lp)) {
        int d = R - 1 - (int) (rng.nextExponential() * 3 * 365);
        def[k] = Math.max(d, dob + 365 * Math.min(ageR, 18));
      } else def[k] = NONE;
    }
    // lifestyle and physiology (person-level)
    smoking = 0;
    if (ageR >= 15) {
      double pc = Population.logistic(-2.05 + 0.85 * dep + (dx[Population.MH] != NONE ? 1.0 : 0)
          + (dx[Population.COPD] != NONE ? 1.0 : 0) - (ageR >= 65 ? 0.6 : 0) - (ageR < 20 ? 0.8 : 0));
      double r1 = rng.nextDouble();
      if (r1 < pc) smoking = 2;
      else if (rng.nextDouble() < Population.logistic(-1.3 + 0.03 * (ageR - 45) + (dx[Population.COPD] != NONE ? 2 : 0))) smoking = 1;
    }
    alcohol = Math.exp(1.4 + 1.0 * rng.nextGaussian() + (male ? 0.4 : 0)) - 1;
    bmiBase = dx[Population.OB] != NONE ? 30.5 + rng.nextExponential() * 4.5
        : Math.min(39.9, 25.6 + 0.8 * dep + 4.0 * rng.nextGaussian());
    if (ageR < 18) bmiBase = 15 + ageR * 0.35 + 2 * rng.nextGaussian();
    bmiBase = Math.max(13, bmiBase);
    bpControlled = rng.nextDouble() < 0.66 - 0.04 * dep;
    sbpBase = 118 + 0.35 * Math.max(0, ageR - 30) + 7 * rng.nextGaussian();
    hba1cBase = 55 + 3 * dep + 11 * rng.nextGaussian();
    medNoise = rng.nextGaussian();
    canDxFromPathway = NONE;

    // life course over the 3-year window and secondary care, year by year
    deathDay = NONE;
    deregDay = NONE;
    end = R;
    int prevEa = 0, prevAe = 0;
    for (int y = 0; y < 3; y++) {
      int s = cx.period[y], e = cx.period[y + 1];
      int segStart = Math.max(s, dob);
      if (segStart >= e) continue;
      double age = ageAt(segStart);
      int nC = 0, nD = 0;
      for (int c = 0; c < dx.length; c++) if (dx[c] <= segStart) nC++;
      for (int k = 0; k < def.length; k++) if (def[k] <= segStart) nD++;
      boolean hf = dx[Population.HF] <= segStart, copd = dx[Population.COPD] <= segStart,
          dem = dx[Population.DEM] <= segStart, pall = dx[Population.PALL] <= segStart + 365;
      // death and deregistration in this year
      double q = cx.deathHazard(age) * Math.exp(0.15 * nC + 0.1 * nD + 0.3 * z + 0.15 * dep) / 2.6
          * (pall ? 6 : 1) * (dem ? 1.8 : 1) * (hf ? 1.8 : 1);
      int segEnd = e;
      if (rng.nextDouble() < Math.min(0.7, q)) {
        deathDay = segStart + rng.nextInt(e - segStart);
        segEnd = deathDay;
      } else if (rng.nextDouble() < prof.deregRate(age)) {
        deregDay = segStart + rng.nextInt(e - segStart);
        segEnd = deregDay;
      }
      double risk = 0.3 * dep + 0.15 * z + 0.6 * Math.min(prevEa, 2) + 0.15 * Math.min(prevAe, 4);
      // A&E attendances (and emergency admissions through A&E)
      double aeRate = 0.34 / 1.27 * aeAge(age) * Math.exp(0.15 * nC + 0.11 * nD + risk) * u;
      int ea = 0, ae = 0;
      double admitLp = -1.45 + 0.008 * (age - 50) + 0.15 * nC + 0.08 * nD + (hf ? 0.4 : 0) + (copd ? 0.4 : 0)
          + 0.2 * z + 0.1 * dep + 0.15 * Math.min(prevEa, 2) + (age < 5 ? 0.9 : 0);
      double t = segStart + rng.nextExponential() * 365.25 / aeRate;
      while (t < segEnd) {
        ae++;
        if (attendance((int) t, admitLp, hf, copd)) ea++;
        t += rng.nextExponential() * 365.25 / aeRate;
      }
      // direct (GP-referred) emergency admissions
      double eaRate = 0.016 / 1.4 * Math.exp(0.01 * (age - 50) + 0.2 * nC + 0.12 * nD + risk) * u;
      t = segStart + rng.nextExponential() * 365.25 / eaRate;
      while (t < segEnd) {
        ea++;
        emergencySpell((int) t, rng.nextDouble() < 0.8 ? "22" : "23", age, hf, copd, NONE);
        t += rng.nextExponential() * 365.25 / eaRate;
      }
      if (deathDay != NONE && rng.nextDouble() < 0.45) {
        int adm = Math.max(segStart, deathDay - (int) (rng.nextExponential() * 9));
        long arrival = adm * 1440L + 480 + rng.nextInt(720);
        writeAe(arrival, 1, arrival + 200, arrival + 320, "ADMITTED");
        emergencySpell(adm, "21", age, hf, copd, deathDay);
        ea++;
      }
      electiveAndOutpatients(segStart, segEnd, age, nC);
      waitingLists(segStart, segEnd, age, nC);
      cancer(segStart, segEnd, age);
      iapt(segStart, segEnd, age);
      maternity(segStart, segEnd, age);
      prevEa = ea;
      prevAe = ae;
      if (deathDay != NONE || deregDay != NONE) { end = segEnd; break; }
    }
    boolean registeredNow = deathDay == NONE && deregDay == NONE;

    // registration
    int regStart;
    double yrsReg = rng.nextExponential() * prof.meanYearsRegistered(ageR);
    if (ageR == 0 || yrsReg >= ageR) regStart = Math.min(dob + 14 + rng.nextInt(28), R - 1);
    else regStart = R - 1 - (int) (yrsReg * 365.25);
    if (regStart >= end) regStart = end - 1 - rng.nextInt(365);
    regStart = Math.max(regStart, dob);
    int regEnd = deathDay != NONE ? deathDay : deregDay;

    Extracts.Sink k = sinks[Extracts.PATIENTS];
    ByteBuf b = k.begin();
    b.b(nhs).comma().b(cx.dates.day(dob)).comma().c(male ? 'M' : 'F').comma().s(eth).comma().b(practiceCode).comma()
        .b(lsoa.codeBytes()).comma().b(cx.dates.day(regStart)).comma();
    if (regEnd != NONE) b.b(cx.dates.day(regEnd));
    b.comma();
    if (deathDay != NONE) b.b(cx.dates.day(deathDay));
    k.end();
    patientRows++;
    inj.after(Extracts.PATIENTS, k);
    if (rng.nextDouble() < 0.035) {
      Extracts.Sink o = sinks[Extracts.OPT_OUT];
      o.begin().b(nhs);
      o.end();
      inj.after(Extracts.OPT_OUT, o);
    }
    gpEvents();
    if (registeredNow) {
      int band = Math.min(19, ageR / 5);
      listCount[(male ? 0 : 20) + band]++;
    }
    return registeredNow;
  }

  private int pickCode(int c) {
    int n = cx.condCodes[c].length;
    if (c == Population.DM) {
      double r = rng.nextDouble();
      return r < 0.1 ? 0 : r < 0.92 ? 1 : 2; // generic, type 2, type 1 (conditions.csv order)
    }
    if (c == Population.HYP) return rng.nextDouble() < 0.3 ? 0 : 1;
    return rng.nextInt(n);
  }

  private static double aeAge(double a) {
    if (a < 5) return 1.4;
    if (a < 15) return 0.75;
    if (a < 25) return 1.25;
    if (a < 45) return 0.9;
    if (a < 65) return 0.8;
    if (a < 75) return 0.95;
    if (a < 85) return 1.0;
    return 1.25;
  }

  private byte[] prov() { return rng.nextDouble() < 0.9 ? provider : otherProvider; }

  /** One A&E attendance; returns true when it led to an emergency admission. */
  private boolean attendance(int day, double admitLp, boolean hf, boolean copd) {
    int type = rng.nextDouble() < 0.78 ? 1 : 3;
    int minuteOfDay = arrivalMinute();
    long arrival = day * 1440L + minuteOfDay;
    boolean admitted = type == 1 && rng.nextDouble() < Population.logistic(admitLp);
    if (admitted) {
      long dta = arrival + (long) (Math.exp(Math.log(190) + 0.45 * rng.nextGaussian()));
      long wait = rng.nextDouble() < 0.002 ? 720 + rng.nextInt(300) : (long) (rng.nextExponential() * 60);
      long dep = dta + wait;
      writeAe(arrival, 1, dta, dep, "ADMITTED");
      int admDay = (int) Math.floorDiv(dep, 1440L);
      if (admDay < cx.run) emergencySpell(admDay, "21", ageAt(day), hf, copd, NONE);
      return admDay < cx.run;
    }
    double median = type == 1 ? 150 : 85;
    long dur = Math.max(10, (long) Math.exp(Math.log(median) + 0.52 * rng.nextGaussian()));
    double r = rng.nextDouble();
    String disposal = r < 0.84 ? "DISCHARGED" : r < 0.93 ? "REFERRED" : r < 0.96 ? "TRANSFERRED" : "LEFT";
    writeAe(arrival, type, -1, arrival + dur, disposal);
    return false;
  }

  private int arrivalMinute() {
    // daytime-heavy arrival profile: triangular around 14:00 with night-time floor
    double r = rng.nextDouble();
    if (r < 0.15) return rng.nextInt(8 * 60); // 00:00-08:00
    double h = 8 + 15.99 * (rng.nextDouble() + rng.nextDouble()) / 2;
    return Math.min(1439, (int) (h * 60));
  }

  private void writeAe(long arrival, int type, long dta, long departure, String disposal) {
    if (Math.floorDiv(arrival, 1440L) >= cx.run) return;
    Extracts.Sink k = sinks[Extracts.AE];
    ByteBuf b = k.begin();
    b.s("AE").pad(pr.index() + 1, 3).pad(++seqAe, 7).comma().b(nhs).comma().b(prov()).comma().i(type).comma();
    cx.dates.timestamp(b, arrival);
    b.comma();
    if (dta >= 0) cx.dates.timestamp(b, dta);
    b.comma();
    if (Math.floorDiv(departure, 1440L) < cx.run) cx.dates.timestamp(b, departure);
    b.comma().s(disposal);
    k.end();
    inj.after(Extracts.AE, k);
  }

  private void emergencySpell(int adm, String method, double age, boolean hf, boolean copd, int forcedDischarge) {
    if (adm >= cx.run) return;
    String diag;
    double r = rng.nextDouble();
    if (age < 16) diag = EA_CHILD[rng.nextInt(EA_CHILD.length)];
    else if (r < 0.55 && (copd || hf || dx[Population.DM] <= adm || dx[Population.AST] <= adm)) {
      int pick = rng.nextInt(4);
      if (pick == 0 && copd) diag = "J44.1";
      else if (pick == 1 && hf) diag = "I50.0";
      else if (pick == 2 && dx[Population.DM] <= adm) diag = "E11.6";
      else if (dx[Population.AST] <= adm) diag = "J45.9";
      else if (copd) diag = "J44.0";
      else if (hf) diag = "I50.9";
      else diag = "E11.9";
    } else if (r < 0.65 && dx[Population.AF] <= adm) diag = "I48.9";
    else diag = EA_GENERAL[rng.nextInt(EA_GENERAL.length)];
    int los = rng.nextDouble() < 0.27 ? 0 : 1 + (int) (rng.nextExponential() * (2.5 + Math.max(0, age - 50) * 0.1));
    int dis = forcedDischarge != NONE ? forcedDischarge : adm + los;
    writeSpell(adm, dis, method, diag, forcedDischarge != NONE ? "4" : (rng.nextDouble() < 0.97 ? "1" : "2"));
  }

  private void writeSpell(int adm, int dis, String method, String diag, String dischargeMethod) {
    if (adm >= cx.run) return;
    Extracts.Sink k = sinks[Extracts.SPELLS];
    ByteBuf b = k.begin();
    b.s("SP").pad(pr.index() + 1, 3).pad(++seqSpell, 7).comma().b(nhs).comma().b(prov()).comma()
        .b(cx.dates.day(adm)).comma();
    boolean discharged = dis < cx.run;
    if (discharged) b.b(cx.dates.day(dis));
    b.comma().s(method).comma().s(diag).comma();
    if (discharged) b.s(dischargeMethod);
    k.end();
    inj.after(Extracts.SPELLS, k);
  }

  private void electiveAndOutpatients(int s, int e, double age, int nC) {
    double ageF = age < 18 ? 0.3 : age < 50 ? 0.6 : age < 65 ? 1.2 : age < 80 ? 2.0 : 1.6;
    double elRate = 0.12 / 0.9 * ageF * Math.exp(0.12 * nC + 0.1 * z);
    double t = s + rng.nextExponential() * 365.25 / elRate;
    while (t < e) {
      int adm = (int) t;
      int los = rng.nextDouble() < 0.75 ? 0 : 1 + (int) (rng.nextExponential() * 3);
      double r = rng.nextDouble();
      writeSpell(adm, adm + los, r < 0.7 ? "11" : r < 0.9 ? "12" : "13", ELECTIVE[rng.nextInt(ELECTIVE.length)],
          "1");
      t += rng.nextExponential() * 365.25 / elRate;
    }
    double opF = age < 18 ? 0.5 : age < 45 ? 0.7 : age < 65 ? 1.1 : age < 80 ? 1.7 : 1.6;
    double epRate = 1.1 / 1.05 * opF * Math.exp(0.12 * nC + 0.1 * z);
    t = s + rng.nextExponential() * 365.25 / epRate;
    double dnaP = 0.065 * Math.exp(0.45 * dep) * (age >= 18 && age < 35 ? 1.5 : 1) / 1.1;
    while (t < e) {
      String spec = specialty(age);
      int day = (int) t;
      int followUps = (int) Math.min(8, rng.nextExponential() * (1.2 + 0.25 * nC));
      byte[] p = prov();
      for (int i = 0; i <= followUps && day < e; i++) {
        double r = rng.nextDouble();
        String outcome = r < dnaP ? "DNA" : r < dnaP + 0.05 ? "CANCELLED" : "ATTENDED";
        Extracts.Sink k = sinks[Extracts.OPA];
        ByteBuf b = k.begin();
        b.s("OP").pad(pr.index() + 1, 3).pad(++seqOp, 8).comma().b(nhs).comma().b(p).comma().b(cx.dates.day(day))
            .comma().s(spec).comma().c(i == 0 ? '1' : '2').comma().s(outcome);
        k.end();
        inj.after(Extracts.OPA, k);
        day += 28 + rng.nextInt(100);
      }
      t += rng.nextExponential() * 365.25 / epRate;
    }
  }

  private String specialty(double age) {
    if (age < 16) return rng.nextDouble() < 0.6 ? "420" : SPECIALTIES[rng.nextInt(SPECIALTIES.length)];
    double r = rng.nextDouble();
    if (r < 0.35) {
      int now = cx.run;
      if (dx[Population.DM] < now && rng.nextBoolean()) return "302";
      if ((dx[Population.CHD] < now || dx[Population.AF] < now || dx[Population.HF] < now) && rng.nextBoolean()) return "320";
      if (dx[Population.COPD] < now && rng.nextBoolean()) return "340";
      if (dx[Population.CKD] < now && rng.nextBoolean()) return "361";
      if (age >= 80 && rng.nextBoolean()) return "430";
    }
    String sp = SPECIALTIES[rng.nextInt(SPECIALTIES.length)];
    if (male && sp.equals("502")) sp = "101";
    return sp;
  }

  private void waitingLists(int s, int e, double age, int nC) {
    double ageF = age < 18 ? 0.4 : age < 45 ? 0.75 : age < 65 ? 1.1 : age < 80 ? 1.6 : 1.4;
    // RTT incomplete pathways: row at every month-end snapshot the clock is running
    double rate = 0.30 * ageF * Math.exp(0.08 * nC);
    double t = s + rng.nextExponential() * 365.25 / rate;
    while (t < e) {
      int start = (int) t;
      double w = Math.exp(Math.log(50) + 0.8 * rng.nextGaussian());
      if (w > 364 && rng.nextDouble() < 0.95) w = 280 + rng.nextInt(80);
      int cut = deathDay != NONE ? deathDay : deregDay != NONE ? deregDay : NONE;
      int stop = Math.min(start + (int) w, cut);
      String spec = specialty(age);
      byte[] p = prov();
      int id = ++seqRtt;
      for (int snap : cx.snapshots) {
        if (snap >= start && snap < stop) {
          Extracts.Sink k = sinks[Extracts.RTT];
          ByteBuf b = k.begin();
          b.b(cx.dates.day(snap)).comma().s("RT").pad(pr.index() + 1, 3).pad(id, 7).comma().b(nhs).comma().b(p)
              .comma().s(spec).comma().b(cx.dates.day(start));
          k.end();
          inj.after(Extracts.RTT, k);
        }
      }
      t += rng.nextExponential() * 365.25 / rate;
    }
    // DM01 diagnostic waiting list
    double drate = 0.40 * ageF * Math.exp(0.08 * nC);
    t = s + rng.nextExponential() * 365.25 / drate;
    while (t < e) {
      int start = (int) t;
      int w = rng.nextDouble() < 0.011 ? 43 + rng.nextInt(35) : 2 + rng.nextInt(38);
      int stop = start + w;
      String test = pickTest();
      byte[] p = prov();
      int id = ++seqDiag;
      for (int snap : cx.snapshots) {
        if (snap >= start && snap < stop) {
          Extracts.Sink k = sinks[Extracts.DIAG];
          ByteBuf b = k.begin();
          b.b(cx.dates.day(snap)).comma().s("DX").pad(pr.index() + 1, 3).pad(id, 7).comma().b(nhs).comma().b(p)
              .comma().s(test).comma().b(cx.dates.day(start));
          k.end();
          inj.after(Extracts.DIAG, k);
        }
      }
      t += rng.nextExponential() * 365.25 / drate;
    }
  }

  private String pickTest() {
    double r = rng.nextDouble() * 100;
    double acc = 0;
    for (int i = 0; i < DM01.length; i++) {
      acc += DM01_W[i];
      if (r < acc) return DM01[i];
    }
    return "US";
  }

  private void cancer(int s, int e, double age) {
    double ageF = age < 30 ? 0.2 : age < 50 ? 0.7 : age < 70 ? 1.6 : 2.4;
    double rate = 0.03 / 0.78 * ageF;
    double breast = (!male && age >= 20) ? 0.004 : 0;
    double screen = (age >= 50 && age < 75) ? 0.004 : 0;
    double total = rate + breast + screen;
    double t = s + rng.nextExponential() * 365.25 / total;
    while (t < e) {
      int ref = (int) t;
      double r = rng.nextDouble() * total;
      String type = r < rate ? "URGENT_SUSPECTED" : r < rate + breast ? "BREAST_SYMPTOMATIC" : "SCREENING";
      int seen = ref + (rng.nextDouble() < 0.935 ? 2 + rng.nextInt(13) : 15 + rng.nextInt(20));
      double pDx = (age < 50 ? 0.03 : age < 70 ? 0.08 : 0.12) * (type.equals("SCREENING") ? 1.5 : 1);
      boolean diagnosed = rng.nextDouble() < pDx;
      int dtt = NONE, treat = NONE;
      String modality = null;
      if (diagnosed) {
        dtt = seen + 3 + (int) Math.exp(Math.log(19) + 0.55 * rng.nextGaussian());
        treat = dtt + (rng.nextDouble() < 0.96 ? rng.nextInt(31) : 32 + rng.nextInt(30));
        double m = rng.nextDouble();
        modality = m < 0.45 ? "SURGERY" : m < 0.75 ? "ANTI_CANCER_DRUG" : m < 0.95 ? "RADIOTHERAPY" : "OTHER";
        if (dtt < end && canDxFromPathway == NONE && dx[Population.CAN] == NONE) canDxFromPathway = dtt;
      }
      Extracts.Sink k = sinks[Extracts.CANCER];
      ByteBuf b = k.begin();
      b.s("CW").pad(pr.index() + 1, 3).pad(++seqCan, 7).comma().b(nhs).comma().b(prov()).comma().s(type).comma()
          .b(cx.dates.day(ref)).comma();
      boolean seenYet = seen < cx.run;
      if (seenYet) b.b(cx.dates.day(seen));
      b.comma().c(diagnosed && dtt < cx.run ? 'Y' : 'N').comma();
      if (diagnosed && dtt < cx.run) b.b(cx.dates.day(dtt));
      b.comma();
      if (diagnosed && treat < cx.run) b.b(cx.dates.day(treat));
      b.comma();
      if (diagnosed && treat < cx.run) b.s(modality);
      k.end();
      inj.after(Extracts.CANCER, k);
      t += rng.nextExponential() * 365.25 / total;
    }
  }

  private void iapt(int s, int e, double age) {
    if (age < 18) return;
    boolean depressed = dx[Population.DEP] <= e;
    double rate = 0.035 / 1.45 * (depressed ? 3.0 : 1) * (male ? 0.75 : 1.25) * (age < 65 ? 1 : 0.35)
        * Math.exp(0.2 * dep);
    double t = s + rng.nextExponential() * 365.25 / rate;
    while (t < e) {
      int ref = (int) t;
      boolean entered = rng.nextDouble() < 0.8;
      int first = entered ? ref + 5 + (int) (rng.nextExponential() * 18) : NONE;
      int sessions = entered ? 1 + (int) (rng.nextExponential() * 6) : 0;
      int endDay = entered ? first + sessions * 7 + rng.nextInt(14) : ref + 20 + rng.nextInt(60);
      boolean casenessStart = rng.nextDouble() < 0.9;
      boolean recovered = sessions >= 2 && rng.nextDouble() < 0.52;
      Extracts.Sink k = sinks[Extracts.IAPT];
      ByteBuf b = k.begin();
      b.s("IA").pad(pr.index() + 1, 3).pad(++seqIapt, 7).comma().b(nhs).comma().b(cx.dates.day(ref)).comma();
      if (entered && first < cx.run) b.b(cx.dates.day(first));
      b.comma();
      boolean ended = endDay < cx.run;
      if (ended) b.b(cx.dates.day(endDay));
      b.comma();
      if (entered && first < cx.run) b.i(ended ? sessions : Math.max(1, Math.min(sessions, (cx.run - first) / 7)));
      else if (ended) b.i(0);
      b.comma();
      if (entered && first < cx.run) b.c(casenessStart ? 'Y' : 'N');
      b.comma();
      if (ended && entered && sessions >= 2) b.c(casenessStart && recovered ? 'N' : casenessStart ? 'Y' : 'N');
      k.end();
      inj.after(Extracts.IAPT, k);
      t += rng.nextExponential() * 365.25 / rate;
    }
  }

  private int pregnancyDay = NONE;

  private void maternity(int s, int e, double age) {
    if (male || age < 16 || age > 45) return;
    double rate = age < 20 ? 0.02 : age < 25 ? 0.05 : age < 35 ? 0.09 : age < 40 ? 0.05 : 0.012;
    double t = s + rng.nextExponential() * 365.25 / rate;
    while (t < e + 280) {
      int delivery = (int) t;
      int booked = delivery - 240 - rng.nextInt(20);
      if (booked < e && booked >= s) pregnancyDay = booked;
      if (delivery < e && delivery < cx.run) {
        int los = rng.nextInt(3);
        writeSpell(delivery, delivery + los, rng.nextDouble() < 0.9 ? "31" : "32", "O80", "1");
      }
      t += 300 + rng.nextExponential() * 365.25 / rate;
    }
  }

  // ---------------------------------------------------------------- GP events

  private void ev(int day, byte[] type, byte[] code) {
    Extracts.Sink k = sinks[Extracts.EVENTS];
    k.begin().b(nhs).comma().b(cx.dates.day(day)).comma().b(type).comma().b(code).comma().comma();
    k.end();
    inj.after(Extracts.EVENTS, k);
  }

  private void evInt(int day, byte[] type, byte[] code, long v, byte[] unit) {
    Extracts.Sink k = sinks[Extracts.EVENTS];
    k.begin().b(nhs).comma().b(cx.dates.day(day)).comma().b(type).comma().b(code).comma().i(v).comma().b(unit);
    k.end();
    inj.after(Extracts.EVENTS, k);
  }

  private void evD1(int day, byte[] type, byte[] code, double v, byte[] unit) {
    Extracts.Sink k = sinks[Extracts.EVENTS];
    k.begin().b(nhs).comma().b(cx.dates.day(day)).comma().b(type).comma().b(code).comma().d1(v).comma().b(unit);
    k.end();
    inj.after(Extracts.EVENTS, k);
  }

  private void gpEvents() {
    final int R = cx.run;
    // diagnoses (may pre-date the 3-year window) and frailty deficits
    for (int c = 0; c < dx.length; c++) {
      if (dx[c] < end) ev(dx[c], DIAGNOSIS, cx.condCodes[c][dxCode[c]]);
    }
    if (canDxFromPathway != NONE && canDxFromPathway < end) ev(canDxFromPathway, DIAGNOSIS, cx.condCodes[Population.CAN][0]);
    for (int k = 0; k < def.length; k++) {
      if (def[k] < end) ev(def[k], DIAGNOSIS, cx.defCodes[k]);
    }
    if (pregnancyDay != NONE && pregnancyDay < end) ev(pregnancyDay, DIAGNOSIS, cx.pregCode);
    pregnancyDay = NONE;
    int from = Math.max(cx.window, dob);
    if (from >= end) return;
    // contacts: a Poisson process of consultations, each recording some observations
    int nCondR = 0;
    for (int c = 0; c < dx.length; c++) if (dx[c] < end) nCondR++;
    double rate = 3.0 + 1.2 * nCondR + 0.04 * Math.max(0, ageR - 40) + (ageR < 5 ? 2 : 0);
    boolean hyp = dx[Population.HYP] < end, dm = dx[Population.DM] < end;
    double t = from + rng.nextExponential() * 365.25 / rate;
    while (t < end) {
      int day = (int) t;
      double age = ageAt(day);
      if (age >= 18) {
        double pBp = hyp ? 0.55 : age >= 40 ? 0.3 : 0.12;
        if (rng.nextDouble() < pBp) {
          int sbp, dbp;
          if (hyp && dx[Population.HYP] <= day) {
            sbp = bpControlled ? (int) Math.min(139, 127 + 7 * rng.nextGaussian()) : (int) (146 + Math.abs(11 * rng.nextGaussian()));
            dbp = bpControlled ? (int) Math.min(89, 76 + 6 * rng.nextGaussian()) : (int) (86 + 8 * rng.nextGaussian());
          } else {
            sbp = (int) (sbpBase + 8 * rng.nextGaussian());
            dbp = (int) (0.45 * sbp + 18 + 6 * rng.nextGaussian());
          }
          evInt(day, OBSERVATION, cx.obsSbp, Math.max(70, sbp), U_MMHG);
          evInt(day, OBSERVATION, cx.obsDbp, Math.max(40, Math.min(dbp, sbp - 15)), U_MMHG);
        }
        if (rng.nextDouble() < (dm || dx[Population.OB] < end ? 0.3 : 0.14)) {
          evD1(day, OBSERVATION, cx.obsBmi, Math.max(14, bmiBase + 0.7 * rng.nextGaussian()), U_KG);
        }
        if (rng.nextDouble() < 0.06) {
          long units = Math.max(0, Math.round(alcohol + rng.nextGaussian()));
          evInt(day, OBSERVATION, cx.obsAlcUnits, units, U_UNITS);
          if (units > 14) evInt(day, OBSERVATION, cx.obsAlcHigh, units, U_UNITS);
        }
        double pA1c = dm && dx[Population.DM] <= day ? 0.35 : age >= 40 ? 0.03 : 0;
        if (pA1c > 0 && rng.nextDouble() < pA1c) {
          double v = dm && dx[Population.DM] <= day ? hba1cBase + 4 * rng.nextGaussian() : 36 + 3 * rng.nextGaussian();
          evInt(day, OBSERVATION, cx.obsHba1c, Math.max(20, Math.round(v)), U_MMOL);
        }
      }
      if (age >= 15 && rng.nextDouble() < 0.12) {
        ev(day, OBSERVATION, smoking == 2 ? cx.obsSmokCurrent : smoking == 1 ? cx.obsSmokEx : cx.obsSmokNever);
      }
      int med = medCount(day, age);
      if (med > 0 && rng.nextDouble() < 0.45) evInt(day, MEDICATION, cx.obsMedcount, med, U_MED);
      t += rng.nextExponential() * 365.25 / rate;
    }
    // influenza vaccination by season (Sep 1 - Mar 31)
    for (int si = 0; si < cx.seasonStart.length; si++) {
      int s0 = cx.seasonStart[si];
      double age = ageAt(s0);
      if (age < 0.5) continue;
      boolean atRisk = false;
      for (int c : Context.FLU_AT_RISK) if (dx[c] <= s0) { atRisk = true; break; }
      double p = age >= 65 ? 0.80 - 0.07 * dep : atRisk ? 0.50 - 0.06 * dep : (age >= 2 && age < 11) ? 0.5 : 0.03;
      if (rng.nextDouble() < p) {
        int day = s0 + (int) Math.min(211, rng.nextExponential() * 32);
        if (day >= from && day < end) ev(day, VACCINATION, cx.obsFlu);
      }
    }
  }

  private int medCount(int day, double age) {
    int nC = 0;
    for (int c = 0; c < dx.length; c++) if (dx[c] <= day) nC++;
    int nD = 0;
    for (int k = 0; k < def.length; k++) if (def[k] <= day) nD++;
    double v = -0.6 + 1.55 * nC + 0.35 * nD + 0.03 * Math.max(0, age - 50) + 1.0 * medNoise
        + (!male && age >= 15 && age < 45 ? 0.6 : 0);
    return (int) Math.max(0, Math.round(v));
  }
}
