package org.phm.ig;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.phm.spark.SharedSpark;

class PatientKeyTest {
  private static final Pseudonymiser P = new Pseudonymiser(PseudonymisationKey.ofBytes(
      "patient-key-test-key-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8)));

  private static Dataset<Row> ids(List<String> values, String name) {
    return SharedSpark.get().createDataset(values, Encoders.STRING()).toDF(name);
  }

  /** The identifiers as column {@code id} with their key under {@code prefix}. */
  private static Dataset<Row> keyed(List<String> values, String id, String prefix) {
    return PatientKey.add(ids(values, "patient_id"), prefix).withColumnRenamed("patient_id", id);
  }

  @Test
  void distinctPseudonymsGetDistinctKeysAndEachHalfIsItsOwnHash() {
    List<String> pseudonyms = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      pseudonyms.add(P.patientId(String.valueOf(9_000_000_000L + i)));
    }
    pseudonyms.add(pseudonyms.get(7)); // a repeated identifier keeps its key
    Dataset<Row> k = keyed(pseudonyms, "patient_id", "_k");
    assertEquals(20_000, k.select("patient_id").distinct().count());
    assertEquals(20_000, k.select("_k1", "_k2").distinct().count());
    assertEquals(20_000, k.select("patient_id", "_k1", "_k2").distinct().count(), "one key per identifier");
    // the halves are two hashes, not one hash twice: were they equal or the second a function of the first, the key
    // would hold 64 bits, not 128
    assertEquals(0, k.filter(col("_k1").equalTo(col("_k2"))).count());
    assertEquals(20_000, k.select("_k2").distinct().count());
  }

  @Test
  void joiningByKeyPairsTheSameRowsAsJoiningByIdentifier() {
    List<String> register = List.of(P.patientId("9000000001"), P.patientId("9000000002"), P.patientId("9000000003"));
    // events of registered patients, of an unknown patient, and without an identifier
    List<String> events = Arrays.asList(register.get(0), register.get(0), register.get(2), P.patientId("9000000099"),
        null, "");
    Dataset<Row> r = keyed(register, "rid", "_r");
    Dataset<Row> e = keyed(events, "eid", "_e");
    List<Row> byKey = e.join(r, PatientKey.same("_e", "_r"), "left").select("eid", "rid")
        .orderBy(col("eid").asc_nulls_first(), col("rid")).collectAsList();
    List<Row> byId = ids(events, "eid").join(ids(register, "rid"), col("eid").equalTo(col("rid")), "left")
        .select("eid", "rid").orderBy(col("eid").asc_nulls_first(), col("rid")).collectAsList();
    assertEquals(byId, byKey);
    assertEquals(6, byKey.size());
    assertEquals(3, byKey.stream().filter(x -> !x.isNullAt(1)).count(), "only the registered patients' rows match");
  }

  @Test
  void idsSharingTheJoinHashArePairedOnlyWithThemselves() {
    // the join is keyed by the first half alone (PatientKey.matches); the second half keeps these two apart
    List<String> both = List.of(CollidingIds.FIRST, CollidingIds.SECOND);
    Dataset<Row> e = keyed(both, "eid", "_e");
    assertEquals(1, e.select("_e1").distinct().count(), "the two ids share the first half");
    List<Row> pairs = e.join(keyed(List.of(CollidingIds.FIRST), "rid", "_r"), PatientKey.same("_e", "_r"), "left")
        .select("eid", "rid").orderBy("eid").collectAsList();
    assertEquals(List.of(RowFactory.create(CollidingIds.SECOND, null), RowFactory.create(CollidingIds.FIRST,
        CollidingIds.FIRST)), pairs);
  }

  @Test
  void anUnknownIdentifierHasNoKey() {
    Row k = keyed(Arrays.asList((String) null), "patient_id", "_k").first();
    // Spark hashes null to its seed: a key, which would then pair every identifier-less row together
    assertTrue(k.isNullAt(1) && k.isNullAt(2));
    Dataset<Row> nulls = keyed(Arrays.asList(null, null), "a", "_a");
    Dataset<Row> other = keyed(Arrays.asList((String) null), "b", "_b");
    assertEquals(0, nulls.join(other, PatientKey.same("_a", "_b")).count());
  }
}
