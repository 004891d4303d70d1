package org.hypergrad4j.experiments.stn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hypergrad4j.experiments.stn.FashionMnistStnDropout.Report;
import org.hypergrad4j.experiments.stn.FashionMnistStnDropout.Settings;
import org.junit.jupiter.api.Test;

/**
 * MacKay et al. (2019) at reduced scale (sizes in {@link Settings#reduced()}, numbers in docs/TEST-RECORDS.md):
 * dropout rates tuned online by a self-tuning network from 0.05 reach a test loss at or below the best of the
 * fixed-dropout grid {0, 0.2, 0.4, 0.6, 0.8} trained for the same number of epochs. Needs the Debian package
 * {@code dataset-fashion-mnist} ({@code bin/test} installs it).
 */
class FashionMnistStnDropoutTest {

    @Test
    void stnDropoutScheduleBeatsEveryFixedRateOfTheGrid() throws Exception {
        Settings s = Settings.reduced();
        Report report = FashionMnistStnDropout.run(s, FashionMnistStnDropout.load(s, null), line -> System.out.println(line));
        Path out = Path.of("target", "stn-fashion-mnist");
        FashionMnistStnDropout.writeOutputs(report, out);

        assertEquals(s.cycles(), report.schedule().size(), "one schedule row per cycle");
        assertTrue(Files.size(out.resolve("schedule.png")) > 10_000, "the schedule plot was drawn");
        assertEquals(s.cycles() + 1, Files.readAllLines(out.resolve("schedule.csv")).size());
        for (String site : FashionMnistStnDropout.SITES) {
            double rate = report.stn().rates().get(site);
            assertTrue(Math.abs(rate - s.initialDropout()) > 0.05, site + " stayed near its start: " + rate);
        }
        double stn = report.stn().test().loss();
        double bestFixed = report.bestGrid().test().loss();
        assertTrue(stn <= bestFixed, "STN test loss " + stn + " vs best fixed (" + report.bestGrid().name() + ") " + bestFixed);
    }
}
