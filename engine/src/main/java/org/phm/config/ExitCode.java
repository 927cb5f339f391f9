package org.phm.config;

/** Process exit codes of the {@code phm} command, documented in the README for schedulers. */
public enum ExitCode {
  SUCCESS(0, "success"),
  INTERNAL_ERROR(1, "internal error (a bug or an environment failure): see the log"),
  INVALID_CONFIGURATION(2, "invalid configuration or command line"),
  INVALID_INPUT(3, "invalid or missing input (file, column, row and reason in the message)"),
  DATA_QUALITY_GATE(4, "a data-quality gate failed (too many quarantined rows, stale source)"),
  LOCKED(5, "another run holds the pack root's lock"),
  PACK_VERIFICATION_FAILED(6, "a pack failed verification against its manifest");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
