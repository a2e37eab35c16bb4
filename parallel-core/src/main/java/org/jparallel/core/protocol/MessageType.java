package org.jparallel.core.protocol;

/** The type byte of each frame; the numbers are part of the wire format and never change. */
public enum MessageType {
    /** See {@link Message.Hello}. */
    HELLO(1, true),
    /** See {@link Message.Challenge}. */
    CHALLENGE(2, true),
    /** See {@link Message.Proof}. */
    PROOF(3, true),
    /** See {@link Message.Welcome}. */
    WELCOME(4, true),
    /** See {@link Message.Reject}. */
    REJECT(5, true),
    /** See {@link Message.Setup}. */
    SETUP(10, false),
    /** See {@link Message.Task}. */
    TASK(11, false),
    /** See {@link Message.Result}. */
    RESULT(12, false),
    /** See {@link Message.Failure}. */
    FAILURE(13, false),
    /** See {@link Message.Release}. */
    RELEASE(14, false),
    /** See {@link Message.Cancel}. */
    CANCEL(15, false),
    /** See {@link Message.Shape}. */
    SHAPE(16, false),
    /** See {@link Message.Heartbeat}. */
    HEARTBEAT(20, false),
    /** See {@link Message.Shutdown}. */
    SHUTDOWN(21, false);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final boolean handshake;

    MessageType(int code, boolean handshake) {
        this.code = code;
        this.handshake = handshake;
    }

    /** @return the byte on the wire */
    public int code() {
        return code;
    }

    /** @return true for the types allowed before authentication */
    public boolean isHandshake() {
        return handshake;
    }

    /** @return the type with that code, or {@code null} for an unknown code */
    public static MessageType of(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }
}
