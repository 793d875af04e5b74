package dev.breakglass.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The padded run counter of a {@link ConsecutiveWindow}. */
abstract sealed class ConsecutiveFields extends OutcomeWindow permits ConsecutiveWindow {
  static final VarHandle RUN;

  static {
    try {
      RUN = MethodHandles.lookup().findVarHandle(ConsecutiveFields.class, "run", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  long p01, p02, p03, p04, p05, p06, p07, p08;
  @SuppressWarnings("unused") // accessed through RUN
  private long run;
}
