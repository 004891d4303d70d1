package org.hypergrad4j.bilevel.train;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes a tensor in {@link Nd4j#write}'s format, byte for byte, for checkpoints: the shape information buffer, then
 * the data buffer (its allocation mode, length and data type, then its elements big-endian); {@link Nd4j#read} reads
 * it. ND4J writes the elements one {@code writeFloat} at a time, about 100 ms for the 25 MB of a million-decay run's
 * state; here the elements of the four common types (double, long, float, int) are byte-swapped in bulk, 64 KB at a
 * time, from the buffer's native memory. Other types, a buffer not starting at its memory's start and one over 2 GB
 * take ND4J's path. The one difference in the bytes: a NaN keeps its payload bits, which ND4J's {@code writeFloat}
 * and {@code writeDouble} make canonical, so a state comes back bit for bit.
 */
final class TensorBytes {
    /** Bytes converted per block: a multiple of every element width. */
    private static final int BLOCK = 1 << 16;

    private TensorBytes() {
    }

    /** Writes {@code array} as {@code Nd4j.write(array, out)} does (a view's own elements only, as a copy). */
    static void write(INDArray array, DataOutputStream out) throws IOException {
        INDArray a = array.isView() ? array.dup() : array;
        a.shapeInfoDataBuffer().write(out);
        DataBuffer data = a.data();
        if (data == null) {
            return;
        }
        int width = switch (data.dataType()) {
            case DOUBLE, LONG -> 8;
            case FLOAT, INT -> 4;
            default -> 0;
        };
        if (width == 0 || data.offset() != 0 || data.length() > Integer.MAX_VALUE / width) {
            data.write(out);
            return;
        }
        out.writeUTF(data.allocationMode().name());
        out.writeLong(data.length());
        out.writeUTF(data.dataType().name());
        ByteBuffer source = data.asNio().order(ByteOrder.nativeOrder());
        int bytes = (int) data.length() * width;
        if (source.capacity() < bytes) {
            throw new IllegalStateException("The native memory of a " + data.dataType() + " buffer of " + data.length() + " elements holds "
                    + source.capacity() + " bytes.");
        }
        byte[] block = new byte[Math.min(BLOCK, bytes)];
        ByteBuffer bigEndian = ByteBuffer.wrap(block);
        for (int from = 0; from < bytes; from += BLOCK) {
            int n = Math.min(BLOCK, bytes - from);
            // Copied as integers of the element's width, so every bit pattern (NaN payloads included) is kept.
            ByteBuffer part = source.duplicate().position(from).limit(from + n).slice().order(ByteOrder.nativeOrder());
            if (width == 8) {
                bigEndian.clear().asLongBuffer().put(part.asLongBuffer());
            } else {
                bigEndian.clear().asIntBuffer().put(part.asIntBuffer());
            }
            out.write(block, 0, n);
        }
    }
}
