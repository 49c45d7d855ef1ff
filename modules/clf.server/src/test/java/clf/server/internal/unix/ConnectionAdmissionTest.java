package clf.server.internal.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clf.server.internal.unix.ConnectionAdmission.Verdict;
import org.junit.jupiter.api.Test;

class ConnectionAdmissionTest {
    static final long ALICE = 4242;
    static final long BOB = 4243;
    static final long ROOT = 0;

    @Test
    void oneUserAtItsCapLeavesTheRestToOthers() {
        ConnectionAdmission admission = new ConnectionAdmission(10, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(Verdict.ADMITTED, admission.admit(ALICE, false));
        }
        assertEquals(Verdict.USER_AT_CAP, admission.admit(ALICE, false));
        assertEquals(Verdict.ADMITTED, admission.admit(BOB, false));
        assertEquals(4, admission.heldBy(ALICE));
        assertEquals(5, admission.open(), "the refused connection took no place");

        admission.release(ALICE);
        assertEquals(Verdict.ADMITTED, admission.admit(ALICE, false), "a place freed is a place to take");
    }

    @Test
    void operatorsAreExemptFromThePerUserCapButNotFromTheTotal() {
        ConnectionAdmission admission = new ConnectionAdmission(6, 2);
        for (int i = 0; i < 6; i++) {
            assertEquals(Verdict.ADMITTED, admission.admit(ROOT, true));
        }
        assertEquals(Verdict.ALL_TAKEN, admission.admit(ROOT, true));
        assertEquals(Verdict.ALL_TAKEN, admission.admit(BOB, false));
        admission.release(ROOT);
        assertEquals(Verdict.ADMITTED, admission.admit(BOB, false));
    }

    @Test
    void releasingAnUnknownUserChangesNothing() {
        ConnectionAdmission admission = new ConnectionAdmission(3, 1);
        admission.admit(ALICE, false);
        admission.release(BOB);
        assertEquals(1, admission.open());
    }

    @Test
    void theTotalMustExceedThePerUserCap() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionAdmission(32, 32));
    }
}
