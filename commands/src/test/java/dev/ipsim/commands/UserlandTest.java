package dev.ipsim.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The version boundaries the tools' differences are drawn at. */
class UserlandTest {

    @Test
    void versionsCompareAsTheirMaintainersNumberThem() {
        assertTrue(Version.of("s20161105").atLeast("20161105"));
        assertFalse(Version.of("s20121221").atLeast("20161105"));
        assertFalse(Version.of("20160308").atLeast("20161105"));
        assertTrue(Version.of("4.11.0").compareTo(Version.of("4.13")) < 0);
        assertTrue(Version.of("6.1.0").atLeast("4.13"));
        assertTrue(Version.of("4.99.3").atLeast("4.99"));
        assertFalse(Version.of("4.9.2").atLeast("4.99"));
    }

    @Test
    void eachToolChangeFallsWhereItsHistorySays() {
        Userland debian8 = Userland.of("3.16.0", "s20121221", "4.9.2", "1.60", "215");
        assertFalse(debian8.pingBindsIcmpSocket());
        assertEquals("use -v or -vv for full protocol decode", debian8.tcpdumpVerboseHint());
        assertEquals("capture size", debian8.tcpdumpSnaplenWords());
        assertEquals("gateway", debian8.myhostnameGatewayName());
        assertTrue(Userland.CURRENT.pingBindsIcmpSocket());
        assertTrue(Userland.CURRENT.ipAddressFlagTable());
        assertFalse(Userland.of("4.11.0", "20160308", "4.9.2", "2.0", "219").ipAddressFlagTable());
        assertEquals("_gateway", Userland.CURRENT.myhostnameGatewayName());
        assertEquals("snapshot length", Userland.CURRENT.tcpdumpSnaplenWords());
    }

    @Test
    void versionPartsAsTheRegularExpressionsSplitThem() {
        for (String text : new String[] {"6.1.0", "s20121221", "20221126", "4.99.3", "1.60+git20181103", "2.10",
                "4.11.0-rc1", "v1..2", "1.2.", "1.2..", "...", "", "abc", "3~beta+4", "-1", "12a.3b4.c", "0.0.0"}) {
            String digits = text.replaceFirst("^[^0-9]+", "");
            String[] p = digits.split("[.\\-+~]");
            int[] want = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                String d = p[i].replaceFirst("[^0-9].*$", "");
                want[i] = d.isEmpty() ? 0 : Integer.parseInt(d);
            }
            assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(Version.of(text).parts()), text);
        }
    }
}
