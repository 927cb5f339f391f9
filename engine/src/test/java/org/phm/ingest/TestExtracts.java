package org.phm.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phm.ig.PseudonymisationKey;
import org.phm.ig.Pseudonymiser;
import org.phm.spark.SharedSpark;

/** Small hand-written extracts for ingest tests, written into a temporary input directory. */
final class TestExtracts {
  private TestExtracts() {}

  static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 25);
  static final Pseudonymiser PSEUDONYMISER =
      new Pseudonymiser(PseudonymisationKey.ofBytes("test-key-0123456789-abcdefghijklmnop".getBytes(StandardCharsets.UTF_8)));

  static final String PRACTICES_HEADER =
      "practice_code,practice_name,pcn_code,pcn_name,ccg_code,ccg_name,icp_code,icp_name,ics_code,ics_name";
  static final List<String> PRACTICES = List.of(
      "C84001,\"Alpha, Surgery\",U12345,PCN A,52R,Notts CCG,ICP1,Mid Notts,QT1,Notts ICS",
      "C84002,Beta Practice,U12346,PCN B,,,ICP2,City,QT1,Notts ICS");
  static final String IMD_HEADER = "lsoa_code,lsoa_name,local_authority,imd_score,imd_rank,imd_decile";
  static final List<String> IMD = List.of(
      "E01000001,LSOA one,Nottingham,45.2,1000,1",
      "E01000002,LSOA two,Gedling,12.5,20000,7");
  static final String PATIENTS_HEADER =
      "nhs_number,date_of_birth,sex,ethnicity,practice_code,lsoa_code,registration_start,registration_end,date_of_death";

  /** The i-th valid NHS number of a deterministic sequence (modulus-11 check digit computed here). */
  static String nhs(int i) {
    long base = 400_000_000L + i * 7919L;
    while (true) {
      String nine = String.format("%09d", base % 1_000_000_000L);
      int sum = 0;
      for (int k = 0; k < 9; k++) {
        sum += (nine.charAt(k) - '0') * (10 - k);
      }
      int check = 11 - sum % 11;
      if (check == 11) {
        check = 0;
      }
      if (check != 10) {
        return nine + check;
      }
      base++;
    }
  }

  /** A valid gp_patients row for NHS number {@code nhs}. */
  static String patient(String nhs) {
    return nhs + ",1950-06-15,F,White,C84001,E01000001,2000-01-01,,";
  }

  static void write(Path dir, String file, String header, List<String> rows) {
    writeText(dir.resolve(file), header + "\n" + String.join("\n", rows) + (rows.isEmpty() ? "" : "\n"));
  }

  static void writeText(Path file, String text) {
    writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
  }

  static void writeBytes(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeGzip(Path file, String text) {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes valid practices and IMD files. */
  static void writeDimensions(Path dir) {
    write(dir, "practices.csv", PRACTICES_HEADER, PRACTICES);
    write(dir, "imd_lsoa.csv", IMD_HEADER, IMD);
  }

  /** Runs ingest for the named contracts. */
  static IngestResult ingest(Path input, Path staging, String... contracts) {
    List<ExtractContract> cs = Contracts.load().select(List.of(contracts));
    return new Ingest(SharedSpark.get(), cs, PSEUDONYMISER, RUN_DATE).run(input, staging);
  }

  /** Quarantine of one file as row_number → reason_code (small test data only). */
  static Map<Long, String> reasons(IngestResult r, String file) {
    return r.dataQualityTable("dq_quarantine").data().where("file = '" + file + "'").collectAsList().stream()
        .collect(Collectors.toMap(row -> row.getLong(1), row -> row.getString(2)));
  }

  static List<Row> quarantine(IngestResult r, String file) {
    return r.dataQualityTable("dq_quarantine").data().where("file = '" + file + "'").orderBy("row_number")
        .collectAsList();
  }

  static InputFileInfo info(IngestResult r, String contract) {
    return r.inputs().stream().filter(i -> i.contract().equals(contract)).findFirst().orElseThrow();
  }

  static long count(Dataset<Row> d) {
    return d.count();
  }

  static List<String> shuffled(List<String> in, long seed) {
    List<String> out = new ArrayList<>(in);
    java.util.Collections.shuffle(out, new Random(seed));
    return out;
  }
}
