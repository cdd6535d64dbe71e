// corpus: correct
// suite: no (graded by ./threadlab bench grade-accuracy; the suite grades the solution and another answer of this exercise)
// what: one lock for the whole branch: no cycle is possible (and no two transfers run at once)
class Branch implements Bank {
    private final long[] balances;
    Branch(int accounts) {
        balances = new long[accounts];
        java.util.Arrays.fill(balances, 1000);
    }
    public synchronized boolean transfer(int from, int to, long amount) {
        if (balances[from] < amount) return false;
        balances[from] -= amount;
        balances[to] += amount;
        return true;
    }
    public synchronized long balance(int account) { return balances[account]; }
}
