package dev.breakglass.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server for tests and drills: either one this class starts from the machine's
 * PostgreSQL binaries, in a temporary directory, on a free loopback port, or one that already
 * runs, named by the environment variable {@value #URL_VARIABLE}.
 *
 * <p>A server it starts gets a data directory and a unix-socket directory in a new temporary
 * directory, listens on {@code 127.0.0.1} only, trusts every local connection (user
 * {@code postgres}, a superuser) and is stopped, and its directory deleted, by {@link #close()}
 * or when the JVM exits. When the JVM runs as root (PostgreSQL refuses to), the server's
 * commands run as the unprivileged user {@code nobody} through {@code setpriv}, and the
 * temporary directory is handed to that user.
 *
 * <p>The binaries ({@code initdb}, {@code pg_ctl}, {@code postgres}) are found in the directory
 * named by {@value #BIN_VARIABLE}, else on the {@code PATH}, else in the newest
 * {@code /usr/lib/postgresql/<version>/bin}. When there is neither a server nor binaries,
 * starting fails with an {@link IllegalStateException} saying how to get one: nothing is
 * skipped.
 *
 * <p>Thread-safe.
 */
public final class LocalPostgres implements AutoCloseable {

  /** The environment variable naming a running server to use instead: a JDBC URL. */
  public static final String URL_VARIABLE = "BREAKGLASS_PG_URL";

  /** The environment variable naming the directory that holds {@code initdb} and {@code pg_ctl}. */
  public static final String BIN_VARIABLE = "BREAKGLASS_PG_BIN";

  private static final String SUPERUSER = "postgres";
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
  private static final ReentrantLock SHARED_LOCK = new ReentrantLock();
  private static @Nullable LocalPostgres shared;

  private final ReentrantLock lock = new ReentrantLock();
  private final @Nullable String externalUrl;
  private final @Nullable Path bin;
  private final @Nullable Path root;
  private final List<String> runAs;
  private final int port;
  private boolean running;
  private @Nullable Thread hook;

  private LocalPostgres(String externalUrl) {
    this.externalUrl = externalUrl;
    this.bin = null;
    this.root = null;
    this.runAs = List.of();
    this.port = -1;
  }

  private LocalPostgres(Path bin, Path root, List<String> runAs, int port) {
    this.externalUrl = null;
    this.bin = bin;
    this.root = root;
    this.runAs = runAs;
    this.port = port;
  }

  /**
   * Returns the server this JVM shares between its tests: the one {@value #URL_VARIABLE} names,
   * or else one started on first use and stopped when the JVM exits.
   *
   * @return the shared server
   * @throws IllegalStateException if there is no server and none can be started; the message
   *     says how to get one
   */
  public static LocalPostgres shared() {
    SHARED_LOCK.lock();
    try {
      if (shared == null) {
        String url = System.getenv(URL_VARIABLE);
        shared = url != null && !url.isBlank() ? new LocalPostgres(url.strip()) : start();
      }
      return shared;
    } finally {
      SHARED_LOCK.unlock();
    }
  }

  /**
   * Starts a new server of its own from the machine's binaries, whatever
   * {@value #URL_VARIABLE} says: for tests that kill and restart their server.
   *
   * @return the running server
   * @throws IllegalStateException if no binaries can be found or the server does not start;
   *     the message says why and how to get them
   */
  public static LocalPostgres start() {
    Path bin = binaries();
    List<String> runAs = isRoot() ? unprivileged() : List.of();
    try {
      Path root = Files.createTempDirectory("breakglass-pg-");
      if (!runAs.isEmpty()) {
        handOver(root);
      }
      LocalPostgres server = new LocalPostgres(bin, root, runAs, freePort());
      server.initialise();
      server.startServer();
      server.hook = new Thread(server::closeQuietly, "breakglass-pg-stop");
      Runtime.getRuntime().addShutdownHook(server.hook);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("could not start a PostgreSQL server from " + bin + ": "
          + e.getMessage() + "\n" + HOW_TO_GET_ONE, e);
    }
  }

  private static final String HOW_TO_GET_ONE = "The fleet tests need a PostgreSQL server. Either"
      + " install PostgreSQL's server binaries (Debian or Ubuntu: apt-get install -y"
      + " postgresql; the tests find /usr/lib/postgresql/<version>/bin, or set " + BIN_VARIABLE
      + " to the directory holding initdb and pg_ctl), or point " + URL_VARIABLE + " at a"
      + " running server whose user may create databases, for example"
      + " jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=secret";

  /**
   * Tells whether this class started the server (and so can kill and restart it).
   *
   * @return {@code false} for a server named by {@value #URL_VARIABLE}
   */
  public boolean isLocal() {
    return externalUrl == null;
  }

  /**
   * Returns a JDBC URL for a database on this server, connecting as a user that may create
   * databases and roles.
   *
   * @param database the database's name
   * @return the URL
   */
  public String jdbcUrl(String database) {
    Objects.requireNonNull(database, "database");
    if (externalUrl == null) {
      return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }
    // jdbc:postgresql://host:port/db?params: replace the database
    int hosts = externalUrl.indexOf("//");
    int slash = externalUrl.indexOf('/', hosts < 0 ? 0 : hosts + 2);
    int query = externalUrl.indexOf('?');
    if (hosts < 0 || slash < 0) {
      throw new IllegalStateException(URL_VARIABLE + " must look like"
          + " jdbc:postgresql://host:port/database?user=...&password=..., was " + externalUrl);
    }
    return externalUrl.substring(0, slash + 1) + database
        + (query < 0 ? "" : externalUrl.substring(query));
  }

  /**
   * Returns the JDBC URL of the database every server has, {@code postgres}: to create others.
   *
   * @return the URL
   */
  public String adminUrl() {
    if (externalUrl != null) {
      return externalUrl;
    }
    return jdbcUrl("postgres");
  }

  /**
   * Returns the port a local server listens on.
   *
   * @return the port on 127.0.0.1
   * @throws UnsupportedOperationException for a server named by {@value #URL_VARIABLE}
   */
  public int port() {
    requireLocal("port");
    return port;
  }

  /**
   * Kills the server as a crash would: {@code SIGKILL} to the postmaster and every process it
   * started, at once, then waits until they are gone. {@link #restart()} starts it again,
   * through crash recovery.
   *
   * @throws UnsupportedOperationException for a server named by {@value #URL_VARIABLE}
   * @throws IllegalStateException if the processes do not exit
   */
  public void kill() {
    requireLocal("kill");
    lock.lock();
    try {
      Optional<ProcessHandle> postmaster = postmaster();
      if (postmaster.isEmpty()) {
        running = false;
        return;
      }
      List<ProcessHandle> all = new ArrayList<>();
      all.add(postmaster.get());
      postmaster.get().descendants().forEach(all::add);
      for (ProcessHandle process : all) {
        process.destroyForcibly();
      }
      for (ProcessHandle process : all) {
        try {
          process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("PostgreSQL process " + process.pid()
              + " did not exit after SIGKILL", e);
        }
      }
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts a local server again on the same port and data, after {@link #kill()} or
   * {@link #stop()}.
   *
   * @throws UnsupportedOperationException for a server named by {@value #URL_VARIABLE}
   * @throws IllegalStateException if it does not start
   */
  public void restart() {
    requireLocal("restart");
    lock.lock();
    try {
      if (!running) {
        startServer();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops a local server (fast shutdown: sessions are disconnected), keeping its data.
   *
   * @throws UnsupportedOperationException for a server named by {@value #URL_VARIABLE}
   */
  public void stop() {
    requireLocal("stop");
    lock.lock();
    try {
      if (running) {
        pgCtl("stop", "-m", "fast", "-w");
        running = false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops a local server and deletes its directory; does nothing for a server named by
   * {@value #URL_VARIABLE}.
   */
  @Override
  public void close() {
    if (externalUrl != null) {
      return;
    }
    Thread registered;
    lock.lock();
    try {
      registered = hook;
      hook = null;
    } finally {
      lock.unlock();
    }
    if (registered != null && registered != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(registered);
      } catch (IllegalStateException exiting) {
        // the JVM is exiting and the hook runs (or ran) anyway
      }
    }
    closeQuietly();
  }

  private void closeQuietly() {
    lock.lock();
    try {
      if (running) {
        try {
          pgCtl("stop", "-m", "immediate", "-w");
        } catch (IOException | RuntimeException e) {
          kill();
        }
        running = false;
      }
      if (root != null) {
        deleteRecursively(root);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return externalUrl != null ? "PostgreSQL at " + URL_VARIABLE
        : "PostgreSQL on 127.0.0.1:" + port + " in " + root;
  }

  // ------------------------------------------------------------------------------ internals

  private void requireLocal(String what) {
    if (externalUrl != null) {
      throw new UnsupportedOperationException("cannot " + what + " the server named by "
          + URL_VARIABLE + "; use LocalPostgres.start() for a server of the test's own");
    }
  }

  private Path data() {
    return Objects.requireNonNull(root).resolve("data");
  }

  private void initialise() throws IOException {
    run(List.of(Objects.requireNonNull(bin).resolve("initdb").toString(), "-D",
        data().toString(), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-locale",
        "--no-sync"));
    Path sockets = Objects.requireNonNull(root).resolve("s");
    Files.createDirectories(sockets);
    if (!runAs.isEmpty()) {
      handOver(sockets);
    }
  }

  private void startServer() throws IOException {
    String options = String.join(" ",
        "-p", String.valueOf(port),
        "-k", Objects.requireNonNull(root).resolve("s").toString(),
        "-c", "listen_addresses=127.0.0.1",
        "-c", "max_connections=200",
        "-c", "shared_buffers=32MB",
        "-c", "timezone=UTC",
        "-c", "log_min_messages=warning");
    try {
      pgCtl("start", "-w", "-t", "60", "-l", root.resolve("server.log").toString(),
          "-o", options);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "; server log:\n" + tail(root.resolve("server.log")),
          e);
    }
    running = true;
  }

  private void pgCtl(String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Objects.requireNonNull(bin).resolve("pg_ctl").toString());
    command.add("-D");
    command.add(data().toString());
    command.addAll(List.of(arguments));
    run(command);
  }

  private Optional<ProcessHandle> postmaster() {
    Path pidFile = data().resolve("postmaster.pid");
    try {
      String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).strip();
      return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Runs a command (as the unprivileged user when needed); fails with its output. */
  private void run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>(runAs);
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> environment = builder.environment();
    environment.put("LC_ALL", "C");
    environment.remove("PGDATA");
    if (!runAs.isEmpty()) {
      environment.put("HOME", Objects.requireNonNull(root).toString());
    }
    // pg_ctl start leaves the server holding its stdout: output goes to a file, not a pipe
    Path output = Files.createTempFile("breakglass-pg-command-", ".txt");
    try {
      builder.redirectOutput(output.toFile());
      Process process = builder.start();
      boolean done;
      try {
        done = process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IOException("interrupted while running " + full, e);
      }
      if (!done) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", full) + " did not finish within "
            + COMMAND_LIMIT.toSeconds() + " s: " + tail(output));
      }
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", full) + " failed with exit status "
            + process.exitValue() + ": " + tail(output));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no output: " + e + ")";
    }
  }

  private static Path binaries() {
    String named = System.getenv(BIN_VARIABLE);
    if (named != null && !named.isBlank()) {
      Path dir = Path.of(named.strip());
      if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
        return dir;
      }
      throw new IllegalStateException(BIN_VARIABLE + " is " + named + ", which holds no"
          + " executable initdb and pg_ctl.\n" + HOW_TO_GET_ONE);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(java.io.File.pathSeparator)) {
        if (entry.isEmpty()) {
          continue;
        }
        Path initdb = Path.of(entry, "initdb");
        if (Files.isExecutable(initdb) && Files.isExecutable(Path.of(entry, "pg_ctl"))) {
          // follow a link (Debian's /usr/local/bin/initdb) to the directory with postgres
          try {
            return initdb.toRealPath().getParent();
          } catch (IOException e) {
            return Path.of(entry);
          }
        }
      }
    }
    Path installed = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(installed)) {
      try (Stream<Path> versions = Files.list(installed)) {
        Optional<Path> newest = versions
            .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
            .max(Comparator.comparingInt(LocalPostgres::version));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      } catch (IOException e) {
        // fall through to the explanation
      }
    }
    throw new IllegalStateException("no PostgreSQL server binaries were found (not in "
        + BIN_VARIABLE + ", on the PATH or in /usr/lib/postgresql/*/bin), and " + URL_VARIABLE
        + " names no running server.\n" + HOW_TO_GET_ONE);
  }

  private static int version(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> unprivileged() {
    if (!Files.isExecutable(Path.of("/usr/bin/setpriv"))
        && !Files.isExecutable(Path.of("/bin/setpriv"))) {
      throw new IllegalStateException("the build runs as root, which PostgreSQL refuses, and"
          + " setpriv (util-linux) is missing to run it as nobody.\n" + HOW_TO_GET_ONE);
    }
    return List.of("setpriv", "--reuid=nobody", "--regid=" + nobodysGroup(), "--clear-groups");
  }

  private static String nobodysGroup() {
    try {
      Process process = new ProcessBuilder("id", "-gn", "nobody").redirectErrorStream(true)
          .start();
      String group;
      try (InputStream in = process.getInputStream()) {
        group = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (process.waitFor() == 0 && !group.isEmpty()) {
        return group;
      }
    } catch (IOException e) {
      // fall back below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "nogroup";
  }

  private static void handOver(Path directory) throws IOException {
    UserPrincipalLookupService names = directory.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal nobody = names.lookupPrincipalByName("nobody");
    GroupPrincipal group = names.lookupPrincipalByGroupName(nobodysGroup());
    PosixFileAttributeView view =
        Files.getFileAttributeView(directory, PosixFileAttributeView.class);
    view.setOwner(nobody);
    view.setGroup(group);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println(String.format(Locale.ROOT, "could not delete %s: %s", directory, e));
    }
  }
}
