package org.phm.risk;

/** A configuration or definition file (risk.yaml, cohorts.yaml, code lists) failed validation; the message names file and field. */
public class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
