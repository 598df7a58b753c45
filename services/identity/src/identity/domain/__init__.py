"""Identity's rules as plain Python: dates of employments and line management, transfers and
leavers, who may hold which role where, the account's states, the password policy, sign-in limits
and the staff import's checks. Each takes plain values (what the database says is passed in as an
answer: "does the manager work at this school that day?") and raises ``canopy_kit.errors``."""
