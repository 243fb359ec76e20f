# Nothing above produced an oops, a warning, a lockdep or RCU splat, or a
# sleeping-in-atomic report.
dmesg | grep -E 'BUG:|WARNING:|Oops|possible circular|possible recursive|suspicious RCU|sleeping function called|inconsistent lock' && fail "kernel reported problems (above)"
note "ok: dmesg clean"
ensure_loaded
assert_eq "no probe hit was lost" 0 "$(info_get probe_misses)"
