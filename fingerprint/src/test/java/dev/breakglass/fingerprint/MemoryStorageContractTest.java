package dev.breakglass.fingerprint;

import dev.breakglass.fingerprint.contract.SnapshotStorageContract;

/**
 * The storage contract, on the memory storage: it lives as long as the object, so opening it
 * again means loading the same object again.
 */
class MemoryStorageContractTest extends SnapshotStorageContract {

  private SnapshotStorage current = SnapshotStorage.inMemory();

  @Override
  protected SnapshotStorage create() {
    current = SnapshotStorage.inMemory();
    return current;
  }

  @Override
  protected SnapshotStorage reopen() {
    return current;
  }
}
