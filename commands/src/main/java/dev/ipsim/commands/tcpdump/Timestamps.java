package dev.ipsim.commands.tcpdump;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * {@code ts_print}: the time stamp that starts each line, by the number of {@code -t}s: the
 * local time of day ({@code 20:20:18.285230}), none ({@code -t}), Unix seconds ({@code -tt}),
 * the time since the previous packet ({@code -ttt}), the date and time ({@code -tttt}), or the
 * time since the first packet ({@code -ttttt}). Microseconds, as tcpdump's default precision.
 */
final class Timestamps {

    private final int tflag;
    private final ZoneId zone;
    private boolean refSet;
    private long refSec;
    private long refUsec;

    Timestamps(int tflag, ZoneId zone) {
        this.tflag = tflag;
        this.zone = zone;
    }

    /** The stamp and its trailing space (nothing for {@code -t}). */
    String print(long sec, long usec) {
        switch (tflag) {
            case 0:
                return hms(sec, usec, false, zone) + " ";
            case 1:
                return "";
            case 2:
                return (sec & 0xFFFFFFFFL) + String.format(".%06d", usec) + " ";
            case 3:
            case 5: {
                if (!refSet) {
                    refSec = sec;
                    refUsec = usec;
                    refSet = true;
                }
                long t = sec * 1_000_000L + usec;
                long ref = refSec * 1_000_000L + refUsec;
                boolean negative = t < ref;
                long d = Math.abs(t - ref);
                String s = (negative ? "-" : " ") + hms(d / 1_000_000L, d % 1_000_000L, false, ZoneId.of("UTC"))
                        + " ";
                if (tflag == 3) {
                    refSec = sec;
                    refUsec = usec;
                }
                return s;
            }
            case 4:
            default:
                return hms(sec, usec, true, zone) + " ";
        }
    }

    /** {@code ts_date_hmsfrac_print}. */
    private static String hms(long sec, long usec, boolean date, ZoneId zone) {
        if ((sec & 0x80000000L) != 0) {
            return "[Error converting time]";
        }
        ZonedDateTime t = Instant.ofEpochSecond(sec).atZone(zone);
        String s = date ? String.format("%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond())
                : String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        return s + String.format(".%06d", usec);
    }
}
