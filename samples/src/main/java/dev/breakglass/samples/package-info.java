/**
 * Runnable breakglass examples. {@link dev.breakglass.samples.EmergencyDrill} is the README's
 * main command.
 */
package dev.breakglass.samples;
