package dev.breakglass.micrometer;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Meters for an {@link IncidentJournal}: the entries recorded, by source and kind, and the
 * entries evicted.
 *
 * <pre>{@code
 * JournalMeters.of(journal).bindTo(meterRegistry);
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Meters of a journal</caption>
 *   <thead><tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@value #ENTRIES}</td><td>counter</td><td>{@code source} (a breaker's name, a
 *       component, {@code cascade}, ...), {@code kind} ({@code transition}, {@code shed},
 *       ...)</td><td>the entries recorded since binding</td></tr>
 *   <tr><td>{@value #EVICTED}</td><td>function counter</td><td></td><td>the entries the
 *       journal evicted to make room, since it was created</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>A counter appears with the first entry of its source and kind. Sources are the names of
 * the things that write to the journal, so their number is as bounded as the application's
 * breakers and components. Every meter also has the tags given to
 * {@link #of(IncidentJournal, Iterable)}. The counters are fed by the journal's
 * {@link IncidentJournal#onRecord listeners}, on the recording thread.
 *
 * <p>Thread-safe: binding, closing and the meters' reads may happen on any threads.
 */
public final class JournalMeters implements MeterBinder, AutoCloseable {

  /** The name of the counter of entries, by source and kind. */
  public static final String ENTRIES = "breakglass.journal.entries";
  /** The name of the counter of evicted entries. */
  public static final String EVICTED = "breakglass.journal.evicted";

  private final IncidentJournal journal;
  private final Tags tags;
  private final Bindings<Binding> bindings = new Bindings<>("JournalMeters", Binding::close);

  private JournalMeters(IncidentJournal journal, Tags tags) {
    this.journal = journal;
    this.tags = tags;
  }

  /**
   * Returns meters for {@code journal}.
   *
   * @param journal the journal
   * @return a binder, not yet bound
   * @throws NullPointerException if {@code journal} is null
   */
  public static JournalMeters of(IncidentJournal journal) {
    return of(journal, Tags.empty());
  }

  /**
   * Returns meters for {@code journal} with more tags on every meter.
   *
   * @param journal the journal
   * @param tags tags for every meter
   * @return a binder, not yet bound
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a tag's key is {@code source} or {@code kind}, which
   *     the meters set themselves
   */
  public static JournalMeters of(IncidentJournal journal, Iterable<Tag> tags) {
    Objects.requireNonNull(journal, "journal");
    return new JournalMeters(journal, MeterTags.userTags(tags, "source", "kind"));
  }

  /**
   * Registers the meters in {@code registry} and starts counting entries.
   *
   * @param registry the meter registry
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if this binder was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Binding binding = bindings.add(new Binding(Objects.requireNonNull(registry, "registry")));
    binding.add(FunctionCounter.builder(EVICTED, journal, IncidentJournal::evictedCount)
        .tags(tags)
        .description("The journal entries evicted to make room")
        .register(registry));
    binding.add(journal.onRecord(EventListener.named("JournalMeters",
        (JournalEntry entry) -> {
          // registering an existing counter returns it; a new source or kind adds one
          Counter counter = Counter.builder(ENTRIES).tags(tags)
              .tag("source", entry.source()).tag("kind", entry.kind())
              .description("The entries recorded in the incident journal")
              .register(registry);
          binding.add(counter).increment();
        })));
  }

  /**
   * Removes every meter this binder registered and stops counting. Idempotent.
   */
  @Override
  public void close() {
    bindings.close();
  }

  @Override
  public String toString() {
    return "JournalMeters[" + journal + ", tags=" + tags + "]";
  }
}
