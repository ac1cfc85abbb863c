package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakChartTest {
    @TempDir Path dir;

    private static List<SoakSample> samples() {
        List<SoakSample> samples = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            samples.add(
                    new SoakSample(
                            i * 10.0,
                            1_000L * i,
                            900L * i,
                            Map.of("work-orders", 10L * i, "feedback", 5L),
                            400_000_000L + i * 1_000_000L,
                            i % 6 == 0 ? 200_000_000L : -1,
                            i == 0 ? -1 : 1_000_000L * i,
                            2_000_000L * i,
                            i == 0 ? -1 : 700 + i,
                            3_000_000L * i,
                            100L * i,
                            i == 0 ? -1 : 4_096L * i,
                            1.0 + i / 10.0));
        }
        return samples;
    }

    @Test
    void thePngHasAPanelPerMetricAndDecodes() throws Exception {
        Path png = dir.resolve("out/soak.png");
        int panels = SoakChart.write(png, "a soak", samples(), List.of("work-orders", "feedback"));
        assertEquals(6, panels); // heap, state, lag, checkpoint duration, index size, load
        assertTrue(Files.size(png) > 10_000, "size " + Files.size(png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "not a PNG ImageIO reads");
        assertEquals(SoakChart.WIDTH, image.getWidth());
        assertEquals(SoakChart.height(6), image.getHeight());
        // something was drawn: not one colour all over
        int corner = image.getRGB(0, 0);
        boolean drawn = false;
        for (int y = 0; y < image.getHeight() && !drawn; y += 7) {
            for (int x = 0; x < image.getWidth() && !drawn; x += 7) {
                drawn = image.getRGB(x, y) != corner;
            }
        }
        assertTrue(drawn);
    }

    @Test
    void theCsvHasAHeaderAndARowPerSampleWithEmptyForNotRead() throws Exception {
        SoakCsv csv = new SoakCsv(dir.resolve("soak.csv"), List.of("work-orders", "feedback"));
        List<SoakSample> samples = samples();
        csv.append(samples.get(0));
        csv.append(samples.get(1));
        List<String> lines = Files.readAllLines(csv.file());
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).endsWith("lag_total,lag work-orders,lag feedback"), lines.get(0));
        assertEquals("0.0,0,0,400000000,200000000,-1,0,-1,0,0,-1,1.00,5,0,5", lines.get(1));
        assertEquals(
                "10.0,1000,900,401000000,,1000000,2000000,701,3000000,100,4096,1.10,15,10,5",
                lines.get(2));
    }
}
