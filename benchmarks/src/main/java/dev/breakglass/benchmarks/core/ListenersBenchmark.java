package dev.breakglass.benchmarks.core;

import dev.breakglass.core.Listeners;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of publishing an event the way breakglass modules do: guarded by
 * {@link Listeners#hasListeners()}, so that nothing is allocated when nobody listens.
 *
 * <p>{@code baseline} is the direct-call reference: the same guard on a plain field.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'core.ListenersBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ListenersBenchmark {

  /** An event type whose construction the guard must avoid. */
  record Event(String source, long sequence) {}

  private final Listeners<Event> none = Listeners.create("none");
  private final Listeners<Event> one = Listeners.create("one");
  private final Event prebuilt = new Event("prebuilt", 1);
  private volatile boolean plainFlag;
  private long sequence;
  private Blackhole blackhole;

  @org.openjdk.jmh.annotations.Setup
  public void setUp(Blackhole bh) {
    this.blackhole = bh;
    one.add(e -> blackhole.consume(e));
  }

  @Benchmark
  public boolean baseline() {
    if (plainFlag) {
      blackhole.consume(new Event("x", ++sequence));
      return true;
    }
    return false;
  }

  @Benchmark
  public boolean guardedPublish_noListeners() {
    if (none.hasListeners()) {
      none.publish(new Event("x", ++sequence));
      return true;
    }
    return false;
  }

  @Benchmark
  public void publish_oneListener_prebuiltEvent() {
    one.publish(prebuilt);
  }
}
