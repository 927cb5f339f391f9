package org.phm.ig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The secret key of the NHS-number pseudonymisation (HMAC-SHA-256). The key bytes are the UTF-8 bytes of
 * the key text with surrounding whitespace removed; at least {@value #MIN_BYTES} bytes are required.
 *
 * <p>The key is never logged: {@link #toString()} is redacted and error messages never contain it.
 * The same key must be used for every run, or patient_id values will not match between packs.
 */
public final class PseudonymisationKey {
  /** Minimum key length in bytes (256 bits, the HMAC-SHA-256 output size). */
  public static final int MIN_BYTES = 32;

  /**
   * The DEMO key: public, published in the source code, so pseudonyms made with it are NOT protected.
   * Only {@link #demo()} returns it, for synthetic sample data in demo mode.
   */
  private static final String DEMO_KEY_TEXT = "PHM-ENGINE-DEMO-KEY--PUBLIC--NOT-FOR-REAL-PATIENT-DATA";

  private final byte[] bytes;
  private final boolean demo;

  private PseudonymisationKey(byte[] bytes, boolean demo, String origin) {
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException("pseudonymisation key from " + origin + " is too short: "
          + bytes.length + " bytes, at least " + MIN_BYTES + " required");
    }
    this.bytes = bytes.clone();
    this.demo = demo;
  }

  /** Reads the key from a file (its text, surrounding whitespace removed). */
  public static PseudonymisationKey fromFile(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return new PseudonymisationKey(text.getBytes(StandardCharsets.UTF_8), false, "file " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read pseudonymisation key file " + file + ": "
          + e.getClass().getSimpleName(), e);
    }
  }

  /** Reads the key from an environment variable (its text, surrounding whitespace removed). */
  public static PseudonymisationKey fromEnv(String variable) {
    String v = System.getenv(variable);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("environment variable " + variable + " (pseudonymisation key) is not set");
    }
    return new PseudonymisationKey(v.strip().getBytes(StandardCharsets.UTF_8), false, "environment variable " + variable);
  }

  /** A key from raw bytes (tests, key management integrations). */
  public static PseudonymisationKey ofBytes(byte[] key) {
    return new PseudonymisationKey(key, false, "bytes");
  }

  /**
   * The public DEMO key, for synthetic data only ({@code phm demo}); {@link #isDemo()} is true so callers
   * can refuse it outside demo mode and label outputs.
   */
  public static PseudonymisationKey demo() {
    return new PseudonymisationKey(DEMO_KEY_TEXT.getBytes(StandardCharsets.UTF_8), true, "demo");
  }

  /** Whether this is the public demo key. */
  public boolean isDemo() {
    return demo;
  }

  /** A copy of the key bytes (package-private: only the pseudonymiser needs them). */
  byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public String toString() {
    return demo ? "PseudonymisationKey[DEMO]" : "PseudonymisationKey[redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PseudonymisationKey k && Arrays.equals(k.bytes, bytes) && k.demo == demo;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
