package dev.breakglass.fingerprint;

import java.io.IOException;

/**
 * A storage refused to compact because its filesystem lacks the room for the compacted copy;
 * nothing was written. The message says how much is needed and how much is free.
 */
final class InsufficientSpaceException extends IOException {

  private static final long serialVersionUID = 1L;

  final long needed;
  final long free;

  InsufficientSpaceException(String message, long needed, long free) {
    super(message);
    this.needed = needed;
    this.free = free;
  }
}
