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
}
