package org.jparallel.sge;

import java.util.ArrayList;
import java.util.List;
import org.ggf.drmaa.DrmaaException;
import org.ggf.drmaa.JobTemplate;
import org.ggf.drmaa.Session;
import org.ggf.drmaa.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that touches the {@code org.ggf.drmaa} types: one initialised DRMAA session. Used on
 * the {@link DrmaaSubmitter} thread only.
 */
final class DrmaaSession {
    private static final Logger LOG = LoggerFactory.getLogger(DrmaaSession.class);

    private final Session session;

    private DrmaaSession(Session session) {
        this.session = session;
    }

    /** @return a session, initialised; the error names the jar and the library when they are missing */
    static DrmaaSession open() {
        Session s;
        try {
            s = SessionFactory.getFactory().getSession();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException(DrmaaSubmitter.missing("no DRMAA implementation was found: " + e), e);
        }
        try {
            s.init("");
        } catch (DrmaaException e) {
            throw new IllegalStateException("DRMAA session init failed: " + e.getMessage()
                    + " (are SGE_ROOT and SGE_CELL set, and does qstat answer?)", e);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException(DrmaaSubmitter.missing("loading it failed: " + e), e);
        }
        try {
            LOG.info("DRMAA session open: {} {}, contact {}", s.getDrmSystem(), s.getDrmaaImplementation(),
                    s.getContact());
        } catch (RuntimeException e) {
            LOG.debug("DRMAA session open ({})", e.toString());
        }
        return new DrmaaSession(s);
    }

    /** @return the job ids of the tasks of a bulk job running {@code /bin/sh script} */
    List<String> runBulk(String script, String nativeSpec, String jobName, String outputPath, String workDir,
                         int first, int last) {
        JobTemplate jt = null;
        try {
            jt = session.createJobTemplate();
            jt.setRemoteCommand("/bin/sh");
            jt.setArgs(List.of(script));
            jt.setJobName(jobName);
            jt.setWorkingDirectory(workDir);
            jt.setOutputPath(":" + outputPath);
            jt.setJoinFiles(true);
            if (!nativeSpec.isBlank()) {
                jt.setNativeSpecification(nativeSpec);
            }
            @SuppressWarnings("unchecked")
            List<Object> ids = (List<Object>) (List<?>) session.runBulkJobs(jt, first, last, 1);
            List<String> out = new ArrayList<>();
            for (Object id : ids) {
                out.add(String.valueOf(id));
            }
            return out;
        } catch (DrmaaException e) {
            throw new IllegalStateException("DRMAA runBulkJobs failed: " + e.getMessage(), e);
        } finally {
            if (jt != null) {
                try {
                    session.deleteJobTemplate(jt);
                } catch (DrmaaException | RuntimeException e) {
                    LOG.debug("deleteJobTemplate: {}", e.toString());
                }
            }
        }
    }

    /** Terminates one task; a task that already ended is fine. */
    void terminate(String jobId) {
        try {
            session.control(jobId, Session.TERMINATE);
        } catch (DrmaaException | RuntimeException e) {
            LOG.debug("DRMAA control({}, TERMINATE): {}", jobId, e.toString());
        }
    }

    /** Ends the session. */
    void exit() {
        try {
            session.exit();
            LOG.debug("DRMAA session closed");
        } catch (DrmaaException | RuntimeException e) {
            LOG.debug("DRMAA exit: {}", e.toString());
        }
    }
}
