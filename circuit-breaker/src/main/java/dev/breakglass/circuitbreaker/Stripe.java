package dev.breakglass.circuitbreaker;

/**
 * One stripe of a {@link StripedWindow}; subclasses add their hot fields and end with right
 * padding, so that the hot fields of two stripes never share a cache line.
 */
abstract sealed class Stripe extends StripePad
    permits CountWindow.CountStripeFields, LockedStripe {}
