// corpus: buggy
// what: the lock dropped for a volatile counter and a synchronized list: left-- is a read-modify-write, the check and the act still apart, and callers holding the office's lock no longer stop a sale
// must fail: two buyers for the last seat: exactly one gets it, under every schedule the engine tries; two buyers for two seats: both get one and both names are kept, under every schedule the engine tries; a caller holding the office's lock keeps buy() waiting, as the policy lets callers do
String brokenMethod = "buy";
String kindOfBug = "stale flag";

class FixedBoxOffice implements BoxOffice {
    private final int seats;
    private volatile boolean open = true;
    private volatile int left;
    private final List<String> buyers = Collections.synchronizedList(new ArrayList<>());

    FixedBoxOffice(int seats) { this.seats = seats; this.left = seats; }

    public int seats() { return seats; }
    public void close() { open = false; }
    public int left() { return left; }
    public List<String> buyers() { synchronized (buyers) { return List.copyOf(buyers); } }

    public boolean buy(String who) {
        if (!open || left == 0) return false;
        left--;
        buyers.add(who);
        return true;
    }
}
