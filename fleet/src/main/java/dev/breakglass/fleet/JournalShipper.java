package dev.breakglass.fleet;

import dev.breakglass.core.EventListener;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships an instance's journal entries to the fleet's journal table, in batches, from a thread
 * of its own. Thread-safe.
 */
final class JournalShipper implements EventListener<JournalEntry> {

  /*
   * Design: the journal's live feed calls onEvent on whatever thread records an entry (a
   * request thread, the cascade manager's delivery), so it must never wait: it counts the
   * entry into the backlog with one atomic increment, and either queues it (a lock-free
   * ConcurrentLinkedQueue) or, if the backlog is full, counts it as dropped. The shipper thread
   * drains up to a batch, inserts it in one transaction (ON CONFLICT DO NOTHING on the
   * instance's incarnation and sequence, so a batch whose commit was in doubt can be sent
   * again), and only then takes it off the backlog: while the database is down the backlog
   * holds at most `capacity` entries, the oldest, and the newest are dropped and counted. After
   * the next successful batch it records one journal entry saying how many were dropped; that
   * entry is shipped like any other.
   */

  private static final Logger LOGGER = LoggerFactory.getLogger("dev.breakglass.fleet");

  private final Database database;
  private final String fleet;
  private final String instance;
  private final UUID incarnation;
  private final IncidentJournal journal;
  private final int capacity;
  private final int batch;
  private final long flushNanos;
  private final Backoff backoff;
  private final ConcurrentLinkedQueue<JournalEntry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger backlog = new AtomicInteger();
  private final AtomicLong shipped = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedUnreported = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;
  private volatile long closeDeadline;

  JournalShipper(Database database, String fleet, String instance, UUID incarnation,
      IncidentJournal journal, int capacity, int batch, Duration flushInterval,
      Backoff backoff) {
    this.database = database;
    this.fleet = fleet;
    this.instance = instance;
    this.incarnation = incarnation;
    this.journal = journal;
    this.capacity = capacity;
    this.batch = batch;
    this.flushNanos = flushInterval.toNanos();
    this.backoff = backoff;
    this.thread = new Thread(this::run, "breakglass-fleet-journal-" + instance);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The journal's live feed: never blocks, never throws. */
  @Override
  public void onEvent(JournalEntry entry) {
    if (backlog.incrementAndGet() > capacity) {
      backlog.decrementAndGet();
      dropped.incrementAndGet();
      droppedUnreported.incrementAndGet();
      return;
    }
    queue.offer(entry);
    if (backlog.get() >= batch) {
      LockSupport.unpark(thread);
    }
  }

  long shipped() {
    return shipped.get();
  }

  long dropped() {
    return dropped.get() + refused.get();
  }

  int backlog() {
    return backlog.get();
  }

  /**
   * Ships what is queued, for at most {@code limit}, then stops the thread.
   *
   * @return how many entries were left unshipped
   */
  int close(Duration limit) {
    closeDeadline = System.nanoTime() + limit.toNanos();
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(Math.max(1, limit.toMillis() + 1_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return backlog.get();
  }

  private void run() {
    List<JournalEntry> pending = new ArrayList<>(batch);
    boolean failing = false;
    while (true) {
      if (pending.isEmpty()) {
        for (JournalEntry entry; pending.size() < batch && (entry = queue.poll()) != null; ) {
          pending.add(entry);
        }
      }
      if (pending.isEmpty()) {
        if (closing) {
          return;
        }
        LockSupport.parkNanos(this, flushNanos);
        continue;
      }
      try {
        ship(pending);
        backlog.addAndGet(-pending.size());
        shipped.addAndGet(pending.size());
        pending.clear();
        if (failing) {
          failing = false;
          backoff.reset();
          LOGGER.info("fleet '{}' instance '{}': shipping the journal again",
              Texts.escape(fleet), Texts.escape(instance));
        }
        reportDrops();
      } catch (SQLException e) {
        if (!Database.isConnectionFailure(e)) {
          shipOneByOne(pending, e);
          continue;
        }
        if (!failing) {
          failing = true;
          LOGGER.warn("fleet '{}' instance '{}': cannot ship the journal, keeping up to {}"
              + " entries until the database is back: {}",
              Texts.escape(fleet), Texts.escape(instance), capacity, e.getMessage());
        }
        if (closing && System.nanoTime() - closeDeadline > 0) {
          return;
        }
        LockSupport.parkNanos(this, closing ? Math.min(backoff.next(), 50_000_000L)
            : backoff.next());
        continue;
      }
      if (!closing && backlog.get() < batch) {
        LockSupport.parkNanos(this, flushNanos); // gather the next batch
      }
    }
  }

  private void ship(List<JournalEntry> entries) throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
          + database.schema.journal + " (fleet, instance, incarnation, sequence, at, nano_time,"
          + " source, kind, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (fleet, instance, incarnation, sequence) DO NOTHING")) {
        for (JournalEntry entry : entries) {
          bind(insert, entry);
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        Database.rollbackQuietly(connection, e);
        throw e;
      }
    }
  }

  private void bind(PreparedStatement insert, JournalEntry entry) throws SQLException {
    insert.setString(1, fleet);
    insert.setString(2, instance);
    insert.setObject(3, incarnation);
    insert.setLong(4, entry.sequence());
    insert.setObject(5, Fleet.utc(entry.time()));
    insert.setLong(6, entry.nanoTime());
    insert.setString(7, Texts.storable(entry.source()));
    insert.setString(8, Texts.storable(entry.kind()));
    insert.setString(9, Texts.storable(entry.detail()));
  }

  /**
   * A batch the database refused for its content, not for being unreachable: ship the entries
   * one at a time, and count (and journal) the ones it refuses.
   */
  private void shipOneByOne(List<JournalEntry> pending, SQLException cause) {
    int refusedHere = 0;
    SQLException last = cause;
    for (JournalEntry entry : pending) {
      try {
        ship(List.of(entry));
        shipped.incrementAndGet();
      } catch (SQLException e) {
        if (Database.isConnectionFailure(e)) {
          return; // keep the rest pending; the main loop backs off
        }
        refusedHere++;
        last = e;
      }
      backlog.decrementAndGet();
    }
    pending.clear();
    if (refusedHere > 0) {
      refused.addAndGet(refusedHere);
      String message = last.getMessage();
      journal.record("fleet", "dropped", refusedHere + (refusedHere == 1
          ? " journal entry was" : " journal entries were")
          + " refused by the database and not shipped to the fleet timeline: " + message);
    }
  }

  private void reportDrops() {
    long unreported = droppedUnreported.getAndSet(0);
    if (unreported > 0) {
      journal.record("fleet", "dropped", unreported + (unreported == 1 ? " journal entry was"
          : " journal entries were") + " not shipped to the fleet timeline: the backlog of "
          + capacity + " entries was full while the database was unreachable ("
          + dropped.get() + " dropped since the instance joined)");
    }
  }
}
