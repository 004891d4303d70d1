package org.hypergrad4j.sweeps;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.hypergrad4j.experiments.results.RunDirectory;

/**
 * Sweep folders on a Hadoop-compatible file system ({@code hdfs://}, {@code s3a://}, {@code abfs://}, {@code file://},
 * …: any {@code --out} written as a URL). The runners write through {@code java.nio}, so a task runs in a local
 * scratch folder and then publishes it: a copy to {@code <task folder>.attempt-<n>}, then a rename to the task folder,
 * which is atomic on HDFS — a task folder on the shared file system is complete, or it is absent or a leftover
 * attempt that the next sweep deletes. The file system is configured as Hadoop is on the machine
 * ({@code HADOOP_CONF_DIR}, {@code spark.hadoop.*}).
 */
final class HadoopFolders {
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private HadoopFolders() {
    }

    /** Whether {@code out} names a Hadoop file system URL rather than a local path. */
    static boolean isUrl(String out) {
        return out.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
    }

    private static org.apache.hadoop.fs.Path path(String url) {
        return new org.apache.hadoop.fs.Path(url);
    }

    private static FileSystem fs(org.apache.hadoop.fs.Path p) throws IOException {
        return p.getFileSystem(new Configuration());
    }

    /** Refuses a folder that cannot be created or written, in one line. */
    static void checkWritable(String out) {
        try {
            org.apache.hadoop.fs.Path root = path(out);
            FileSystem fs = fs(root);
            fs.mkdirs(root);
            org.apache.hadoop.fs.Path probe = new org.apache.hadoop.fs.Path(root, ".write-check-" + System.nanoTime());
            fs.create(probe, true).close();
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--out " + out + ": cannot write there (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")) + ").");
        }
    }

    /** The run folder (a child with a summary) in the task folder {@code url}, with its summary, if there is one. */
    static Optional<Map.Entry<String, Map<String, Object>>> finishedRun(String url) {
        try {
            org.apache.hadoop.fs.Path folder = path(url);
            FileSystem fs = fs(folder);
            if (!fs.exists(folder)) {
                return Optional.empty();
            }
            FileStatus[] children = fs.listStatus(folder);
            java.util.Arrays.sort(children, java.util.Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus child : children) {
                org.apache.hadoop.fs.Path summary = new org.apache.hadoop.fs.Path(child.getPath(), RunDirectory.SUMMARY);
                if (child.isDirectory() && fs.exists(summary)) {
                    try (InputStream in = fs.open(summary)) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> map = JSON.readValue(in, Map.class);
                        return Optional.of(Map.entry(child.getPath().toString(), map));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the task folder " + url + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the task folder {@code url} and the leftovers of its earlier attempts. */
    static void clear(String url) {
        try {
            org.apache.hadoop.fs.Path folder = path(url);
            FileSystem fs = fs(folder);
            fs.delete(folder, true);
            FileStatus[] siblings = fs.exists(folder.getParent()) ? fs.listStatus(folder.getParent()) : new FileStatus[0];
            for (FileStatus s : siblings) {
                if (s.getPath().getName().startsWith(folder.getName() + ".attempt-")) {
                    fs.delete(s.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the unfinished task folder " + url + ": " + e.getMessage(), e);
        }
    }

    /** Publishes the local folder {@code local} as {@code url}: a copy beside it, then a rename. Returns {@code url}. */
    static String publish(java.nio.file.Path local, String url, int attempt) {
        try {
            org.apache.hadoop.fs.Path target = path(url);
            FileSystem fs = fs(target);
            org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(target.getParent(), target.getName() + ".attempt-" + attempt);
            fs.delete(staging, true);
            fs.mkdirs(target.getParent());
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), staging);
            fs.delete(target, true);
            if (!fs.rename(staging, target)) {
                throw new IOException("the rename of " + staging + " to " + target + " failed");
            }
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot publish the task folder to " + url + ": " + e.getMessage(), e);
        }
    }

    /** Copies the files of the local folder {@code local} into the folder {@code url} (the sweep's table and figure). */
    static void copyFiles(java.nio.file.Path local, String url) {
        try (var files = Files.list(local)) {
            org.apache.hadoop.fs.Path target = path(url);
            FileSystem fs = fs(target);
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(target, f.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the sweep's table to " + url + ": " + e.getMessage(), e);
        }
    }
}
