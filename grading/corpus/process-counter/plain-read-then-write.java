// corpus: buggy
// what: increment reads the shared long and writes it back plus one, two plain accesses: two processes (or threads) that read the same value both write the same next value, and one increment is lost
// must fail: two mappings of one file, raced by 8 threads, lose nothing; a child process counting at the same time loses nothing; every increment returns a value no other increment returned
class FileCounter implements ProcessCounter {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private final MappedByteBuffer page;
    FileCounter(String file) {
        try (FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            page = channel.map(FileChannel.MapMode.READ_WRITE, 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
        }
    }
    public long increment() {
        long next = (long) LONGS.getVolatile(page, 0) + 1;
        LONGS.setVolatile(page, 0, next);
        return next;
    }
    public long get() { return (long) LONGS.getVolatile(page, 0); }
    public void close() { }
}
