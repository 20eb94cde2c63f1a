package dev.switchboard.chat.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.chat.internal.history.ChatHistory.NewMessage;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.tenancy.TenantContext;
import tools.jackson.databind.JsonNode;

/**
 * The history store against the real database: a turn's messages appended in two statements come back exactly as a later
 * read sees them, numbered after every earlier one, also when turns of one session are appended concurrently; the session
 * read with its recent messages in one statement equals the two separate reads.
 */
@IntegrationTest
class ChatHistoryIntegrationTests extends ApiTestSupport {

    @Autowired
    ChatHistory history;

    @Autowired
    TransactionTemplate transactions;

    Session user;
    UUID personaId;

    @BeforeEach
    void setUp() {
        Session admin = accounts.newTenantAdmin();
        personaId = UUID.fromString(HttpTestClient.json(accounts.send(admin, "POST", "/api/personas",
                "{\"slug\":\"keeper\",\"name\":\"Keeper\"}")).path("id").asString());
        user = accounts.newUser(admin, "MEMBER");
    }

    <T> T inTenant(Supplier<T> work) {
        return TenantContext.callAs(user.tenantId(), () -> transactions.execute(status -> work.get()));
    }

    ChatSession newSession() {
        Instant now = Instant.now();
        return inTenant(() -> history.create(user.userId(), personaId, "t", now, now.plus(1, ChronoUnit.DAYS)));
    }

    static List<NewMessage> turn(String question, String answer) {
        return List.of(NewMessage.user(question, ChatMessage.COMPLETE, null, 3),
                NewMessage.tool(ChatMessage.TOOL_CALL, "{\"q\":1}", 3, new ChatMessage.ToolPart("search", "call-1", null, "sig")),
                NewMessage.tool(ChatMessage.TOOL_RESULT, "found", 3, new ChatMessage.ToolPart("search", "call-1", true, null)),
                new NewMessage(ChatMessage.ASSISTANT, answer, ChatMessage.COMPLETE, null, 3, "fake:model", false, 12, 7, 210,
                        List.of(new MessageCitation(1, UUID.randomUUID(), "doc.md", UUID.randomUUID().toString(), "p. 2", "a quote")),
                        null));
    }

    @Test
    void appendedMessagesAreReturnedAsTheyAreStoredAndNumberedAfterTheEarlierOnes() {
        ChatSession session = newSession();
        Instant now = Instant.parse("2026-12-05T01:02:03.123456789Z");
        Instant expires = now.plus(1, ChronoUnit.DAYS);
        List<ChatMessage> first = inTenant(() -> history.append(session.id(), turn("one?", "One."), now, expires));
        List<ChatMessage> second = inTenant(() -> history.append(session.id(), turn("two?", "Two."), now, expires));

        assertThat(first).extracting(ChatMessage::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(second).extracting(ChatMessage::seq).containsExactly(5L, 6L, 7L, 8L);
        List<ChatMessage> stored = inTenant(() -> history.range(session.id(), 1, 8));
        List<ChatMessage> returned = new ArrayList<>(first);
        returned.addAll(second);
        assertThat(returned).isEqualTo(stored);
        assertThat(stored.get(3).citations()).singleElement().extracting(MessageCitation::quote).isEqualTo("a quote");
        assertThat(stored.get(1).tool().signature()).isEqualTo("sig");
        assertThat(stored.get(2).tool().error()).isTrue();
        assertThat(stored.getFirst().createdAt()).isEqualTo(now.truncatedTo(ChronoUnit.MICROS));
        ChatSession bumped = inTenant(() -> history.session(session.id(), user.userId()).orElseThrow());
        assertThat(bumped.lastActivityAt()).isEqualTo(now.truncatedTo(ChronoUnit.MICROS));
        // The database keeps microseconds (rounding the rest).
        assertThat(bumped.expiresAt()).isCloseTo(expires, within(1, ChronoUnit.MICROS));
    }

    @Test
    void concurrentTurnsOfOneSessionQueueUpInsteadOfInterleaving() throws Exception {
        ChatSession session = newSession();
        int turns = 12;
        List<Future<List<ChatMessage>>> appended = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < turns; i++) {
                String question = "q" + i;
                appended.add(pool.submit(() -> inTenant(() -> history.append(session.id(), turn(question, "a"), Instant.now(),
                        Instant.now().plus(1, ChronoUnit.DAYS)))));
            }
            for (Future<List<ChatMessage>> turn : appended) {
                List<ChatMessage> messages = turn.get();
                // A turn's four messages are numbered one after another.
                assertThat(messages.getLast().seq() - messages.getFirst().seq()).isEqualTo(3);
                assertThat(messages.getFirst().seq() % 4).isEqualTo(1);
            }
        }
        List<ChatMessage> stored = inTenant(() -> history.range(session.id(), 1, 1_000));
        assertThat(stored).extracting(ChatMessage::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 4L * turns).boxed().toList());
    }

    @Test
    void anUnknownSessionTakesNoMessages() {
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> inTenant(() -> history.append(unknown, turn("q", "a"), Instant.now(), Instant.now())))
                .isInstanceOf(EmptyResultDataAccessException.class);
    }

    @Test
    void theSessionWithItsRecentMessagesIsWhatTheTwoReadsGive() {
        ChatSession session = newSession();
        for (int i = 0; i < 5; i++) {
            String question = "q" + i;
            inTenant(() -> history.append(session.id(), turn(question, "a"), Instant.now(), Instant.now().plus(1, ChronoUnit.DAYS)));
        }
        ChatHistory.SessionWithRecent both = inTenant(() -> history.sessionWithRecent(session.id(), user.userId(), 7).orElseThrow());
        assertThat(both.session()).isEqualTo(inTenant(() -> history.session(session.id(), user.userId()).orElseThrow()));
        assertThat(both.recent()).isEqualTo(inTenant(() -> history.recent(session.id(), 7)));
        assertThat(both.recent()).extracting(ChatMessage::seq).containsExactly(14L, 15L, 16L, 17L, 18L, 19L, 20L);

        ChatSession empty = newSession();
        ChatHistory.SessionWithRecent none = inTenant(() -> history.sessionWithRecent(empty.id(), user.userId(), 7).orElseThrow());
        assertThat(none.session().id()).isEqualTo(empty.id());
        assertThat(none.recent()).isEmpty();

        assertThat(inTenant(() -> history.sessionWithRecent(session.id(), UUID.randomUUID(), 7))).isEmpty();
        inTenant(() -> {
            history.delete(session.id());
            return null;
        });
        assertThat(inTenant(() -> history.sessionWithRecent(session.id(), user.userId(), 7))).isEmpty();
    }

    @Test
    void sessionsSharingTheirLastActivityArePagedEachExactlyOnce() {
        // Two turns in one microsecond, or an import, give sessions the same last activity: only the id orders them.
        Instant same = Instant.parse("2026-12-05T01:02:03.123456Z");
        Instant later = same.plusSeconds(60);
        List<ChatSession> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(inTenant(() -> history.create(user.userId(), personaId, "ledger", same, same.plus(1, ChronoUnit.DAYS))));
        }
        created.add(inTenant(() -> history.create(user.userId(), personaId, "ledger", later, later.plus(1, ChronoUnit.DAYS))));
        List<String> expected = created.stream()
                // PostgreSQL orders uuids as unsigned bytes, as their text sorts (java.util.UUID compares signed longs).
                .sorted(Comparator.comparing(ChatSession::lastActivityAt).thenComparing(session -> session.id().toString()).reversed())
                .map(session -> session.id().toString()).toList();

        assertThat(pages(user, "")).as("listed").containsExactlyElementsOf(expected);
        assertThat(pages(user, "&q=ledger")).as("searched").containsExactlyElementsOf(expected);
    }

    /** Every session of the user's list, following {@code next} with pages of two. */
    List<String> pages(Session caller, String query) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> response = accounts.send(caller, "GET", "/api/sessions?limit=2" + query
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = HttpTestClient.json(response);
            page.path("sessions").forEach(session -> ids.add(session.path("id").asString()));
            cursor = page.path("next").isMissingNode() ? null : page.path("next").asString();
        } while (cursor != null);
        return ids;
    }
}
