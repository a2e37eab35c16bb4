package org.jparallel.core.serial;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.Status;

/**
 * The deserialization filter of task, setup and result payloads: the size limits, then the user's
 * pattern ({@code jparallel.security.serial-filter}), then jparallel's reject-list of packages with
 * known deserialization gadgets; a class none of them decides is allowed, so lambdas, user classes
 * and JDK types work with no configuration.
 *
 * <p>Why a reject-list by default and not an allowlist: tasks and results are arbitrary user
 * classes, and only a peer that proved it holds the run's secret may send them at all. The filter
 * is a second line against a compromised peer; a user who knows the classes a run needs can close
 * it with an allowlist such as {@code com.example.**;java.base/*;!*}.
 *
 * <p>A rejected class raises {@link RejectedClassException} naming the class and the key that
 * allows it. Immutable and thread-safe; {@link #check()} gives a fresh per-stream filter.
 */
public final class SerialFilter {
    /** The configuration key that holds the user's pattern. */
    public static final String KEY = "jparallel.security.serial-filter";

    /** The read limits: depth of the object graph, number of references, array length. */
    public static final String LIMITS = "maxdepth=2000;maxrefs=100000000;maxarray=2147483639";

    /**
     * Packages and classes with known gadget chains (ysoserial and successors) that no task needs.
     * Checked after the user's pattern, so a user may still allow one explicitly.
     */
    public static final String REJECT_LIST = String.join(";",
            "!org.apache.commons.collections.functors.*",
            "!org.apache.commons.collections4.functors.*",
            "!org.apache.commons.beanutils.BeanComparator",
            "!org.apache.commons.fileupload.disk.*",
            "!org.apache.xalan.xsltc.trax.*",
            "!com.sun.org.apache.xalan.internal.xsltc.trax.*",
            "!org.codehaus.groovy.runtime.*",
            "!groovy.lang.*",
            "!org.springframework.beans.factory.*",
            "!org.springframework.aop.*",
            "!org.springframework.core.SerializableTypeWrapper*",
            "!org.hibernate.engine.spi.*",
            "!org.hibernate.tuple.component.*",
            "!com.mchange.v2.c3p0.*",
            "!bsh.*",
            "!clojure.*",
            "!org.python.core.*",
            "!org.mozilla.javascript.*",
            "!net.sf.json.*",
            "!com.sun.syndication.*",
            "!com.rometools.rome.feed.impl.*",
            "!org.jboss.interceptor.*",
            "!org.jboss.weld.interceptor.*",
            "!com.vaadin.data.util.*",
            "!org.apache.wicket.util.upload.*",
            "!org.apache.myfaces.*",
            "!com.sun.rowset.*",
            "!com.sun.jndi.*",
            "!javax.naming.*",
            "!javax.management.*",
            "!java.rmi.*",
            "!sun.rmi.*",
            "!jdk.jshell.*");

    private static final SerialFilter DEFAULT = new SerialFilter("");

    /** The limits of {@link #LIMITS}, checked by hand: the JDK's pattern filter builds a stream per check. */
    private static final long MAX_DEPTH = 2000;
    private static final long MAX_REFS = 100_000_000;
    private static final long MAX_ARRAY = 2_147_483_639;
    /** Matched by hand: the JDK's pattern filter would set up its filter configuration (see {@link RejectList}). */
    private static final RejectList REJECT_LIST_RULES = RejectList.of(REJECT_LIST);
    /**
     * The reject-list's verdict per class, computed once: it depends on the class alone (the list
     * holds no limits), and the JDK's pattern filter walks its whole pattern list on every check.
     */
    private static final ClassValue<Status> REJECT_VERDICT = new ClassValue<>() {
        @Override
        protected Status computeValue(Class<?> type) {
            return REJECT_LIST_RULES.verdict(type);
        }
    };

    private final String userPattern;
    private final ObjectInputFilter user;

    private SerialFilter(String userPattern) {
        this.userPattern = userPattern;
        this.user = userPattern.isEmpty() ? null : ObjectInputFilter.Config.createFilter(userPattern);
    }

    /** @return the filter with no user pattern: limits and the reject-list */
    public static SerialFilter defaults() {
        return DEFAULT;
    }

    /**
     * @param userPattern an {@link ObjectInputFilter} pattern, or empty or {@code null} for none
     * @return the filter
     * @throws IllegalArgumentException when the pattern is not valid
     */
    public static SerialFilter of(String userPattern) {
        String p = userPattern == null ? "" : userPattern.trim();
        return p.isEmpty() ? DEFAULT : new SerialFilter(p);
    }

    /** @return the user's pattern, empty for none */
    public String pattern() {
        return userPattern;
    }

    /**
     * @return true when a stream may be reused from one payload to the next: the user's pattern sets
     *     no limits of its own (the object and byte counts a filter sees add up over a stream)
     */
    boolean streamReusable() {
        return !userPattern.contains("=");
    }

    /** Judges as {@link #check()} does but records nothing; shared by every read. */
    private final Check quiet = new Check(false);

    /** @return a filter for one stream, which remembers what it rejected */
    Check check() {
        return new Check(true);
    }

    /**
     * @return a filter that judges as {@link #check()} does but records nothing, so one serves every
     *     read: for a read that can be repeated with {@link #check()} to say what was refused (a
     *     result that is one plain value, read without a stream; a new check per result was 6% of a
     *     manager's garbage per trivial task)
     */
    Check quiet() {
        return quiet;
    }

    /** The filter of one stream; it records the first rejection for the error message. */
    final class Check implements ObjectInputFilter {
        private final boolean records;
        private String rejected;
        private String rejectedClass;

        private Check(boolean records) {
            this.records = records;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> c = info.serialClass();
            if (overLimits(info, c)) {
                record(null, "a limit (" + describeLimits(info) + "; limits: " + LIMITS + ")");
                return Status.REJECTED;
            }
            if (c == null) {
                return Status.UNDECIDED;
            }
            if (isCarrier(c)) {
                return Status.ALLOWED;
            }
            Status s;
            if (user != null) {
                s = user.checkInput(info);
                if (s == Status.REJECTED) {
                    record(c, "class " + name(c) + ", which " + KEY + " ('" + userPattern + "') does not allow");
                    return s;
                }
                if (s == Status.ALLOWED) {
                    return s;
                }
            }
            if (REJECT_VERDICT.get(c) == Status.REJECTED) {
                record(c, "class " + name(c) + ", which is on jparallel's reject-list of known deserialization "
                        + "gadgets");
                return Status.REJECTED;
            }
            return Status.ALLOWED;
        }

        private void record(Class<?> c, String what) {
            if (records && rejected == null) {
                rejected = what;
                rejectedClass = c == null ? null : elementName(c);
            }
        }

        /** @return the name of the rejected class, or {@code null} when a limit was hit */
        String rejectedClass() {
            return rejectedClass;
        }

        /** @return what was rejected, or {@code null} */
        String rejected() {
            return rejected;
        }
    }

    /**
     * @return true for the payload format's own classes, which carry only what is checked on its own
     *     (a compact lambda: its capturing class, {@code SerializedLambda} and each captured value; an
     *     attached array's stand-in: the array, as a {@code byte[]} of its length),
     *     so that an allow-list of the user's classes and {@code java.base} needs no pattern for them
     */
    private static boolean isCarrier(Class<?> c) {
        return c == CompactLambda.class || c == AttachedArray.class;
    }

    private static boolean overLimits(ObjectInputFilter.FilterInfo info, Class<?> c) {
        return info.depth() > MAX_DEPTH || info.references() > MAX_REFS || info.references() < 0
                || info.depth() < 0 || (c != null && c.isArray() && info.arrayLength() > MAX_ARRAY);
    }


    private static String elementName(Class<?> c) {
        Class<?> e = c;
        while (e.isArray()) {
            e = e.getComponentType();
        }
        return e.getName();
    }

    private static String name(Class<?> c) {
        return c.isArray() ? elementName(c) + " (in " + c.getTypeName() + ")" : c.getName();
    }

    private static String describeLimits(ObjectInputFilter.FilterInfo info) {
        return "depth " + info.depth() + ", references " + info.references()
                + (info.arrayLength() >= 0 ? ", array length " + info.arrayLength() : "");
    }

    @Override
    public String toString() {
        return userPattern.isEmpty() ? "SerialFilter[reject-list]" : "SerialFilter[" + userPattern + ";reject-list]";
    }
}
