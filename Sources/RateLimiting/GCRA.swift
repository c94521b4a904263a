/// The generic cell rate algorithm, shared by the stores so both decide identically.
enum GCRA {
    /// The outcome for a request at `now` given the stored theoretical arrival time (all microseconds).
    /// Returns the new TAT to store when allowed.
    static func evaluate(tat stored: Int64?, now: Int64, policy: RateLimitPolicy) -> (decision: RateLimitDecision, newTAT: Int64?) {
        let interval = policy.emissionInterval
        let tat = max(stored ?? now, now)
        let newTAT = tat + interval
        let allowAt = newTAT - Int64(policy.burst) * interval
        if now < allowAt {
            return (RateLimitDecision(policy: policy, allowed: false, retryAfterMicros: allowAt - now, resetMicros: tat - now), nil)
        }
        return (RateLimitDecision(policy: policy, allowed: true, retryAfterMicros: 0, resetMicros: newTAT - now), newTAT)
    }
}
