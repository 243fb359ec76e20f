# `start` refuses bad input with EINVAL (and one dmesg line), `2` with
# EOPNOTSUPP (use `unshare -n`), and a writer already in an L3 namespace
# with EBUSY.
ensure_loaded
for bad in '4\n' '33' '3\n\n' ' 3' '3 ' 'x' '0x3' '\n'; do
	expect_write_error "Invalid argument" "$bad" $D/start
done
long=$(head -c 300 /dev/zero | tr '\0' '3')
expect_write_error "Invalid argument" "$long" $D/start
dmesg | grep -q "l3ns: start: pid [0-9]*: Malformed input refused (EINVAL)" || fail "no dmesg line for EINVAL"
dmesg | grep -q "l3ns: start: write of 300 bytes refused (EINVAL)" || fail "no dmesg line for oversized write"
expect_write_error "Operation not supported" '2\n' $D/start
assert_eq "still layer 2 after refusals" "layer 2" "$(info_get level)"
out=$(sh -c "echo 3 > $D/start && echo 3 > $D/start" 2>&1) && fail "second start succeeded"
case $out in *"Device or resource busy"*) note "ok: second start -> EBUSY" ;; *) fail "expected EBUSY, got '$out'" ;; esac
out=$(sh -c "echo 3 > $D/start && sh -c 'echo 3 > $D/start'" 2>&1) && fail "start in a member's child succeeded"
case $out in *"Device or resource busy"*) note "ok: member's child -> EBUSY" ;; *) fail "expected EBUSY, got '$out'" ;; esac
out=$(sh -c "echo 3 > $D/start && printf '4' > $D/start" 2>&1) && fail "bad input from a member succeeded"
case $out in *"Invalid argument"*) note "ok: bad input from a member -> EINVAL" ;; *) fail "got '$out'" ;; esac
