package org.jparallel.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jparallel.core.protocol.Message;
import org.jparallel.spi.ClassSharingTraining;
import org.junit.jupiter.api.Test;

/** The names the local backend uses for core's classes ({@link ClassSharingTraining}) are those of the classes. */
class ClassSharingTrainingNamesTest {
    @Test
    void eachNameIsTheClassItNames() {
        assertEquals(ClassSharingTrainer.class.getName(), ClassSharingTraining.MAIN_CLASS);
        assertEquals(WorkerMain.class.getName(), ClassSharingTraining.WORKER_MAIN_CLASS);
        assertEquals(Message.Result.class.getName(), ClassSharingTraining.FIRST_RESULT_CLASS);
        assertEquals(WorkerMain.EXIT_STARTER_GONE, ClassSharingTraining.EXIT_STARTER_GONE);
    }
}
