package org.phm.ig;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.phm.spark.SharedSpark;

class NhsNumbersTest {
  @Test
  void handWorkedExamples() {
    // 943 476 5919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11-2 = 9 = last digit
    assertTrue(NhsNumbers.isValid("9434765919"));
    assertTrue(NhsNumbers.isValid(" 943 476 5919 "));
    assertTrue(NhsNumbers.isValid("943-476-5919"));
    assertEquals("modulus-11 check digit fails", NhsNumbers.invalidReason("9434765918"));
    // 401 023 2137: 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92; 92 mod 11 = 4; 11-4 = 7
    assertTrue(NhsNumbers.isValid("4010232137"));
    // check 11 -> 0: 0000000000 would pass the arithmetic but is a placeholder
    assertEquals("placeholder (one repeated digit)", NhsNumbers.invalidReason("0000000000"));
    for (int d = 0; d <= 9; d++) {
      assertFalse(NhsNumbers.isValid(String.valueOf(d).repeat(10)));
    }
    assertEquals("not 10 digits", NhsNumbers.invalidReason("943476591"));
    assertEquals("not 10 digits", NhsNumbers.invalidReason("94347659190"));
    assertEquals("not 10 digits", NhsNumbers.invalidReason("94347659A9"));
    assertEquals("not 10 digits", NhsNumbers.invalidReason((String) null));
    assertNull(NhsNumbers.invalidReason("4010232137"));
  }

  @Test
  void sparkExpressionAgreesWithJava() {
    Random rnd = new Random(42);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      long n = (long) (rnd.nextDouble() * 1e10);
      values.add(String.format("%010d", n));
    }
    values.addAll(List.of("1111111111", "943 476 5919", "123", "", "abcdefghij", "94347659190", "943-476-5919",
        " 943 476 5919 ", "\t9434765919", "9434765919\n", "- 943--476  5919 -", "943\u00a0476\u20105919", " "));
    Dataset<Row> d = SharedSpark.get().createDataset(values, Encoders.STRING()).toDF("v");
    List<Row> rows = d.select(col("v"), NhsNumbers.invalidReason(NhsNumbers.normalise(col("v"))),
        NhsNumbers.isValid(NhsNumbers.normalise(col("v"))), NhsNumbers.normalise(col("v"))).collectAsList();
    int valid = 0;
    for (Row r : rows) {
      String v = r.getString(0);
      assertEquals(NhsNumbers.invalidReason(NhsNumbers.normalise(v)), r.getString(1), v);
      assertEquals(NhsNumbers.normalise(v), r.getString(3), v);
      assertEquals(NhsNumbers.isValid(v), r.getBoolean(2), v);
      valid += r.getBoolean(2) ? 1 : 0;
    }
    // about 10/11 of random 10-digit numbers have a usable check digit, and 1/10 of those match it
    assertTrue(valid > 150 && valid < 400, "valid " + valid);
  }
}
