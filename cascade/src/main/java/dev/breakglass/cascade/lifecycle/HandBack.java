package dev.breakglass.cascade.lifecycle;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A recovery's hold on the {@link ShutdownSequencer} that isolated the components it starts
 * again ({@link RecoverySequencer#recoverIsolated(ShutdownSequencer, String)}). While it is
 * open, no run of that sequencer can begin; every component whose start began is handed back,
 * so that the sequencer's later runs stop it again; and the recovery learns when that
 * sequencer's {@code shutdown()} begins, so that it can end at once and let the shutdown run.
 *
 * <pre>{@code
 * try (HandBack handBack = stoppedBy.handBack(isolated)) {   // fails fast if a run is going on
 *   ... run the recovery; its engines poll handBack.shutdownBegan() ...
 *   handBack.markRunning(node);                               // each component whose start began
 * }                                                           // the sequencer's runs may go on
 * }</pre>
 *
 * <p>Not thread-safe: opened, used and closed by the recovery's coordinating thread.
 */
final class HandBack implements AutoCloseable {

  /*
   * Design. The hand-back is the shutdown sequencer's run lock, held by the recovery's
   * coordinating thread from open() to close(), around the whole recovery.
   *
   * Why hold that lock: the recovery rewrites the sequencer's "already stopped" flags, which
   * its runs read, and a run of the sequencer must not stop components while the recovery
   * starts them. The lock is a ReentrantLock (runs block; never `synchronized`), taken with
   * tryLock: a recovery fails fast when a run of the sequencer is under way instead of queueing
   * behind it, and it checks, under the lock, that shutdown() has not been called and that the
   * sequencer did stop the isolated component.
   *
   * How a shutdown still gets in promptly: shutdown() installs its once-only future before it
   * waits for the lock (within its own deadline). The recovery's engines poll shutdownBegan(),
   * which reads that future, at least every Engine.SLICE_NANOS through Callbacks.cancelReason();
   * they end the recovery at once (RecoverySequencer.SHUTDOWN_BEGAN), the recovery closes the
   * hand-back, and the shutdown takes the lock and stops everything whose start began, a start
   * that was abandoned included (its stop steps release what the start had taken).
   *
   * Order: markRunning() writes the flags before close() unlocks, on the same thread, so the
   * run that takes the lock next sees every component the recovery touched.
   *
   * Re-entry: a step of the recovery that called shutdown() or isolate() on the sequencer would
   * wait for this lock while the recovery waits for the step. The recovery's engines therefore
   * name the sequencer among their step owners (Job.inStepOf), and the sequencer checks
   * isHeldByCurrentThread for a step run inline on the coordinating thread: such a call fails
   * fast with an IllegalStateException.
   */

  private final ShutdownSequencer owner;
  private final ReentrantLock runLock;
  private final boolean[] stopped;
  private boolean closed;

  private HandBack(ShutdownSequencer owner, ReentrantLock runLock, boolean[] stopped) {
    this.owner = owner;
    this.runLock = runLock;
    this.stopped = stopped;
  }

  /**
   * Opens a hand-back of {@code isolated} (of graph index {@code index}) to {@code owner}: takes
   * its run lock without waiting and checks that the recovery may begin.
   *
   * @param calledFromOwnRun whether the caller is a step of a run that holds the lock
   * @throws IllegalStateException if called from a step of a run of the sequencer, a run of it
   *     is going on, its shutdown() has been called, or it has not stopped {@code isolated}
   */
  static HandBack open(ShutdownSequencer owner, ReentrantLock runLock, boolean[] stopped,
      String isolated, int index, boolean calledFromOwnRun) {
    if (calledFromOwnRun) {
      throw new IllegalStateException("cannot recover '" + isolated
          + "': called from a step of a run of its shutdown sequencer");
    }
    if (!runLock.tryLock()) {
      throw new IllegalStateException("cannot recover '" + isolated
          + "': a run of its shutdown sequencer is going on");
    }
    boolean opened = false;
    try {
      if (owner.isShutdown()) {
        throw new IllegalStateException("cannot recover '" + isolated
            + "': shutdown() of its shutdown sequencer has been called");
      }
      if (!stopped[index]) {
        throw new IllegalStateException("cannot recover '" + isolated
            + "': its shutdown sequencer has not stopped it");
      }
      opened = true;
      return new HandBack(owner, runLock, stopped);
    } finally {
      if (!opened) {
        runLock.unlock();
      }
    }
  }

  /** The sequencer the components are handed back to: a step owner of the recovery's runs. */
  ShutdownSequencer owner() {
    return owner;
  }

  /** Whether the sequencer's {@code shutdown()} has begun: the recovery must end at once. */
  boolean shutdownBegan() {
    return owner.isShutdown();
  }

  /** The recovery began to start the node of graph index {@code node}: a later run stops it. */
  void markRunning(int node) {
    stopped[node] = false;
  }

  /** Lets the sequencer's runs go on. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      runLock.unlock();
    }
  }
}
