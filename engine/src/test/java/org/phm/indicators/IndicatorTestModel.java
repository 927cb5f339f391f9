package org.phm.indicators;

import static org.phm.testing.LinkedModelSchemas.AE;
import static org.phm.testing.LinkedModelSchemas.CANCER;
import static org.phm.testing.LinkedModelSchemas.DIAGNOSTICS;
import static org.phm.testing.LinkedModelSchemas.EVENTS;
import static org.phm.testing.LinkedModelSchemas.IAPT;
import static org.phm.testing.LinkedModelSchemas.IMD;
import static org.phm.testing.LinkedModelSchemas.LIST_SIZES;
import static org.phm.testing.LinkedModelSchemas.OUTPATIENTS;
import static org.phm.testing.LinkedModelSchemas.PATIENTS;
import static org.phm.testing.LinkedModelSchemas.PRACTICES;
import static org.phm.testing.LinkedModelSchemas.RTT;
import static org.phm.testing.LinkedModelSchemas.SPELLS;
import static org.phm.testing.LinkedModelSchemas.empty;
import static org.phm.testing.TestRows.date;
import static org.phm.testing.TestRows.timestamp;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.phm.linkage.LinkedModel;

/**
 * A small generated linked model (1 ICS, 2 ICPs, 4 PCNs, 8 practices, N patients and their activity) kept
 * both as plain Java records (for independent recomputation in tests) and as Spark Datasets with exactly the
 * linked-model columns.
 */
final class IndicatorTestModel {
  static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 25);
  static final String[] ETHNICITY = {"White", "White", "White", "Asian", "Black", "Mixed", "Other", "Not stated", "Unknown"};

  record Practice(String code, String name, String pcn, String icp) {}

  record Patient(String id, LocalDate birth, String sex, String ethnicity, Practice practice, int imdDecile,
      LocalDate regStart, LocalDate regEnd, LocalDate death) {
    int imdQuintile() {
      return (imdDecile + 1) / 2;
    }

    int ageAt(LocalDate d) {
      return Period.between(birth, d).getYears();
    }

    boolean registeredAt(LocalDate d) {
      return !regStart.isAfter(d) && (regEnd == null || regEnd.isAfter(d)) && (death == null || death.isAfter(d));
    }
  }

  record Event(String patient, LocalDate date, String type, String code, Double value) {}

  record Ae(String id, String patient, String provider, int type, LocalDateTime arrival, LocalDateTime dta,
      LocalDateTime departure, String disposal, Integer minutes) {}

  record Spell(String id, String patient, String provider, LocalDate admission, LocalDate discharge, String method,
      String diagnosis, Integer los) {}

  record Outpatient(String id, String patient, String provider, LocalDate date, String outcome) {}

  record Waiter(LocalDate snapshot, String id, String patient, String provider, LocalDate start, int weeks) {}

  record Cancer(String id, String patient, String provider, String type, LocalDate referral, LocalDate seen,
      String diagnosed, LocalDate dtt, LocalDate treated) {}

  record Iapt(String id, String patient, LocalDate referral, LocalDate firstTreatment, LocalDate end, Integer sessions,
      String casenessStart, String casenessEnd) {}

  final List<Practice> practices = new ArrayList<>();
  final List<Patient> patients = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  final List<Ae> ae = new ArrayList<>();
  final List<Spell> spells = new ArrayList<>();
  final List<Outpatient> outpatients = new ArrayList<>();
  final List<Waiter> rtt = new ArrayList<>();
  final List<Waiter> diagnostics = new ArrayList<>();
  final List<Cancer> cancer = new ArrayList<>();
  final List<Iapt> iapt = new ArrayList<>();

  IndicatorTestModel(int nPatients, long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 8; i++) {
      practices.add(new Practice(String.format("C8%04d", i + 1), "Practice " + (i + 1), String.format("U%05d", i / 2 + 1),
          i < 4 ? "ICP_A" : "ICP_B"));
    }
    LocalDate today = RUN_DATE;
    for (int i = 0; i < nPatients; i++) {
      int age = r.nextInt(10) < 2 ? 65 + r.nextInt(35) : r.nextInt(90);
      LocalDate birth = today.minusYears(age).minusDays(r.nextInt(365));
      if (birth.getMonthValue() == 2 && birth.getDayOfMonth() == 29) {
        birth = birth.plusDays(1);
      }
      LocalDate regStart = r.nextInt(10) == 0 ? today.minusDays(r.nextInt(400)) : birth.plusDays(r.nextInt(3650) + 1);
      if (regStart.isAfter(today)) {
        regStart = today.minusDays(30);
      }
      if (regStart.isBefore(birth)) {
        regStart = birth;
      }
      LocalDate regEnd = r.nextInt(25) == 0 ? today.minusDays(r.nextInt(500)) : null;
      if (regEnd != null && !regEnd.isAfter(regStart)) {
        regEnd = null;
      }
      LocalDate death = r.nextInt(100) < (age >= 70 ? 10 : 5) ? today.minusDays(1 + r.nextInt(500)) : null;
      if (death != null && (death.isBefore(regStart) || (regEnd != null && death.isAfter(regEnd)))) {
        death = null;
      }
      Practice pr = practices.get(r.nextInt(practices.size()));
      Patient p = new Patient(String.format("%064x", 1_000_000L + i), birth, r.nextBoolean() ? "M" : "F",
          ETHNICITY[r.nextInt(ETHNICITY.length)], pr, 1 + r.nextInt(10), regStart, regEnd, death);
      patients.add(p);
      events(r, p);
    }
    activity(r);
  }

  private static LocalDate randomDate(Random r, LocalDate from, LocalDate to) {
    long days = to.toEpochDay() - from.toEpochDay();
    return from.plusDays(days <= 0 ? 0 : (long) (r.nextDouble() * (days + 1)));
  }

  private void events(Random r, Patient p) {
    LocalDate today = RUN_DATE;
    int age = p.ageAt(today);
    LocalDate from = p.regStart().isAfter(p.birth()) ? p.regStart() : p.birth();
    double deprivation = (11 - p.imdDecile()) / 10.0;
    if (r.nextDouble() < Math.min(0.7, age / 120.0 + 0.1 * deprivation)) {
      events.add(new Event(p.id(), randomDate(r, from.minusYears(5), today.minusDays(1)), "DIAGNOSIS",
          r.nextBoolean() ? "38341003" : "59621000", null));
    }
    if (r.nextDouble() < age / 500.0 + 0.04 * deprivation) {
      events.add(new Event(p.id(), randomDate(r, from.minusYears(3), today.minusDays(1)), "DIAGNOSIS", "44054006", null));
    }
    if (age >= 65 && r.nextDouble() < (age - 60) / 150.0) {
      events.add(new Event(p.id(), randomDate(r, today.minusYears(4), today.minusDays(1)), "DIAGNOSIS", "52448006", null));
    }
    for (String code : List.of("13645005", "195967001", "53741008", "49436004", "35489007", "84114007", "709044004")) {
      if (r.nextDouble() < 0.05 + age / 800.0) {
        events.add(new Event(p.id(), randomDate(r, from.minusYears(5), today.minusDays(1)), "DIAGNOSIS", code, null));
      }
    }
    String[] deficits = {"300948004", "271737000", "3723001", "404640003", "267036007", "161898004", "15188001",
        "386807006", "282145008", "64859006", "105421008", "165232002", "397540003", "89362005"};
    if (age >= 60) {
      int n = r.nextInt(Math.max(1, (age - 55) / 4));
      for (int i = 0; i < n; i++) {
        events.add(new Event(p.id(), randomDate(r, today.minusYears(6), today.minusDays(1)), "DIAGNOSIS",
            deficits[r.nextInt(deficits.length)], null));
      }
      events.add(new Event(p.id(), randomDate(r, today.minusMonths(14), today.minusDays(1)), "MEDICATION",
          "PHM-MEDCOUNT", (double) r.nextInt(10)));
    }
    if (age >= 18) {
      int readings = r.nextInt(4);
      for (int i = 0; i < readings; i++) {
        LocalDate d = randomDate(r, today.minusMonths(26), today.minusDays(1));
        events.add(new Event(p.id(), d, "OBSERVATION", "271649006", 105.0 + r.nextInt(70)));
        events.add(new Event(p.id(), d, "OBSERVATION", "271650006", 60.0 + r.nextInt(40)));
      }
      if (r.nextDouble() < 0.6) {
        events.add(new Event(p.id(), randomDate(r, today.minusMonths(20), today.minusDays(1)), "OBSERVATION",
            "60621009", 18.0 + r.nextInt(24)));
      }
      if (r.nextDouble() < 0.8) {
        String[] smoke = {"77176002", "8517006", "266919005", "266919005"};
        events.add(new Event(p.id(), randomDate(r, today.minusYears(8), today.minusDays(1)), "OBSERVATION",
            smoke[r.nextInt(smoke.length)], null));
      }
      if (r.nextDouble() < 0.4) {
        if (r.nextInt(5) == 0) {
          events.add(new Event(p.id(), randomDate(r, today.minusMonths(30), today.minusDays(1)), "OBSERVATION", "86933000", null));
        } else {
          events.add(new Event(p.id(), randomDate(r, today.minusMonths(30), today.minusDays(1)), "OBSERVATION",
              "1082641000000106", (double) r.nextInt(30)));
        }
      }
      if (r.nextDouble() < 0.5) {
        events.add(new Event(p.id(), randomDate(r, today.minusMonths(20), today.minusDays(1)), "OBSERVATION",
            "1049301000000100", 35.0 + r.nextInt(50)));
      }
    }
    for (int season : List.of(2024, 2025, 2026)) {
      if (r.nextDouble() < (age >= 65 ? 0.7 : 0.25)) {
        LocalDate d = LocalDate.of(season, 9, 1).plusDays(r.nextInt(season == 2026 ? 80 : 200));
        if (d.isBefore(today)) {
          events.add(new Event(p.id(), d, "VACCINATION", "86198006", null));
        }
      }
    }
  }

  private String somePatient(Random r) {
    if (r.nextInt(12) == 0) {
      return String.format("%064x", 9_000_000L + r.nextInt(100)); // not on the ICS list
    }
    return patients.get(r.nextInt(patients.size())).id();
  }

  private void activity(Random r) {
    LocalDate from = LocalDate.of(2025, 6, 1);
    LocalDate to = LocalDate.of(2026, 11, 20);
    String[] providers = {"RX1", "RK5"};
    for (int i = 0; i < 4000; i++) {
      LocalDateTime arrival = randomDate(r, from, to).atTime(2 + r.nextInt(20), r.nextInt(60));
      int minutes = r.nextInt(10) < 8 ? 30 + r.nextInt(220) : 240 + r.nextInt(700);
      boolean admitted = r.nextInt(4) == 0;
      LocalDateTime dta = admitted ? arrival.plusMinutes(Math.max(10, minutes - 60 - r.nextInt(200))) : null;
      if (admitted && r.nextInt(20) == 0) {
        minutes = 60 * 14 + r.nextInt(300);
        dta = arrival.plusMinutes(60);
      }
      boolean gone = r.nextInt(50) != 0;
      ae.add(new Ae("A" + i, somePatient(r), providers[r.nextInt(2)], r.nextInt(3) == 0 ? 3 : 1, arrival,
          gone ? dta : null, gone ? arrival.plusMinutes(minutes) : null, admitted ? "ADMITTED" : "DISCHARGED",
          gone ? minutes : null));
    }
    String[] diags = {"J44.1", "J45", "I50.0", "E11.9", "S72.0", "S72.1", "R10.4", "K35.8", "N39.0", "I21.0", "C50.9"};
    for (int i = 0; i < 2500; i++) {
      LocalDate adm = randomDate(r, from, to);
      boolean emergency = r.nextInt(3) > 0;
      Integer los = r.nextInt(15) == 0 ? null : r.nextInt(20);
      spells.add(new Spell("S" + i, somePatient(r), providers[r.nextInt(2)], adm, los == null ? null : adm.plusDays(los),
          emergency ? (r.nextBoolean() ? "21" : "2A") : "11", diags[r.nextInt(diags.length)], los));
    }
    for (int i = 0; i < 3000; i++) {
      String[] outcomes = {"ATTENDED", "ATTENDED", "ATTENDED", "ATTENDED", "DNA", "CANCELLED"};
      outpatients.add(new Outpatient("O" + i, somePatient(r), providers[r.nextInt(2)], randomDate(r, from, to),
          outcomes[r.nextInt(outcomes.length)]));
    }
    for (int m = 0; m < 16; m++) {
      LocalDate snap = java.time.YearMonth.of(2026, 10).minusMonths(m).atEndOfMonth();
      for (int i = 0; i < 150; i++) {
        LocalDate start = snap.minusDays(r.nextInt(r.nextInt(10) == 0 ? 450 : 150));
        rtt.add(new Waiter(snap, "R" + m + "_" + i, somePatient(r), providers[r.nextInt(2)], start,
            (int) ((snap.toEpochDay() - start.toEpochDay()) / 7)));
      }
      for (int i = 0; i < 60; i++) {
        LocalDate start = snap.minusDays(r.nextInt(r.nextInt(8) == 0 ? 80 : 40));
        diagnostics.add(new Waiter(snap, "D" + m + "_" + i, somePatient(r), providers[r.nextInt(2)], start,
            (int) ((snap.toEpochDay() - start.toEpochDay()) / 7)));
      }
    }
    String[] types = {"URGENT_SUSPECTED", "URGENT_SUSPECTED", "URGENT_SUSPECTED", "BREAST_SYMPTOMATIC", "SCREENING"};
    for (int i = 0; i < 1500; i++) {
      LocalDate ref = randomDate(r, from, to);
      LocalDate seen = ref.plusDays(r.nextInt(10) < 9 ? 3 + r.nextInt(11) : 15 + r.nextInt(10));
      boolean dx = r.nextInt(5) == 0;
      LocalDate dtt = dx ? seen.plusDays(10 + r.nextInt(30)) : null;
      LocalDate treated = dx ? dtt.plusDays(r.nextInt(10) < 9 ? r.nextInt(30) : 32 + r.nextInt(20)) : null;
      cancer.add(new Cancer("C" + i, somePatient(r), providers[r.nextInt(2)], types[r.nextInt(types.length)], ref,
          seen.isAfter(to) ? null : seen, dx ? "Y" : "N", dtt, treated == null || treated.isAfter(to) ? null : treated));
    }
    for (int i = 0; i < 1200; i++) {
      LocalDate ref = randomDate(r, from, to);
      LocalDate first = r.nextInt(6) == 0 ? null : ref.plusDays(r.nextInt(10) < 8 ? r.nextInt(42) : 43 + r.nextInt(100));
      LocalDate end = first == null ? null : first.plusDays(30 + r.nextInt(120));
      if (end != null && end.isAfter(to)) {
        end = null;
      }
      Integer sessions = first == null ? 0 : 1 + r.nextInt(10);
      String cs = r.nextInt(10) < 8 ? "Y" : "N";
      iapt.add(new Iapt("I" + i, somePatient(r), ref, first, end, sessions, cs, end == null ? null : (r.nextBoolean() ? "Y" : "N")));
    }
  }

  // ------------------------------------------------------------------------- Spark

  LinkedModel toModel(SparkSession spark) {
    List<Row> pr = new ArrayList<>();
    for (Practice p : practices) {
      pr.add(RowFactory.create(p.code(), p.name(), p.pcn(), "PCN " + p.pcn(), "CCG1", "CCG one", p.icp(),
          "Place " + p.icp(), "QT1", "Test ICS"));
    }
    List<Row> pa = new ArrayList<>();
    for (Patient p : patients) {
      int age = p.ageAt(p.death() != null ? p.death() : RUN_DATE);
      int lo = Math.min(age / 5 * 5, 95);
      int espLo = Math.min(age / 5 * 5, 90);
      pa.add(RowFactory.create(p.id(), date(p.birth()), p.sex(), p.ethnicity(), p.practice().code(),
          p.practice().pcn(), p.practice().icp(), "QT1", "E01000001", p.imdDecile(), p.imdQuintile(),
          date(p.regStart()), date(p.regEnd()), date(p.death()), age, lo == 95 ? "95+" : lo + "_" + (lo + 4),
          espLo == 90 ? "90+" : espLo + "-" + (espLo + 4),
          p.registeredAt(RUN_DATE), false));
    }
    List<Row> ev = events.stream().map(e -> RowFactory.create(e.patient(), date(e.date()), e.type(), e.code(),
        e.value(), null)).toList();
    List<Row> aeRows = ae.stream().map(a -> RowFactory.create(a.id(), a.patient(), a.provider(), a.type(),
        timestamp(a.arrival()), timestamp(a.dta()), timestamp(a.departure()), a.disposal(), a.minutes())).toList();
    List<Row> sp = spells.stream().map(s -> RowFactory.create(s.id(), s.patient(), s.provider(), date(s.admission()),
        date(s.discharge()), s.method(), s.method().startsWith("2"), s.method().startsWith("1"), s.diagnosis(), "1",
        s.los())).toList();
    List<Row> op = outpatients.stream().map(o -> RowFactory.create(o.id(), o.patient(), o.provider(), date(o.date()),
        "100", 1, o.outcome())).toList();
    List<Row> rt = rtt.stream().map(w -> RowFactory.create(date(w.snapshot()), w.id(), w.patient(), w.provider(), "100",
        date(w.start()), w.weeks())).toList();
    List<Row> dx = diagnostics.stream().map(w -> RowFactory.create(date(w.snapshot()), w.id(), w.patient(),
        w.provider(), "MRI", date(w.start()), w.weeks())).toList();
    List<Row> ca = cancer.stream().map(c -> RowFactory.create(c.id(), c.patient(), c.provider(), c.type(),
        date(c.referral()), date(c.seen()), c.diagnosed(), date(c.dtt()), date(c.treated()),
        c.treated() == null ? null : "SURGERY")).toList();
    List<Row> ia = iapt.stream().map(i -> RowFactory.create(i.id(), i.patient(), date(i.referral()),
        date(i.firstTreatment()), date(i.end()), i.sessions(), i.casenessStart(), i.casenessEnd())).toList();
    return new LinkedModel(spark.createDataFrame(pr, PRACTICES), empty(spark, LIST_SIZES), empty(spark, IMD),
        spark.createDataFrame(pa, PATIENTS), spark.createDataFrame(ev, EVENTS), spark.createDataFrame(aeRows, AE),
        spark.createDataFrame(sp, SPELLS), spark.createDataFrame(op, OUTPATIENTS), spark.createDataFrame(rt, RTT),
        spark.createDataFrame(dx, DIAGNOSTICS), spark.createDataFrame(ca, CANCER), spark.createDataFrame(ia, IAPT));
  }

  Patient patient(String id) {
    return byId().get(id);
  }

  private java.util.Map<String, Patient> index;

  java.util.Map<String, Patient> byId() {
    if (index == null) {
      index = new java.util.HashMap<>();
      patients.forEach(p -> index.put(p.id(), p));
    }
    return index;
  }
}
