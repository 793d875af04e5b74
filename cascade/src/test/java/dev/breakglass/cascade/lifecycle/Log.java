package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.ManualTicker;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** A thread-safe record of the steps that ran, in the order they ran. */
final class Log {
  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

  /** A step that records {@code what}. */
  Step step(String what) {
    return () -> events.add(what);
  }

  /** A step that records {@code what} and takes {@code millis} of the ticker's time. */
  Step step(String what, ManualTicker ticker, long millis) {
    return () -> {
      events.add(what);
      ticker.advance(millis, TimeUnit.MILLISECONDS);
    };
  }

  void add(String what) {
    events.add(what);
  }

  List<String> events() {
    return List.copyOf(events);
  }

  long count(String what) {
    return events.stream().filter(what::equals).count();
  }
}
