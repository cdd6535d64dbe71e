// corpus: buggy
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: the production class handed in unchanged: buy checks left() under the lock, lets it go, then takes it again to sell
// must fail: two buyers for the last seat: exactly one gets it, under every schedule the engine tries
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
        if (!open || left() == 0) return false;
        synchronized (this) {
            left--;
            buyers.add(who);
        }
        return true;
    }
}
