package org.hypergrad4j.sweeps;

import java.io.Serializable;

/**
 * One Spark task of a sweep: a setting at one seed, run into its own folder {@code <out>/tasks/<setting>/seed-<seed>}.
 * The folder's name depends only on the setting and the seed, so a restarted sweep finds the folders of the tasks
 * that finished before.
 *
 * @param index   the task's place in the sweep (setting-major, then seed)
 * @param setting the setting
 * @param seed    the seed
 * @param folder  the task folder (absolute)
 */
public record SweepTask(int index, SweepSpec.Setting setting, long seed, String folder) implements Serializable {
    /** The task folder's path relative to the sweep's output folder. */
    public static String relativeFolder(SweepSpec.Setting setting, long seed) {
        return "tasks/" + setting.folderName() + "/seed-" + seed;
    }

    @Override
    public String toString() {
        return setting.label() + " seed " + seed;
    }
}
