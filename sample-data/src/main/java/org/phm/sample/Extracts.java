package org.phm.sample;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The extract files the generator writes (names and column order of contracts/extracts.yaml), the
 * per-chunk row sinks, and the deliberate bad-row injection: after a good row, with probability
 * {@code badRowFraction}, a mutated copy (or an exact duplicate) is appended and recorded with its reason.
 * Mutated copies get fresh identifiers so that each carries exactly one defect.
 */
final class Extracts {
  private Extracts() {}

  static final int PRACTICES = 0, LIST_SIZES = 1, IMD = 2, PATIENTS = 3, EVENTS = 4, AE = 5, SPELLS = 6, OPA = 7,
      RTT = 8, DIAG = 9, CANCER = 10, IAPT = 11, OPT_OUT = 12;

  static final String[] FILES = {
      "practices.csv", "list_sizes.csv", "imd_lsoa.csv", "gp_patients.csv", "gp_events.csv", "ae_attendances.csv",
      "inpatient_spells.csv", "outpatient_appointments.csv", "rtt_waiting_list.csv", "diagnostic_waiting_list.csv",
      "cancer_pathways.csv", "iapt_referrals.csv", "national_opt_out.csv"};

  static final String[] HEADERS = {
      "practice_code,practice_name,pcn_code,pcn_name,ccg_code,ccg_name,icp_code,icp_name,ics_code,ics_name",
      "EXTRACT_DATE,ORG_CODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS",
      "lsoa_code,lsoa_name,local_authority,imd_score,imd_rank,imd_decile",
      "nhs_number,date_of_birth,sex,ethnicity,practice_code,lsoa_code,registration_start,registration_end,date_of_death",
      "nhs_number,event_date,event_type,code,value,unit",
      "attendance_id,nhs_number,provider_code,department_type,arrival_time,decision_to_admit_time,departure_time,disposal",
      "spell_id,nhs_number,provider_code,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_method",
      "appointment_id,nhs_number,provider_code,appointment_date,specialty_code,first_attendance,outcome",
      "snapshot_date,pathway_id,nhs_number,provider_code,specialty_code,clock_start_date",
      "snapshot_date,request_id,nhs_number,provider_code,test_code,request_date",
      "pathway_id,nhs_number,provider_code,referral_type,referral_date,first_seen_date,cancer_diagnosed,decision_to_treat_date,first_treatment_date,treatment_modality",
      "referral_id,nhs_number,referral_date,first_treatment_date,end_date,treatment_sessions,caseness_start,caseness_end",
      "nhs_number"};

  /** Reason codes of the sidecar, as the ingest's quarantine uses them. */
  enum Reason { INVALID_NHS_NUMBER, UNKNOWN_REFERENCE, INVALID_DATE, DATE_ORDER, DUPLICATE, MISSING_REQUIRED }

  /** Defects that can be injected into each file (index as above); empty = the file is never corrupted. */
  static final List<List<Reason>> MENU = List.of(
      List.of(),
      List.of(Reason.UNKNOWN_REFERENCE),
      List.of(),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.UNKNOWN_REFERENCE, Reason.INVALID_DATE, Reason.DATE_ORDER,
          Reason.MISSING_REQUIRED, Reason.DUPLICATE),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.UNKNOWN_REFERENCE, Reason.INVALID_DATE, Reason.MISSING_REQUIRED),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.INVALID_DATE, Reason.DATE_ORDER, Reason.MISSING_REQUIRED, Reason.DUPLICATE),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.INVALID_DATE, Reason.DATE_ORDER, Reason.MISSING_REQUIRED, Reason.DUPLICATE),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.INVALID_DATE, Reason.MISSING_REQUIRED, Reason.DUPLICATE),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.INVALID_DATE, Reason.DATE_ORDER, Reason.DUPLICATE),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.INVALID_DATE, Reason.DATE_ORDER, Reason.DUPLICATE),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.INVALID_DATE, Reason.DATE_ORDER, Reason.MISSING_REQUIRED, Reason.DUPLICATE),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.INVALID_DATE, Reason.DATE_ORDER, Reason.DUPLICATE),
      List.of(Reason.INVALID_NHS_NUMBER, Reason.DUPLICATE));

  /** Rows of one file produced by one chunk (practice). */
  static final class Sink {
    final ByteBuf buf;
    int rows;
    int rowStart;
    /** Injected rows: 1-based row index within the chunk and reason ordinal, interleaved. */
    int[] err = new int[16];
    int nErr;

    Sink(int initial) { buf = new ByteBuf(initial); }

    ByteBuf begin() { rowStart = buf.n; return buf; }

    void end() { buf.c('\n'); rows++; }

    void recordError(Reason r) {
      if (nErr * 2 + 2 > err.length) err = java.util.Arrays.copyOf(err, err.length * 2);
      err[nErr * 2] = rows;
      err[nErr * 2 + 1] = r.ordinal();
      nErr++;
    }
  }

  /** Per-chunk injector with its own random stream (so the clean data do not depend on the fraction). */
  static final class Injector {
    final double fraction;
    final SplittableRandom rng;
    final int practiceIndex;
    final NhsPool pool;
    int unknownSeq;
    int idSeq;

    Injector(double fraction, long seed, int practiceIndex, NhsPool pool) {
      this.fraction = fraction;
      this.rng = new SplittableRandom(seed);
      this.practiceIndex = practiceIndex;
      this.pool = pool;
    }

    /** Call after each good row of {@code file}; may append one bad row. */
    void after(int file, Sink s) {
      if (fraction <= 0 || rng.nextDouble() >= fraction) return;
      List<Reason> menu = MENU.get(file);
      if (menu.isEmpty()) return;
      Reason r = menu.get(rng.nextInt(menu.size()));
      String last = new String(s.buf.a, s.rowStart, s.buf.n - s.rowStart - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
      String[] f = last.split(",", -1);
      if (r != Reason.DUPLICATE) mutate(file, r, f);
      String row = r == Reason.DUPLICATE ? last : String.join(",", f);
      s.begin().s(row);
      s.end();
      s.recordError(r);
    }

    private String unknownPractice() {
      return "Y" + pad(practiceIndex, 3) + pad(unknownSeq++ % 100, 2);
    }

    private void mutate(int file, Reason r, String[] f) {
      switch (file) {
        case LIST_SIZES -> f[1] = unknownPractice();
        case PATIENTS -> {
          if (r == Reason.INVALID_NHS_NUMBER) { f[0] = NhsNumbers.corrupt(f[0], rng.nextInt(9)); return; }
          f[0] = pool.next();
          switch (r) {
            case UNKNOWN_REFERENCE -> f[4] = unknownPractice();
            case INVALID_DATE -> f[6] = badDate(f[6]);
            case DATE_ORDER -> f[7] = LocalDate.parse(f[6]).minusDays(40).toString();
            case MISSING_REQUIRED -> f[2] = "";
            default -> throw new IllegalStateException(r.name());
          }
        }
        case EVENTS -> {
          switch (r) {
            case INVALID_NHS_NUMBER -> f[0] = NhsNumbers.corrupt(f[0], rng.nextInt(9));
            case UNKNOWN_REFERENCE -> f[0] = pool.next();
            case INVALID_DATE -> f[1] = badDate(f[1]);
            case MISSING_REQUIRED -> f[3] = "";
            default -> throw new IllegalStateException(r.name());
          }
        }
        case OPT_OUT -> f[0] = NhsNumbers.corrupt(f[0], rng.nextInt(9));
        default -> {
          // secondary-care files: fresh record id, then one defect
          int idCol = (file == RTT || file == DIAG) ? 1 : 0;
          int nhsCol = (file == RTT || file == DIAG) ? 2 : 1;
          f[idCol] = f[idCol] + "B" + (idSeq++);
          switch (r) {
            case INVALID_NHS_NUMBER -> f[nhsCol] = NhsNumbers.corrupt(f[nhsCol], rng.nextInt(9));
            case INVALID_DATE -> {
              int c = switch (file) { case AE -> 4; case SPELLS, OPA -> 3; case RTT, DIAG -> 5; case CANCER -> 4; default -> 2; };
              f[c] = file == AE ? badDate(f[c].substring(0, 10)) + f[c].substring(10) : badDate(f[c]);
            }
            case DATE_ORDER -> {
              switch (file) {
                case AE -> f[6] = java.time.LocalDateTime.parse(f[4], TS).minusHours(2).format(TS);
                case SPELLS -> f[4] = LocalDate.parse(f[3]).minusDays(3).toString();
                case RTT, DIAG -> f[5] = LocalDate.parse(f[0]).plusDays(10).toString();
                case CANCER -> f[5] = LocalDate.parse(f[4]).minusDays(5).toString();
                case IAPT -> f[4] = LocalDate.parse(f[2]).minusDays(7).toString();
                default -> throw new IllegalStateException("no DATE_ORDER for " + FILES[file]);
              }
            }
            case MISSING_REQUIRED -> {
              switch (file) {
                case AE -> f[7] = "";
                case SPELLS -> f[6] = "";
                case OPA -> f[6] = "";
                case CANCER -> f[6] = "";
                default -> throw new IllegalStateException("no MISSING_REQUIRED for " + FILES[file]);
              }
            }
            default -> throw new IllegalStateException(r.name());
          }
        }
      }
    }

    /** An impossible calendar date in the same year (30 or 31 February). */
    private String badDate(String isoDate) {
      return isoDate.substring(0, 4) + (rng.nextBoolean() ? "-02-30" : "-02-31");
    }
  }

  /** Source of fresh valid NHS numbers (never used for real patients) for injected rows. */
  static final class NhsPool {
    long body;

    NhsPool(long start) { body = start; }

    String next() {
      while (NhsNumbers.checkDigit(body) < 0) body++;
      return NhsNumbers.format(body++);
    }
  }

  static final java.time.format.DateTimeFormatter TS = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
      .withResolverStyle(java.time.format.ResolverStyle.STRICT);

  static String pad(long v, int w) {
    String s = Long.toString(v);
    return s.length() >= w ? s : "0".repeat(w - s.length()) + s;
  }
}
