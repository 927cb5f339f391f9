package org.phm.ingest;

/** The contracts definition (contracts/extracts.yaml) is invalid; the message names the file, entry and field. */
public class ContractException extends RuntimeException {
  public ContractException(String message) {
    super(message);
  }

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
