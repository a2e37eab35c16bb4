package org.jparallel.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jparallel.core.serial.Payloads;

/**
 * Frames for the protocol fuzz tests: valid frames of every type, mutations of them (bit flips,
 * overwritten, inserted and deleted bytes, truncation, a changed length or type), random bytes, and
 * the split of a byte stream into random chunks as a network would deliver it. Deterministic for a seed.
 */
public final class FuzzFrames {
    /** The number of frames the fuzz tests send: {@code -Djparallel.fuzz.frames=N}, default 100,000. */
    public static final int FRAMES = Integer.getInteger("jparallel.fuzz.frames", 100_000);
    /** The seed: {@code -Djparallel.fuzz.seed=N}, default fixed. */
    public static final long SEED = Long.getLong("jparallel.fuzz.seed", 0x4A50524CL);

    private static final EmbeddedChannel ENCODER = new EmbeddedChannel(new MessageEncoder());
    private static final byte[] BOMB = Payloads.serialize(new Bomb("boom"));

    private final Random random;

    /** @param random the source of every choice */
    public FuzzFrames(Random random) {
        this.random = random;
    }

    /** @return the serialized form of a {@link Bomb} */
    public static byte[] bomb() {
        return BOMB.clone();
    }

    /** @return the wire bytes of one message */
    public static byte[] encode(Message m) {
        ENCODER.writeOutbound(m);
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ENCODER.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        return out;
    }

    /** @return {@code n} random bytes */
    public byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** @return a valid message of a random type, payloads often a {@link Bomb} */
    public Message anyMessage() {
        byte[] payload = random.nextInt(3) == 0 ? randomBytes(random.nextInt(64)) : bomb();
        return switch (random.nextInt(13)) {
            case 0 -> new Message.Hello(MessageEncoder.VERSION, random.nextInt(5), random.nextLong(), "h", "17", randomBytes(32));
            case 1 -> new Message.Challenge(randomBytes(32), randomBytes(32));
            case 2 -> new Message.Proof(randomBytes(32));
            case 3 -> welcome(random.nextBoolean() ? "" : "!*");
            case 4 -> new Message.Reject("no");
            case 5 -> new Message.Setup(random.nextInt(4), payload);
            case 6 -> new Message.Task(random.nextInt(100), random.nextInt(4), payload);
            case 7 -> new Message.Result(random.nextInt(100), payload);
            case 8 -> new Message.Failure(random.nextInt(100), payload);
            case 9 -> new Message.Release(random.nextInt(4));
            case 10 -> new Message.Cancel(random.nextInt(100), random.nextBoolean());
            case 11 -> Message.Heartbeat.INSTANCE;
            default -> Message.Shutdown.INSTANCE;
        };
    }

    /** @return a WELCOME with the serial filter {@code filter}, from a manager that can be resumed or not */
    public Message.Welcome welcome(String filter) {
        return new Message.Welcome(1000, 5000, 1 << 20, filter, random.nextBoolean());
    }

    /** @return {@code frame} with one to four random mutations */
    public byte[] mutate(byte[] frame) {
        List<Byte> b = new ArrayList<>(frame.length + 8);
        for (byte x : frame) {
            b.add(x);
        }
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(7)) {
                case 0 -> { // flip a bit
                    if (!b.isEmpty()) {
                        int at = random.nextInt(b.size());
                        b.set(at, (byte) (b.get(at) ^ (1 << random.nextInt(8))));
                    }
                }
                case 1 -> { // overwrite a byte
                    if (!b.isEmpty()) {
                        b.set(random.nextInt(b.size()), (byte) random.nextInt(256));
                    }
                }
                case 2 -> b.add(random.nextInt(b.size() + 1), (byte) random.nextInt(256));
                case 3 -> { // delete a byte
                    if (!b.isEmpty()) {
                        b.remove(random.nextInt(b.size()));
                    }
                }
                case 4 -> { // truncate
                    if (!b.isEmpty()) {
                        b.subList(random.nextInt(b.size()), b.size()).clear();
                    }
                }
                case 5 -> { // another length: interesting values and random ones
                    if (b.size() >= 4) {
                        int[] lengths = {0, 1, -1, 2047, 2048, 2049, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE,
                            b.size() - 5, b.size() - 3, random.nextInt()};
                        int len = lengths[random.nextInt(lengths.length)];
                        b.set(0, (byte) (len >>> 24));
                        b.set(1, (byte) (len >>> 16));
                        b.set(2, (byte) (len >>> 8));
                        b.set(3, (byte) len);
                    }
                }
                default -> { // another type
                    if (b.size() >= 5) {
                        int[] types = {0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 255};
                        b.set(4, (byte) types[random.nextInt(types.length)]);
                    }
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    /** @return {@code data} cut into one or more chunks of random sizes, in order */
    public List<byte[]> chunks(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int n = random.nextInt(4) == 0 ? data.length - at : 1 + random.nextInt(Math.max(1, data.length - at));
            byte[] c = new byte[Math.min(n, data.length - at)];
            System.arraycopy(data, at, c, 0, c.length);
            out.add(c);
            at += c.length;
        }
        return out;
    }

    /** @return the random source */
    public Random random() {
        return random;
    }
}
