package org.jparallel.sge;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jparallel.spi.TaskIdRanges;
import org.jparallel.spi.batch.ArrayTask;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Reads {@code qstat -xml}: every job and array task it lists with its state code. XML rather than
 * the column text, whose columns move with the width of job ids, names and queue names. Pending
 * array tasks come as ranges ({@code 4-6:1}, {@code 1,2}); they are expanded to one entry per task.
 */
final class QstatParser {

    private QstatParser() {
    }

    /**
     * @param xml the output of {@code qstat -xml}
     * @return each listed task (task 0 for a job that is not an array) with its state code, in order
     * @throws IllegalArgumentException when the text is not qstat's XML
     */
    static Map<ArrayTask, String> parse(String xml) {
        Map<ArrayTask, String> out = new LinkedHashMap<>();
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            String head = xml == null ? "" : xml.strip();
            throw new IllegalArgumentException("qstat -xml printed something that is not its XML: "
                    + (head.length() > 200 ? head.substring(0, 200) + "..." : head), e);
        }
        NodeList jobs = doc.getElementsByTagName("job_list");
        for (int i = 0; i < jobs.getLength(); i++) {
            Element job = (Element) jobs.item(i);
            String number = text(job, "JB_job_number");
            if (number == null) {
                continue;
            }
            String state = text(job, "state");
            String tasks = text(job, "tasks");
            if (tasks == null || tasks.isEmpty()) {
                out.put(new ArrayTask(number, 0), state == null ? "" : state);
            } else {
                for (int t : TaskIdRanges.expand(tasks)) {
                    out.put(new ArrayTask(number, t), state == null ? "" : state);
                }
            }
        }
        return out;
    }

    private static String text(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child && child.getTagName().equals(tag)) {
                return child.getTextContent().strip();
            }
        }
        return null;
    }
}
