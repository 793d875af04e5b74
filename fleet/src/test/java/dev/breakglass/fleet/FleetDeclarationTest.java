package dev.breakglass.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.cascade.degradation.CascadeManager;
import dev.breakglass.cascade.degradation.Declaration;
import dev.breakglass.core.IncidentJournal;
import dev.breakglass.core.JournalEntry;
import dev.breakglass.core.Severity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A declaration made once reaches every instance's cascade manager; so does its clearing. */
class FleetDeclarationTest {

  private static final AtomicInteger FLEETS = new AtomicInteger();
  private static TestDataSource dataSource;

  private final Fleet fleet = Fleet.builder(dataSource, "shop-" + FLEETS.incrementAndGet())
      .build();
  private final List<FleetInstance> started = new ArrayList<>();

  @BeforeAll
  static void database() {
    dataSource = TestDatabases.create("declarations");
  }

  @AfterEach
  void leave() {
    started.forEach(FleetInstance::close);
  }

  /** An instance of the shop with its own manager and journal. */
  private record Shop(FleetInstance instance, CascadeManager manager, IncidentJournal journal) {}

  private Shop join(String id, Fleet view) {
    return join(id, view, Duration.ofSeconds(1));
  }

  private Shop join(String id, Fleet view, Duration reconcile) {
    IncidentJournal journal = IncidentJournal.create(1024);
    CascadeManager manager = Instances.manager(journal);
    FleetInstance instance = Instances.fast(view, id).reconcileInterval(reconcile)
        .declarationsTo(manager).journal(journal).start();
    started.add(instance);
    return new Shop(instance, manager, journal);
  }

  private static void awaitJoined(Shop... shops) throws Exception {
    for (Shop shop : shops) {
      Await.until(shop.instance().id() + " connected", () -> shop.instance().status().connected());
    }
  }

  @Test
  void declare_wholeFleet_everyInstanceManagerAdoptsItAndClearingHandsBack() throws Exception {
    // no periodic check during the test: what arrives, arrives pushed
    Shop one = join("shop-1", fleet, Duration.ofMinutes(5));
    Shop two = join("shop-2", fleet, Duration.ofMinutes(5));
    Shop three = join("shop-3", fleet, Duration.ofMinutes(5));
    awaitJoined(one, two, three);

    FleetDeclaration declared = fleet.declare(Severity.MAJOR, "alice (on call)",
        "payments provider incident INC-4711");

    for (Shop shop : List.of(one, two, three)) {
      Await.until(shop.instance().id() + " at MAJOR",
          () -> shop.manager().severity() == Severity.MAJOR);
      Declaration declaration = shop.manager().declaration().orElseThrow();
      assertThat(declaration.by()).isEqualTo("alice (on call)");
      assertThat(declaration.reason()).isEqualTo("payments provider incident INC-4711"
          + " (fleet declaration #" + declared.id() + ")");
      assertThat(shop.manager().isEnabled("recommendations")).isFalse();
    }
    assertThat(fleet.declaration()).contains(declared);
    Await.until("every member recorded the adoption", () -> fleet.members().stream()
        .allMatch(m -> m.adoptedDeclaration().orElse(-1) == declared.id()));

    FleetDeclaration cleared = fleet.clearDeclaration("bob", "provider recovered");

    assertThat(cleared.isClearing()).isTrue();
    assertThat(fleet.declaration()).isEmpty();
    for (Shop shop : List.of(one, two, three)) {
      Await.until(shop.instance().id() + " cleared",
          () -> shop.manager().declaration().isEmpty());
      shop.manager().evaluate();
      shop.manager().evaluate();
      assertThat(shop.manager().severity()).isEqualTo(Severity.NORMAL);
      assertThat(shop.journal().entries()).extracting(JournalEntry::detail)
          .anyMatch(d -> d.startsWith("MAJOR declared for the whole fleet by alice (on call)")
              && d.contains("adopted pushed"));
    }
  }

  @Test
  void declare_forAGroup_onlyItsMembersAdoptIt() throws Exception {
    Shop eu = join("eu-1", fleet.group("eu"));
    Shop us = join("us-1", fleet.group("us"));
    awaitJoined(eu, us);

    FleetDeclaration euOnly = fleet.group("eu").declare(Severity.CRITICAL, "alice", "eu outage");
    Await.until("eu at CRITICAL", () -> eu.manager().severity() == Severity.CRITICAL);
    FleetDeclaration everyone = fleet.declare(Severity.MINOR, "alice", "watch closely");
    Await.until("eu at MINOR", () -> eu.manager().severity() == Severity.MINOR);
    Await.until("us at MINOR", () -> us.manager().severity() == Severity.MINOR);

    assertThat(us.journal().entries()).extracting(JournalEntry::detail)
        .noneMatch(d -> d.contains("(declaration #" + euOnly.id() + ")"));
    assertThat(fleet.group("eu").declaration()).contains(everyone);
    assertThat(fleet.group("us").declaration()).contains(everyone);
    assertThat(fleet.members()).extracting(FleetMember::group).containsExactly("eu", "us");
    assertThat(fleet.group("eu").members()).extracting(FleetMember::instance)
        .containsExactly("eu-1");
  }

  @Test
  void instanceJoiningMidIncident_adoptsTheDeclarationInForce() throws Exception {
    FleetDeclaration declared = fleet.declare(Severity.CRITICAL, "alice", "INC-1: data loss");

    Shop late = join("shop-late", fleet);

    Await.until("the late instance at CRITICAL",
        () -> late.manager().severity() == Severity.CRITICAL);
    Await.until("the adoption journalled", () -> late.journal().entries().stream()
        .anyMatch(e -> e.detail().contains("adopted on joining")));
    assertThat(late.instance().status().adoptedDeclaration()).hasValue(declared.id());
  }

  @Test
  void instanceJoiningAfterAClearing_leavesItsManagerAlone() throws Exception {
    fleet.declare(Severity.CRITICAL, "alice", "INC-1");
    FleetDeclaration cleared = fleet.clearDeclaration("alice", "over");
    IncidentJournal journal = IncidentJournal.create(64);
    CascadeManager manager = Instances.manager(journal);
    manager.declare(Severity.MINOR, "local operator", "canary");

    FleetInstance instance = Instances.fast(fleet, "shop-after").declarationsTo(manager)
        .journal(journal).start();
    started.add(instance);

    Await.until("seen the clearing",
        () -> instance.status().adoptedDeclaration().orElse(-1) == cleared.id());
    assertThat(manager.declaration()).map(Declaration::by).contains("local operator");
  }

  @Test
  void missedNotification_isMadeUpForByThePeriodicCheck() throws Exception {
    Shop shop = join("shop-1", fleet);
    awaitJoined(shop);

    // a declaration whose NOTIFY never came (as if sent while the listener was away)
    long id;
    try (Connection connection = DriverManager.getConnection(dataSource.url());
        PreparedStatement insert = connection.prepareStatement("INSERT INTO"
            + " breakglass_fleet_declarations (fleet, action, severity, declared_by, reason)"
            + " VALUES (?, 'declare', 'MAJOR', 'alice', 'no notification') RETURNING id")) {
      insert.setString(1, fleet.name());
      var rows = insert.executeQuery();
      rows.next();
      id = rows.getLong(1);
    }

    Await.until("adopted", () -> shop.journal().entries().stream().anyMatch(e -> e.detail()
        .contains("(declaration #" + id + "); adopted on the periodic check")));
    assertThat(shop.manager().severity()).isEqualTo(Severity.MAJOR);
    assertThat(shop.instance().status().adoptedDeclaration()).hasValue(id);
  }

  @Test
  void newestDeclarationWins_aFleetClearingClearsAGroupDeclarationMadeBefore() throws Exception {
    Shop eu = join("eu-1", fleet.group("eu"));
    awaitJoined(eu);
    fleet.group("eu").declare(Severity.CRITICAL, "alice", "eu outage");
    Await.until("eu at CRITICAL", () -> eu.manager().severity() == Severity.CRITICAL);

    fleet.clearDeclaration("bob", "all clear");

    Await.until("eu cleared", () -> eu.manager().declaration().isEmpty());
    assertThat(fleet.group("eu").declaration()).isEmpty();
  }

  @Test
  void declare_textPostgresCannotStore_isRefusedNamingIt() {
    assertThatThrownBy(() -> fleet.declare(Severity.MAJOR, "alice", "nul \u0000 here"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason must not contain U+0000, which PostgreSQL text cannot hold;"
            + " found at index 4");
    assertThatThrownBy(() -> fleet.declare(Severity.MAJOR, "al\uD800ice", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("by must be valid UTF-16: unpaired surrogate U+D800 at index 2");
    assertThatThrownBy(() -> fleet.declare(Severity.MAJOR, " ", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("by must not be blank, was ' '");
    assertThatThrownBy(() -> fleet.declare(Severity.MAJOR, "a".repeat(201), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("by must be at most 200 chars, was 201");
    assertThatThrownBy(() -> fleet.declare(null, "a", "x"))
        .isInstanceOf(NullPointerException.class).hasMessage("severity");
  }

  @Test
  void instanceWithoutAManager_recordsNoAdoption() throws Exception {
    FleetInstance bare = Instances.fast(fleet, "bare").start();
    started.add(bare);
    Await.until("connected", () -> bare.status().connected());
    fleet.declare(Severity.MAJOR, "alice", "x");
    Shop other = join("with-manager", fleet);
    Await.until("the other adopted", () -> other.manager().severity() == Severity.MAJOR);

    Optional<FleetMember> member = fleet.members().stream()
        .filter(m -> m.instance().equals("bare")).findFirst();
    assertThat(member).hasValueSatisfying(m -> assertThat(m.adoptedDeclaration()).isEmpty());
  }
}
