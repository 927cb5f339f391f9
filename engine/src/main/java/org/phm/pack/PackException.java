package org.phm.pack;

/** A pack cannot be written, published, locked or read; the message says which file and why. */
public class PackException extends RuntimeException {
  public PackException(String message) {
    super(message);
  }

  public PackException(String message, Throwable cause) {
    super(message, cause);
  }
}
