// corpus: buggy
// what: the seat is counted under the lock but the buyer added after it is let go: two adds to the ArrayList at once lose a name
// must fail: two buyers for two seats: both get one and both names are kept, under every schedule the engine tries
// suite: no (graded by ./threadlab bench grade-accuracy)
String brokenMethod = "buy";
String kindOfBug = "check-then-act";

class FixedBoxOffice implements BoxOffice {
    private final int seats;
    private volatile boolean open = true;
    @GuardedBy("this") private int left;
    @GuardedBy("this") private final List<String> buyers = new ArrayList<>();

    FixedBoxOffice(int seats) { this.seats = seats; this.left = seats; }

    public int seats() { return seats; }
    public void close() { open = false; }
    public synchronized int left() { return left; }
    public synchronized List<String> buyers() { return List.copyOf(buyers); }

    public boolean buy(String who) {
        synchronized (this) {
            if (!open || left == 0) return false;
            left--;
        }
        buyers.add(who);
        return true;
    }
}
