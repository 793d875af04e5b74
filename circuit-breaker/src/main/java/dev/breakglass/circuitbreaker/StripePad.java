package dev.breakglass.circuitbreaker;

/** Left padding: keeps a stripe's hot fields off the cache line of whatever precedes it. */
abstract sealed class StripePad permits Stripe, CountWindow.RingTotals {
  long p01, p02, p03, p04, p05, p06, p07, p08;
}
