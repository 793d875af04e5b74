package dev.breakglass.cascade.lifecycle;

import dev.breakglass.core.Ticker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What every sequencer is built with, as its {@link SequencerBuilder} collected it: the graph,
 * the deadline of a run, the executor (null for a private pool per run), the ticker, the wall
 * clock and the journal.
 */
record RunSettings(
    DependencyGraph graph,
    Duration deadline,
    @Nullable Executor executor,
    Ticker ticker,
    InstantSource clock,
    RunJournal journal) {}
