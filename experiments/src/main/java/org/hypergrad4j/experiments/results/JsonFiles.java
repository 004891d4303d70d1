package org.hypergrad4j.experiments.results;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The JSON dialect of run folders, in one place.
 *
 * <ul>
 *   <li>Output is indented by two spaces with {@code "\n"} line ends on every platform, ends with a newline,
 *       and is UTF-8.</li>
 *   <li>Key order is deterministic: map entries are sorted by key; record components keep their declaration
 *       order.</li>
 *   <li>Non-finite doubles are written as the bare tokens {@code NaN}, {@code Infinity} and
 *       {@code -Infinity}, as Python's {@code json} module writes and reads them (strict JSON has no way to
 *       write them), and are read back as doubles.</li>
 *   <li>Read back into maps, integers become {@link Long}, other numbers {@link Double}, arrays
 *       {@link java.util.List}, objects {@link Map}.</li>
 *   <li>Files are replaced atomically where the file system allows (written to a temporary sibling, then
 *       moved), so a killed process leaves either the old or the new file, never half of one.</li>
 * </ul>
 */
final class JsonFiles {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {
    };

    private JsonFiles() {
    }

    /**
     * Renders a value as this dialect's JSON text.
     *
     * @param value a record, map, list, string, number or boolean (nesting allowed)
     * @return the JSON text, ending with a newline
     * @throws IllegalArgumentException if Jackson cannot serialise the value
     */
    static String toJson(Object value) {
        try {
            return WRITER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The value of type " + (value == null ? "null" : value.getClass().getName())
                    + " cannot be written as JSON: " + e.getOriginalMessage() + ".", e);
        }
    }

    /**
     * Reads a JSON object from a file.
     *
     * @param file the file
     * @param role what the file holds, for messages (e.g. "the run's configuration")
     * @return its entries, in the file's order
     * @throws RunFileNotFoundException if the file does not exist
     * @throws RunFileFormatException   if it is not a single JSON object
     */
    static Map<String, Object> readObject(Path file, String role) {
        JsonNode node = readTree(file, role);
        if (!node.isObject()) {
            throw new RunFileFormatException(file, "The file " + file + " should hold " + role
                    + " as one JSON object, but its top-level value is " + describe(node) + ".");
        }
        return MAPPER.convertValue(node, MAP_TYPE);
    }

    /**
     * Reads a JSON object from a file into a record or bean type.
     *
     * @param file the file
     * @param role what the file holds, for messages
     * @param type the type to build
     * @param <T>  the type
     * @return the value
     * @throws RunFileNotFoundException if the file does not exist
     * @throws RunFileFormatException   if it does not parse or does not fit the type (including a failure of the
     *                                  type's own validation)
     */
    static <T> T read(Path file, String role, Class<T> type) {
        return convert(readObject(file, role), file, role, type);
    }

    /**
     * Converts a map read from a file into a record or bean type.
     *
     * @param value the map
     * @param file  the file it came from, for messages
     * @param role  what the file holds, for messages
     * @param type  the type to build
     * @param <T>   the type
     * @return the value
     * @throws RunFileFormatException if the map does not fit the type
     */
    static <T> T convert(Map<String, Object> value, Path file, String role, Class<T> type) {
        try {
            return MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String detail = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
            throw new RunFileFormatException(file, "The file " + file + " holds " + role + " that cannot be read as "
                    + type.getSimpleName() + ": " + detail, e);
        }
    }

    private static JsonNode readTree(Path file, String role) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RunFileNotFoundException(file, "The file " + file + " with " + role + " does not exist.");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new RunFileFormatException(file, "The file " + file + " should hold " + role
                        + " as a JSON object, but it is empty.");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new RunFileFormatException(file, "The file " + file + " with " + role + " is not valid JSON" + where
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }

    /**
     * Writes bytes to a uniquely named temporary sibling of a file and moves it over the file, atomically where
     * the file system supports it; the temporary file is removed if anything fails.
     *
     * @param file  the destination
     * @param bytes the content
     * @throws UncheckedIOException if writing or moving fails
     */
    static void writeAtomically(Path file, byte[] bytes) {
        org.hypergrad4j.bilevel.io.DurableFiles.replace(file, bytes);
    }
}
