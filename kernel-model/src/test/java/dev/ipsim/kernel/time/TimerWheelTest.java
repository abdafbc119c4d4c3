package dev.ipsim.kernel.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** When a timer fires, on the wheel before Linux 4.8 and on today's. */
class TimerWheelTest {

    private static final VirtualClock OLD = new VirtualClock(0, TimerWheel.CASCADING);
    private static final VirtualClock NEW = new VirtualClock(0, TimerWheel.NON_CASCADING);

    @Test
    void aOneSecondTimerFiresOnItsOwnTickOnTheOldWheelAndAtItsBucketsEndToday() {
        // 250 ticks away at HZ=250: no slack then; today it sits in a bucket 8 ticks wide
        assertEquals(1250, Jiffies.wheelExpiry(OLD, 1000, 1250));
        assertEquals(1256, Jiffies.wheelExpiry(NEW, 1000, 1250));
    }

    @Test
    void theOldWheelAddsSlackToFarTimersOnly() {
        // apply_slack: delta / 256 ticks of slack, the expiry rounded to fewer low bits
        assertEquals(255, Jiffies.applySlack(0, 255));
        assertEquals(1024, Jiffies.applySlack(0, 1023));
        assertEquals(10208, Jiffies.applySlack(0, 10200)); // 10239 with the lowest five bits cleared
    }

    @Test
    void aTimerInThePastFiresNow() {
        assertEquals(100, Jiffies.wheelExpiry(OLD, 100, 90));
        assertEquals(100, Jiffies.wheelExpiry(NEW, 100, 90));
    }
}
