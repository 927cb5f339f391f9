package org.phm.ig;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.spark.SharedSpark;

class PseudonymiserTest {
  @TempDir Path tmp;

  /** Independent reference: javax.crypto.Mac directly, no shared code with Pseudonymiser. */
  private static String hmac(byte[] key, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rfc4231TestCase6LongKey() throws Exception {
    // RFC 4231 test case 6: 131-byte key of 0xaa (longer than the block: hashed first)
    byte[] key = new byte[131];
    java.util.Arrays.fill(key, (byte) 0xaa);
    Pseudonymiser p = new Pseudonymiser(PseudonymisationKey.ofBytes(key));
    String msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    String expected = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
    List<Row> r = SharedSpark.get().createDataset(List.of(msg), Encoders.STRING()).toDF("v")
        .select(p.patientId(col("v"))).collectAsList();
    // the Spark path normalises (removes spaces and hyphens), so compare on a message without them
    assertEquals(hmac(key, msg.replaceAll("[ -]", "")), r.get(0).getString(0));
    assertEquals(expected, hmac(key, msg));
  }

  @Test
  void sparkHmacEqualsJavaMacForManyInputsAndKeys() throws Exception {
    Random rnd = new Random(7);
    for (int keyLen : new int[] {32, 63, 64, 65, 100}) {
      byte[] key = new byte[keyLen];
      rnd.nextBytes(key);
      Pseudonymiser p = new Pseudonymiser(PseudonymisationKey.ofBytes(key));
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        values.add(String.format("%010d", (long) (rnd.nextDouble() * 1e10)));
      }
      values.add("943 476 5919");
      values.add("é-ünïcødé");
      List<Row> rows = SharedSpark.get().createDataset(values, Encoders.STRING()).toDF("v")
          .select(col("v"), p.patientId(col("v"))).collectAsList();
      for (Row r : rows) {
        String expected = hmac(key, r.getString(0).strip().replaceAll("[ -]", ""));
        assertEquals(expected, r.getString(1), "key length " + keyLen);
        assertEquals(expected, p.patientId(r.getString(0)));
        assertTrue(r.getString(1).matches("[0-9a-f]{64}"));
      }
    }
  }

  @Test
  void runsOfRepeatedNumbersGetTheirOwnDigestsInEveryOrder() throws Exception {
    // extracts list a patient's rows together and the function remembers its last digest: runs, alternation,
    // nulls between equal values and a value repeated after others must each still get their own HMAC
    byte[] key = "r".repeat(40).getBytes(StandardCharsets.UTF_8);
    Pseudonymiser p = new Pseudonymiser(PseudonymisationKey.ofBytes(key));
    List<String> values = new ArrayList<>();
    Random rnd = new Random(11);
    String[] pool = {"9434765919", "4010232137", "9434765870", "1234567881"};
    for (int i = 0; i < 2_000; i++) {
      String v = pool[rnd.nextInt(pool.length)];
      int run = 1 + rnd.nextInt(5);
      for (int k = 0; k < run; k++) {
        values.add(rnd.nextInt(20) == 0 ? null : v);
      }
    }
    List<Row> rows = SharedSpark.get().createDataset(values, Encoders.STRING()).toDF("v").coalesce(1)
        .select(col("v"), p.patientId(col("v"))).collectAsList();
    assertEquals(values.size(), rows.size());
    for (Row r : rows) {
      if (r.isNullAt(0)) {
        assertTrue(r.isNullAt(1));
      } else {
        assertEquals(hmac(key, r.getString(0)), r.getString(1), r.getString(0));
      }
    }
    for (String v : List.of("9434765919", "9434765919", "4010232137", "9434765919")) {
      assertEquals(hmac(key, v), p.patientId(v));
    }
  }

  @Test
  void normalisationMakesLayoutsAgreeAndNullStaysNull() {
    Pseudonymiser p = new Pseudonymiser(PseudonymisationKey.demo());
    assertEquals(p.patientId("9434765919"), p.patientId(" 943 476 5919"));
    assertEquals(p.patientId("9434765919"), p.patientId("943-476-5919"));
    assertNotEquals(p.patientId("9434765919"), p.patientId("4010232137"));
    assertNull(p.patientId((String) null));
    List<Row> r = SharedSpark.get().sql("select cast(null as string) v").select(p.patientId(col("v"))).collectAsList();
    assertTrue(r.get(0).isNullAt(0));
  }

  @Test
  void differentKeysGiveDifferentPseudonyms() {
    Pseudonymiser a = new Pseudonymiser(PseudonymisationKey.ofBytes("a".repeat(32).getBytes(StandardCharsets.UTF_8)));
    Pseudonymiser b = new Pseudonymiser(PseudonymisationKey.ofBytes("b".repeat(32).getBytes(StandardCharsets.UTF_8)));
    assertNotEquals(a.patientId("9434765919"), b.patientId("9434765919"));
  }

  @Test
  void keySourcesValidateLengthAndNeverShowTheKey() throws Exception {
    String secret = "s3cr3t-key-material-that-is-long-enough-123";
    Path f = tmp.resolve("key.txt");
    Files.writeString(f, secret + "\n");
    PseudonymisationKey k = PseudonymisationKey.fromFile(f);
    assertEquals(PseudonymisationKey.ofBytes(secret.getBytes(StandardCharsets.UTF_8)), k);
    assertFalse(k.toString().contains(secret));
    assertFalse(new Pseudonymiser(k).toString().contains(secret));
    assertFalse(k.isDemo());
    Files.writeString(f, "short-key");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PseudonymisationKey.fromFile(f));
    assertTrue(e.getMessage().contains("too short") && !e.getMessage().contains("short-key"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PseudonymisationKey.fromFile(tmp.resolve("absent")));
    String var = "PHM_TEST_SURELY_UNSET_VARIABLE_7731";
    assertNull(System.getenv(var));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PseudonymisationKey.fromEnv(var))
        .getMessage().contains(var));
    PseudonymisationKey demo = PseudonymisationKey.demo();
    assertTrue(demo.isDemo());
    assertTrue(new Pseudonymiser(demo).isDemo());
    assertTrue(demo.toString().contains("DEMO"));
  }
}
