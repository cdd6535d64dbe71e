// corpus: correct
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: the check and the act in one synchronized (this) block, close() under the lock too, buyers() copied into a new ArrayList under the lock
String brokenMethod = "buy";
String kindOfBug = "check-then-act";

class FixedBoxOffice implements BoxOffice {
    private final int seats;
    @GuardedBy("this") private boolean open = true;
    @GuardedBy("this") private int left;
    @GuardedBy("this") private final List<String> buyers = new ArrayList<>();

    FixedBoxOffice(int seats) { this.seats = seats; this.left = seats; }

    public int seats() { return seats; }
    public void close() { synchronized (this) { open = false; } }
    public int left() { synchronized (this) { return left; } }
    public List<String> buyers() { synchronized (this) { return new ArrayList<>(buyers); } }

    public boolean buy(String who) {
        synchronized (this) {
            if (!open || left == 0) return false;
            left--;
            buyers.add(who);
            return true;
        }
    }
}
