package org.jparallel.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.jparallel.core.leaks.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A batch written through FrameBatch is byte for byte what the encoder writes one message at a time. */
@ExtendWith(NoLeaks.class)
class FrameBatchTest {
    private static final byte[] BIG = new byte[MessageEncoder.INLINE_PAYLOAD_MAX + 1];

    @Test
    void smallRepliesShareOneBufferAndTheBytesAreTheEncodersOwn() {
        List<Message> batch = List.of(
                new Message.Task(9, 2, new byte[] {7, 8}),
                new Message.Result(1, 10, new byte[] {1, 2, 3}, false),
                new Message.Result(2, 11, new byte[] {4}, true),
                new Message.Failure(3, new byte[] {5, 6}),
                new Message.Result(4, 12, BIG, false), // too big to copy: goes on its own
                new Message.Result(5, 13, new byte[0], false),
                Message.Heartbeat.INSTANCE);

        EmbeddedChannel batched = new EmbeddedChannel(new MessageEncoder());
        FrameBatch.write(batched, batch);
        batched.flush();
        int[] buffers = {0};
        byte[] got = drain(batched, buffers);

        EmbeddedChannel single = new EmbeddedChannel(new MessageEncoder());
        batch.forEach(single::writeOutbound);
        byte[] expected = drain(single, new int[1]);

        assertArrayEquals(expected, got);
        // the task and 1-3 in one buffer; 4 as its header and its wrapped payload; 5 in a new buffer; the heartbeat alone
        assertEquals(5, buffers[0]);
    }

    @Test
    void aLongBatchOfMixedSizesIsTheEncodersBytesInOrder() {
        List<Message> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) { // more than the array the frames are put together in holds
            byte[] payload = new byte[i % 7 == 0 ? 256 + i % 3 : i % 300]; // both sides of the copy limit
            java.util.Arrays.fill(payload, (byte) i);
            batch.add(switch (i % 5) {
                case 0 -> new Message.Task(i, i % 4, payload);
                case 1 -> new Message.Setup(i, payload);
                case 2 -> new Message.Failure(-i, payload);
                default -> new Message.Result(Long.MAX_VALUE - i, i * 1000, payload, i % 2 == 0);
            });
            if (i % 150 == 149) {
                batch.add(new Message.Result(i, 1, BIG, false)); // not inlined: goes on its own, in order
            }
        }
        EmbeddedChannel batched = new EmbeddedChannel(new MessageEncoder());
        FrameBatch.write(batched, batch);
        batched.flush();
        EmbeddedChannel single = new EmbeddedChannel(new MessageEncoder());
        batch.forEach(single::writeOutbound);
        assertArrayEquals(drain(single, new int[1]), drain(batched, new int[1]));
    }

    @Test
    void anEmptyBatchWritesNothing() {
        EmbeddedChannel ch = new EmbeddedChannel(new MessageEncoder());
        FrameBatch.write(ch, List.of());
        ch.flush();
        assertEquals(0, drain(ch, new int[1]).length);
    }

    private static byte[] drain(EmbeddedChannel ch, int[] buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            buffers[0]++;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.writeBytes(bytes);
            b.release();
        }
        return out.toByteArray();
    }
}
