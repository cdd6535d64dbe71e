// corpus: buggy
// what: buy fixed, but buyers() hands out an unmodifiable view of the guarded list: callers then read it without the lock while sales change it
// must fail: buyers() is a copy: later sales do not change it, changing it changes nothing; a reader goes through buyers() while a seat is sold: the list before or after the sale, under every schedule the engine tries
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
    public synchronized List<String> buyers() { return Collections.unmodifiableList(buyers); }

    public synchronized boolean buy(String who) {
        if (!open || left == 0) return false;
        left--;
        buyers.add(who);
        return true;
    }
}
