package org.jparallel.core.serial;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.nio.ByteBuffer;
import org.jparallel.JParallelException;

/**
 * Java serialization of tasks, setups and results, with an {@link ObjectInputFilter} on every read
 * (limits on depth, references and array sizes, and the class filter of {@link SerialFilter}) and
 * class resolution through a given class loader, so user classes and lambdas resolve the same on
 * the manager and on workers.
 *
 * <p>It is only ever called on bytes from an authenticated peer.
 */
public final class Payloads {
    /** The default read limits; see {@link SerialFilter} for the class filter that comes with them. */
    public static final String DEFAULT_FILTER = SerialFilter.LIMITS;


    private Payloads() {
    }

    /**
     * @param value the object to write
     * @return its serialized form
     * @throws JParallelException when the value (or something it refers to) is not serializable
     */
    public static byte[] serialize(Object value) {
        try {
            return PayloadWriter.write(value);
        } catch (NotSerializableException e) {
            throw notSerializable(value, e);
        } catch (IOException e) {
            throw new JParallelException("Cannot serialize " + describe(value) + ": " + e, e);
        }
    }

    /**
     * Writes a task as the manager keeps and sends it: big {@code byte[]}s it refers to are attached
     * rather than serialized (see {@link PayloadFormat#WITH_ARRAYS}), copied once; lambda shapes are
     * referred to by number (see {@link ShapeBook}); and a payload of {@code directFrom} bytes or more
     * is put outside the heap (when direct memory allows).
     *
     * @param value the task
     * @param directFrom the size from which the payload goes into a direct buffer
     * @return the payload and the shapes it refers to
     * @throws JParallelException when the value (or something it refers to) is not serializable
     */
    public static SendablePayload serializeForSending(Object value, int directFrom) {
        try {
            return PayloadWriter.writeForSending(value, directFrom);
        } catch (NotSerializableException e) {
            throw notSerializable(value, e);
        } catch (IOException e) {
            throw new JParallelException("Cannot serialize " + describe(value) + ": " + e, e);
        }
    }

    private static JParallelException notSerializable(Object value, NotSerializableException e) {
        return new JParallelException("Cannot serialize " + describe(value) + ": class " + e.getMessage()
                + " is not Serializable. Tasks, setups and results, and everything they capture, must be "
                + "Serializable (a lambda captures the variables it uses, and 'this' when it uses a field).", e);
    }

    /**
     * Reads with the default filter (limits and the reject-list).
     *
     * @param data serialized bytes
     * @param loader the class loader that resolves user classes
     * @return the object
     * @throws IOException when the bytes are not a valid stream or a filter limit is hit
     * @throws ClassNotFoundException when a class is missing from the loader
     */
    public static Object deserialize(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        return deserialize(data, loader, SerialFilter.defaults());
    }

    /**
     * @param data serialized bytes
     * @param loader the class loader that resolves user classes
     * @param filter the filter every class and limit is checked against
     * @return the object
     * @throws RejectedClassException when the filter refuses a class or a limit is hit; the message
     *     names the class and the key that allows it
     * @throws IOException when the bytes are not a valid stream
     * @throws ClassNotFoundException when a class is missing from the loader
     */
    public static Object deserialize(byte[] data, ClassLoader loader, SerialFilter filter)
            throws IOException, ClassNotFoundException {
        return deserialize(data, PayloadFormat.NO_ARRAYS, loader, filter);
    }

    /**
     * Reads a task whose attached arrays a decoder split off as they arrived (see
     * {@link #serializeForSending}).
     *
     * @param data the payload without its arrays
     * @param arrays the arrays, in the order the payload names them
     * @param loader the class loader that resolves user classes
     * @param filter the filter every class, array and limit is checked against
     * @return the object
     * @throws RejectedClassException when the filter refuses a class or a limit is hit
     * @throws IOException when the bytes are not a valid stream
     * @throws ClassNotFoundException when a class is missing from the loader
     */
    public static Object deserialize(byte[] data, byte[][] arrays, ClassLoader loader, SerialFilter filter)
            throws IOException, ClassNotFoundException {
        return deserialize(data, arrays, null, loader, filter);
    }

    /**
     * Reads a task as a worker receives it: its attached arrays split off, and the lambda shapes it may
     * refer to by number.
     *
     * @param shapes the shapes the manager sent on this connection
     */
    public static Object deserialize(byte[] data, byte[][] arrays, ShapeBook shapes, ClassLoader loader,
            SerialFilter filter) throws IOException, ClassNotFoundException {
        if (data.length > 0 && PayloadFormat.isPlainValue(data[0])) {
            try {
                return PayloadReader.read(data, arrays, shapes, loader, filter.quiet(), false);
            } catch (IOException e) {
                // read again below, with a check that records what it refused
            }
        } else if (data.length > 0 && data[0] == PayloadFormat.LAMBDA) {
            // the shared check, which the reader's classes remember the verdicts of (a fresh check a
            // task was two filter passes and an object a task)
            try {
                return PayloadReader.read(data, arrays, shapes, loader, filter.quiet(), filter.streamReusable());
            } catch (IOException e) {
                // read again below, with a check that records what it refused
            }
        }
        SerialFilter.Check check = filter.check();
        try {
            return PayloadReader.read(data, arrays, shapes, loader, check, filter.streamReusable());
        } catch (IOException e) {
            throw refusal(check, e);
        }
    }

    /**
     * A {@code byte[]} value that arrived as itself rather than as a payload: checked against the
     * filter as a payload of it would be.
     *
     * @param bytes the value
     * @param filter the filter every class and limit is checked against
     * @return {@code bytes}
     * @throws RejectedClassException when the filter refuses it
     */
    public static byte[] bytesValue(byte[] bytes, SerialFilter filter) throws IOException {
        SerialFilter.Check check = filter.check();
        try {
            ClassCheck.require(check, byte[].class, bytes.length);
        } catch (IOException e) {
            throw refusal(check, e);
        }
        return bytes;
    }

    private static IOException refusal(SerialFilter.Check check, IOException e) {
        if (check.rejected() != null) {
            return new RejectedClassException("deserialization refused " + check.rejected()
                    + ". To allow it, put a pattern such as '" + (check.rejectedClass() != null
                    ? check.rejectedClass() : "maxdepth=N;maxrefs=N;maxarray=N") + "' first in "
                    + SerialFilter.KEY + " (ManagerBuilder.serialFilter)");
        }
        return e;
    }

    /**
     * Reads a {@link RemoteFailure} and nothing else: no other class is accepted.
     *
     * @param data serialized bytes
     * @return the failure
     * @throws IOException when the bytes are not a serialized remote failure
     */
    public static RemoteFailure deserializeFailure(byte[] data) throws IOException {
        try {
            return (RemoteFailure) PayloadReader.read(data, Payloads.class.getClassLoader(), FailureFilter.FILTER, false);
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IOException("not a serialized remote failure: " + e, e);
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /**
     * The filter of failure payloads, made on first use: making it sets up the JDK's filter
     * configuration, which a worker that has not failed a task does not need (see {@link ReaderClasses}).
     */
    private static final class FailureFilter {
        static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
                "maxdepth=200;maxrefs=1000000;maxbytes=67108864;maxarray=10000000;"
                + RemoteFailure.class.getName() + ";java.lang.StackTraceElement;java.lang.String;!*");
    }
}
