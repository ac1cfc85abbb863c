package dev.batchtrace.cli.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads the first sheet of an XLSX file as text cells with the JDK alone (an XLSX is zipped XML);
 * fastexcel-reader's commons-compress clashes with the older commons-io on this classpath.
 */
public final class XlsxCells {

    private XlsxCells() {}

    public static String entry(Path xlsx, String name) throws IOException {
        try (ZipFile zip = new ZipFile(xlsx.toFile())) {
            var entry = zip.getEntry(name);
            if (entry == null) {
                throw new IOException(xlsx + " has no " + name);
            }
            return new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Rows of the first sheet; a missing cell is "", a shared string its text, a number as written.
     */
    public static List<List<String>> read(Path xlsx) throws Exception {
        return read(xlsx, 1);
    }

    /** The sheet names in the workbook's order (sheet 1 first). */
    public static List<String> sheetNames(Path xlsx) throws Exception {
        List<String> names = new ArrayList<>();
        NodeList sheets = xml(entry(xlsx, "xl/workbook.xml")).getElementsByTagName("sheet");
        for (int i = 0; i < sheets.getLength(); i++) {
            names.add(((Element) sheets.item(i)).getAttribute("name"));
        }
        return names;
    }

    /** Rows of sheet {@code number} (from 1, as the file names them: xl/worksheets/sheetN.xml). */
    public static List<List<String>> read(Path xlsx, int number) throws Exception {
        List<String> shared = new ArrayList<>();
        try (ZipFile zip = new ZipFile(xlsx.toFile())) {
            if (zip.getEntry("xl/sharedStrings.xml") != null) {
                NodeList items =
                        xml(entry(xlsx, "xl/sharedStrings.xml")).getElementsByTagName("si");
                for (int i = 0; i < items.getLength(); i++) {
                    shared.add(items.item(i).getTextContent());
                }
            }
        }
        List<List<String>> rows = new ArrayList<>();
        NodeList rowNodes =
                xml(entry(xlsx, "xl/worksheets/sheet" + number + ".xml"))
                        .getElementsByTagName("row");
        for (int r = 0; r < rowNodes.getLength(); r++) {
            List<String> row = new ArrayList<>();
            NodeList cells = ((Element) rowNodes.item(r)).getElementsByTagName("c");
            for (int c = 0; c < cells.getLength(); c++) {
                Element cell = (Element) cells.item(c);
                int column = column(cell.getAttribute("r"));
                while (row.size() < column) {
                    row.add("");
                }
                NodeList values = cell.getElementsByTagName("v");
                String value =
                        values.getLength() == 0
                                ? cell.getTextContent()
                                : values.item(0).getTextContent();
                row.add(
                        "s".equals(cell.getAttribute("t"))
                                ? shared.get(Integer.parseInt(value))
                                : value);
            }
            rows.add(row);
        }
        return rows;
    }

    /** "C7" is column 2. */
    private static int column(String reference) {
        int column = 0;
        for (char ch : reference.toCharArray()) {
            if (!Character.isLetter(ch)) {
                break;
            }
            column = column * 26 + (ch - 'A' + 1);
        }
        return column - 1;
    }

    private static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
