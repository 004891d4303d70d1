package org.hypergrad4j.repro;

import java.util.List;
import java.util.stream.Collectors;
import org.hypergrad4j.repro.franceschi2017.HyperCleaning;
import org.hypergrad4j.repro.lorraine2018.GlobalHypernetwork;
import org.hypergrad4j.repro.lorraine2018.LocalHypernetwork;
import org.hypergrad4j.repro.lorraine2020.Distillation;
import org.hypergrad4j.repro.lorraine2020.InverseHessianQuality;
import org.hypergrad4j.repro.lorraine2020.LearnedAugmentation;
import org.hypergrad4j.repro.lorraine2020.OverfitValidationSet;
import org.hypergrad4j.repro.lorraine2020.ValidationFraction;
import org.hypergrad4j.repro.maclaurin2015.LearningRateSchedules;
import org.hypergrad4j.repro.mackay2019.StnCnn;
import org.hypergrad4j.repro.mackay2019.StnDropout;
import org.hypergrad4j.repro.ortiz2024.MagnitudeInvariance;
import org.hypergrad4j.repro.pedregosa2016.HoagAgainstSearch;
import org.hypergrad4j.repro.salehi.MaidDenoising;

/** Every reproduction {@code bin/hpo repro} knows, in the order {@code repro list} shows them. */
public final class Reproductions {
    private Reproductions() {
    }

    public static List<Reproduction> all() {
        return List.of(new InverseHessianQuality(), new OverfitValidationSet(), new Distillation(), new LearnedAugmentation(), new ValidationFraction(),
                new HyperCleaning(), new StnDropout(), new StnCnn(), new GlobalHypernetwork(), new LocalHypernetwork(),
                new MagnitudeInvariance(), new HoagAgainstSearch(), new LearningRateSchedules(),
                new MaidDenoising());
    }

    /**
     * @throws IllegalArgumentException naming the known reproductions
     */
    public static Reproduction named(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "Unknown reproduction '" + name + "'; known: " + all().stream().map(Reproduction::name).collect(Collectors.joining(", "))
                        + " (see: hpo repro list)."));
    }
}
