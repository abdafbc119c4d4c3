package dev.ipsim.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipsim.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks sharing the CPU over virtual time, the way a script runs them: whoever waits drives the
 * clock, and tasks run in the order their waits end.
 */
@Timeout(10)
class SchedulerTest {

    private static final long SECOND = 1_000_000_000L;
    private final Kernel kernel = new Kernel(1, 0, 1);
    private final Scheduler scheduler = kernel.scheduler();
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void leave() {
        scheduler.detach();
    }

    private void note(String what) {
        log.add(kernel.clock().nanos() / 1_000_000 + "ms " + what);
    }

    @Test
    void aBackgroundTaskRunsWhileTheForegroundWaitsInTimeOrder() {
        scheduler.attach(4242, "sh");
        Task child = scheduler.spawn(scheduler.nextPid(), "ticker", t -> {
            for (int i = 0; i < 3; i++) {
                kernel.advance(SECOND);
                note("tick " + i);
            }
            return 3;
        });
        note("spawned");
        kernel.advance(SECOND / 2);
        note("half");
        kernel.advance(3 * SECOND);
        note("done");
        assertEquals(List.of("0ms spawned", "500ms half", "1000ms tick 0", "2000ms tick 1", "3000ms tick 2",
                "3500ms done"), log);
        assertEquals(Task.State.EXITED, child.state());
        assertEquals(3, child.status());
    }

    @Test
    void terminateEndsATaskInItsWaitWithStatus143() {
        scheduler.attach(4242, "sh");
        Task child = scheduler.spawn(scheduler.nextPid(), "sleep", t -> {
            kernel.advance(100 * SECOND);
            note("never");
            return 0;
        });
        kernel.advance(SECOND);
        assertTrue(scheduler.signal(child, Signal.TERM.number()));
        kernel.runUntil(Long.MAX_VALUE, () -> child.state() == Task.State.EXITED);
        assertEquals(143, child.status());
        assertEquals(Signal.TERM.number(), child.termSignal());
        assertEquals(List.of(), log);
        assertFalse(scheduler.signal(child, Signal.TERM.number()));
    }

    @Test
    void aCaughtSignalEndsTheWaitAndWaitsToBeTaken() {
        scheduler.attach(4242, "sh");
        Task child = scheduler.spawn(scheduler.nextPid(), "capture", t -> {
            t.catchSignal(Signal.INT.number());
            kernel.runUntil(Long.MAX_VALUE, () -> false);
            note("handler " + t.takeSignal());
            return 0;
        });
        kernel.advance(SECOND);
        scheduler.signal(child, Signal.INT.number());
        kernel.runUntil(Long.MAX_VALUE, () -> child.state() == Task.State.EXITED);
        assertEquals(List.of("1000ms handler 2"), log);
        assertEquals(0, child.status());
    }

    @Test
    void aStoppedTaskMissesItsTimersUntilContinued() {
        scheduler.attach(4242, "sh");
        List<Task.State> seen = new ArrayList<>();
        Task child = scheduler.spawn(scheduler.nextPid(), "sleep", t -> {
            kernel.advance(2 * SECOND);
            note("woke");
            return 0;
        });
        child.addListener(t -> seen.add(t.state()));
        kernel.advance(SECOND);
        scheduler.signal(child, Signal.TSTP.number());
        kernel.advance(5 * SECOND);
        assertEquals(List.of(), log);
        scheduler.signal(child, Signal.CONT.number());
        kernel.advance(SECOND);
        assertEquals(List.of("6000ms woke"), log);
        assertEquals(List.of(Task.State.STOPPED, Task.State.RUNNING, Task.State.EXITED), seen);
    }

    @Test
    void ignoredSignalsAreInheritedAndDropped() {
        Task sh = scheduler.attach(4242, "sh");
        sh.ignoreSignal(Signal.INT.number());
        Task child = scheduler.spawn(scheduler.nextPid(), "sleep", t -> {
            kernel.advance(2 * SECOND);
            return 0;
        });
        kernel.advance(SECOND);
        scheduler.signal(child, Signal.INT.number());
        kernel.advance(2 * SECOND);
        assertEquals(Task.State.EXITED, child.state());
        assertEquals(0, child.status());
    }

    @Test
    void signalNamesAndNumbersAsKillLists() {
        assertEquals("TERM", Signal.nameOf(15));
        assertEquals("RTMIN", Signal.nameOf(34));
        assertEquals("RTMIN+15", Signal.nameOf(49));
        assertEquals("RTMAX-14", Signal.nameOf(50));
        assertEquals("RTMAX", Signal.nameOf(64));
        assertEquals(null, Signal.nameOf(32));
        assertEquals(15, Signal.numberOf("sigterm"));
        assertEquals(35, Signal.numberOf("RTMIN+1"));
        assertEquals(-1, Signal.numberOf("nosuch"));
    }
}
