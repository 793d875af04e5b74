package dev.breakglass.fleet;

import dev.breakglass.fingerprint.SnapshotStorage;
import dev.breakglass.fingerprint.contract.SnapshotStorageContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract every storage keeps, on PostgreSQL. */
class PostgresStorageContractTest extends SnapshotStorageContract {

  private static Fleet fleet;
  private static final AtomicInteger CREATED = new AtomicInteger();
  private String current = "unset";

  @BeforeAll
  static void database() {
    fleet = Fleet.builder(TestDatabases.create("contract"), "contract").build();
  }

  @Override
  protected SnapshotStorage create() {
    current = "store-" + CREATED.incrementAndGet();
    return fleet.snapshotStorage(current);
  }

  @Override
  protected SnapshotStorage reopen() {
    return fleet.snapshotStorage(current);
  }
}
