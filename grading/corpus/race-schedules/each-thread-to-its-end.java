// corpus: buggy
// what: schedules that run each thread to its end before the next: no race happens
// must fail: a lost update: two increments leave n=1; check-then-act: two payments of 80 from 100 leave -60
class MySchedules implements RaceSchedules {
    public String lostUpdate() { return "AABB"; }
    public String overdraft() { return "AAABBB"; }
    public String twoLost() { return "AABBCC"; }
}
