// corpus: buggy
// what: the check and the act each in a synchronized block of its own: every access holds the lock, the sale as a whole does not
// must fail: two buyers for the last seat: exactly one gets it, under every schedule the engine tries
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
        }
        synchronized (this) {
            left--;
            buyers.add(who);
        }
        return true;
    }
}
