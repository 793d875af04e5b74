package dev.breakglass.circuitbreaker;

/** Holds the package open until the module's API lands; it will be removed then. */
public final class Placeholder {
  private Placeholder() {}
}
