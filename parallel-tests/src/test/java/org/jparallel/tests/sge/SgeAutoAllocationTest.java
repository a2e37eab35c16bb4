package org.jparallel.tests.sge;

import org.jparallel.tests.AutoAllocationOnScheduler;

/** Automatic allocation of qsub array jobs on the real Grid Engine cell, from a properties file. */
class SgeAutoAllocationTest extends AutoAllocationOnScheduler {
    SgeAutoAllocationTest() {
        super(SgeCell.CELL, "sge");
    }
}
