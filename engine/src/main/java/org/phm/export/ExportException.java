package org.phm.export;

/** A place export could not be produced (unknown area, unusable pack, or a disclosure-control violation). */
public class ExportException extends RuntimeException {
  public ExportException(String message) {
    super(message);
  }

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The request itself is wrong (unknown ICP/PCN, no format): the user can fix it. */
  public static final class Usage extends ExportException {
    public Usage(String message) {
      super(message);
    }
  }
}
