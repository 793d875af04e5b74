package dev.breakglass.fingerprint;

import dev.breakglass.fingerprint.contract.SnapshotStorageContract;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract, on the directory storage. */
class DirectoryStorageContractTest extends SnapshotStorageContract {

  @TempDir
  Path root;

  private int created;
  private Path current = Path.of("unset");

  @Override
  protected SnapshotStorage create() {
    current = root.resolve("store-" + created++);
    return SnapshotStorage.directory(current);
  }

  @Override
  protected SnapshotStorage reopen() throws IOException {
    return SnapshotStorage.directory(current);
  }
}
