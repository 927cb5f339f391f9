package org.phm.ig;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.unhex;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Keyed pseudonymisation of NHS numbers: {@code patient_id = hex(HMAC-SHA-256(key, normalised NHS number))},
 * 64 lower-case hex characters. Without the key, a patient_id cannot be reversed or recomputed by
 * enumerating the ~10^9 valid NHS numbers.
 *
 * <p>Spark has no HMAC function, so {@link #patientId(Column)} composes RFC 2104 from built-ins:
 * {@code H((K ⊕ opad) || H((K ⊕ ipad) || m))} with the two padded keys computed here on the driver and
 * {@code sha2}/{@code unhex}/{@code concat} on binary values. The padded keys are literals of the query
 * plan, so plans must not be logged verbatim (set {@code spark.sql.redaction.string.regex}, see docs).
 * {@link #patientId(String)} is the same function via {@code javax.crypto.Mac}.
 */
public final class Pseudonymiser {
  private static final int BLOCK = 64; // SHA-256 block size in bytes

  private final PseudonymisationKey key;
  private final String innerPadHex;
  private final String outerPadHex;

  public Pseudonymiser(PseudonymisationKey key) {
    this.key = key;
    byte[] k = key.bytes();
    if (k.length > BLOCK) {
      try {
        k = MessageDigest.getInstance("SHA-256").digest(k);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    byte[] ipad = new byte[BLOCK];
    byte[] opad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte b = i < k.length ? k[i] : 0;
      ipad[i] = (byte) (b ^ 0x36);
      opad[i] = (byte) (b ^ 0x5c);
    }
    this.innerPadHex = HexFormat.of().formatHex(ipad);
    this.outerPadHex = HexFormat.of().formatHex(opad);
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
    Column message = normalised.cast(DataTypes.BinaryType); // UTF-8 bytes
    Column inner = sha2(concat(unhex(lit(innerPadHex)), message), 256);
    Column outer = sha2(concat(unhex(lit(outerPadHex)), unhex(inner)), 256);
    return when(normalised.isNull(), lit(null).cast(DataTypes.StringType)).otherwise(outer);
  }

  /** Plain Java: patient_id of one NHS number (normalised first), via javax.crypto.Mac. */
  public String patientId(String nhsNumber) {
    if (nhsNumber == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(NhsNumbers.normalise(nhsNumber).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "Pseudonymiser[" + key + "]";
  }
}
