package org.phm.ig;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Keyed pseudonymisation of NHS numbers: {@code patient_id = hex(HMAC-SHA-256(key, normalised NHS number))},
 * 64 lower-case hex characters. Without the key, a patient_id cannot be reversed or recomputed by
 * enumerating the ~10^9 valid NHS numbers.
 *
 * <p>Spark has no HMAC function. {@link #patientId(Column)} is a Java UDF around {@code javax.crypto.Mac} with one
 * initialised Mac per thread. It replaced RFC 2104 composed from built-ins ({@code sha2} over {@code unhex}-ed
 * key pads), which put key-derived pads into every query plan as literals and cost twice as much (0.76 against
 * 0.38 µs per row over 5M NHS numbers: {@code sha2} looks up a new MessageDigest and hex-encodes on each of its two
 * calls). The key travels inside the serialised function only. {@link #patientId(String)} calls the same function on
 * the driver.
 */
public final class Pseudonymiser {
  private final PseudonymisationKey key;
  private final HmacHex function;
  private final UserDefinedFunction hmac;

  public Pseudonymiser(PseudonymisationKey key) {
    this.key = key;
    this.function = new HmacHex(key.bytes());
    this.hmac = functions.udf(function, DataTypes.StringType).withName("pseudonymise");
  }

  /** Whether the key is the public demo key (outputs are then not protected). */
  public boolean isDemo() {
    return key.isDemo();
  }

  /**
   * Spark: patient_id of a column holding NHS numbers in any accepted layout (normalised first); null
   * when the input is null. Validity is not checked here (see {@link NhsNumbers}).
   */
  public Column patientId(Column nhsNumber) {
    return patientIdOfNormalised(NhsNumbers.normalise(nhsNumber));
  }

  /** As {@link #patientId(Column)} for a value already passed through {@link NhsNumbers#normalise}. */
  public Column patientIdOfNormalised(Column normalised) {
    return hmac.apply(normalised.cast(DataTypes.StringType));
  }

  /** Plain Java: patient_id of one NHS number (normalised first), via javax.crypto.Mac. */
  public String patientId(String nhsNumber) {
    return nhsNumber == null ? null : function.call(NhsNumbers.normalise(nhsNumber));
  }

  @Override
  public String toString() {
    return "Pseudonymiser[" + key + "]";
  }

  /**
   * hex(HMAC-SHA-256(key, UTF-8 bytes of the value)); null stays null. One Mac per thread (Mac is not thread-safe),
   * which also remembers its last value and digest: extracts list a patient's rows together (the GP events run ~18
   * rows per patient), so consecutive rows mostly repeat the previous NHS number and skip the two SHA-256 passes.
   */
  private static final class HmacHex implements UDF1<String, String> {
    private static final long serialVersionUID = 1L;
    private final byte[] key;
    private transient ThreadLocal<Last> last;

    HmacHex(byte[] key) {
      this.key = key.clone();
    }

    /** A thread's Mac and the value it digested last. */
    private static final class Last {
      final Mac mac;
      String value;
      String digest;

      Last(Mac mac) {
        this.mac = mac;
      }
    }

    @Override
    public String call(String value) {
      if (value == null) {
        return null;
      }
      if (last == null) {
        last = ThreadLocal.withInitial(() -> new Last(newMac()));
      }
      Last l = last.get();
      if (!value.equals(l.value)) {
        l.digest = HexFormat.of().formatHex(l.mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        l.value = value;
      }
      return l.digest;
    }

    private Mac newMac() {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    }

    @Override
    public String toString() {
      return "HmacHex[key withheld]";
    }
  }
}
