package org.jparallel.sge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jparallel.spi.DoctorCheck;
import org.junit.jupiter.api.Test;

/** Reading {@code qconf -sp smp} for the doctor: the PE that gives a multi-slot worker its cores. */
class PeCheckTest {

    @Test
    void anSmpEnvironmentWithPeSlotsPasses() {
        String out = "pe_name            smp\nslots              999\nallocation_rule    $pe_slots\ncontrol_slaves     TRUE\n";
        assertEquals(DoctorCheck.Status.OK, PeCheck.judge(0, out, 4).status());
    }

    @Test
    void aMissingEnvironmentFailsNamingItAndTheFix() {
        DoctorCheck.Result r = PeCheck.judge(1, "\"smp\" is not a parallel environment", 4);
        assertEquals(DoctorCheck.Status.FAIL, r.status());
        assertTrue(r.detail().contains("no parallel environment smp"), r.detail());
        assertTrue(r.fix().contains("jparallel.sge.pe"), r.fix());
    }

    @Test
    void anEnvironmentThatSpreadsSlotsOverHostsWarns() {
        String out = "pe_name            smp\nslots              999\nallocation_rule    $round_robin\n";
        assertEquals(DoctorCheck.Status.WARN, PeCheck.judge(0, out, 4).status());
    }
}
